"""Removing secrets from everything a report holds: signing headers, secret options and credentials by name,
signatures by shape, and known secret values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from comprehend_contract.options import SECRET_NAMES

REDACTED = "***REDACTED***"
SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token", "x-amz-content-sha256-signature"})
SECRET_KEYS = SECRET_NAMES | {"session_token", "aws_secret_access_key", "aws_session_token"}
"""Members whose value is a secret whatever it looks like: the secret options of the table, and credentials."""
MIN_SECRET_BY_VALUE = 4
"""Shorter known secrets are redacted by name only: replacing every "x" of a report would hide nothing and ruin it."""
_SIGNATURES = re.compile(r"((?:X-Amz-)?Signature=)[0-9a-fA-F]{16,}")
_CREDENTIAL_KEYS = re.compile(r"(?i)(secret_?access_?key|session_?token|aws_secret_access_key)(\W{1,4})([^\s,;\"']+)")


class Redactor:
    """Redacts a JSON-like document: header values and secret members by name (whatever their length), signatures
    by shape, known secrets by value."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= MIN_SECRET_BY_VALUE}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        value = _SIGNATURES.sub(lambda m: m.group(1) + REDACTED, value)
        return _CREDENTIAL_KEYS.sub(lambda m: m.group(1) + m.group(2) + REDACTED, value)

    def __call__(self, document: Any, key: str | None = None) -> Any:
        if isinstance(document, dict):
            return {k: (REDACTED if _secret_member(str(k), v) else self(v, str(k))) for k, v in document.items()}
        if isinstance(document, list | tuple):
            return [self(item) for item in document]
        if isinstance(document, str):
            return self.text(document)
        return document


def _secret_member(name: str, value: Any) -> bool:
    lowered = name.lower()
    return lowered in SECRET_HEADERS or (lowered in SECRET_KEYS and value not in (None, ""))
