"""How a contract test says it could not judge its clause: a NOT_EXERCISED verdict, with the reason."""

from __future__ import annotations

from typing import NoReturn

import pytest

from comprehend_contract.drivers import Evidence


def not_exercised(reason: str) -> NoReturn:
    """End the test as NOT_EXERCISED (never as passed), saying why."""
    pytest.skip(f"not exercised: {reason}")


def reached(evidence: Evidence) -> Evidence:
    """``evidence`` if its scenario reached the state it needed; otherwise the test is not exercised."""
    if not evidence.reached:
        not_exercised(evidence.reason)
    return evidence
