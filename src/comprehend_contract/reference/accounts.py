"""The reference's built-in accounts: fixed, documented credentials, like any local emulator's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Account:
    """An AWS account the reference knows, with the one access key that signs for it."""

    account_id: str
    access_key_id: str
    secret_access_key: str


DEFAULT_ACCOUNTS: tuple[Account, ...] = (
    Account("111111111111", "AKIAREFERENCEACCT001", "reference/secret/key/of/account/111111111111"),
    Account("222222222222", "AKIAREFERENCEACCT002", "reference/secret/key/of/account/222222222222"),
)
"""Two accounts, so that isolation between accounts (clause AUTH-ISOLATION) can be tested."""
