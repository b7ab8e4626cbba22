"""How a contract test says it could not judge its clause: a NOT_EXERCISED verdict, with the reason."""

from __future__ import annotations

from typing import NoReturn

import pytest

from comprehend_contract.core.evidence import Evidence
from comprehend_contract.core.incomplete import Incomplete


def not_exercised(reason: str) -> NoReturn:
    """End the test as NOT_EXERCISED (never as passed), saying why."""
    pytest.skip(f"not exercised: {reason}")


def reached(evidence: Evidence) -> Evidence:
    """``evidence`` if its scenario reached the state it needed; otherwise the test is not exercised (and the run
    incomplete, if transient faults kept the scenario from its state)."""
    if evidence.incomplete:
        raise Incomplete(evidence.reason)
    if not evidence.reached:
        not_exercised(evidence.reason)
    return evidence
