"""What the session adapter makes of pytest's reports."""

from __future__ import annotations

from comprehend_contract.plugin.session import _group_message


def test_a_group_of_failures_is_said_by_its_first() -> None:
    """Hypothesis raises an ExceptionGroup of its distinct failures: the reason names the first one's words."""
    group = ExceptionGroup(
        "Hypothesis found 2 distinct failures.",
        [AssertionError("a well-formed JobId must pass validation\nassert 400 == 200"), ValueError("other")],
    )
    assert _group_message(group) == (
        "2 distinct failures; the first: AssertionError: a well-formed JobId must pass validation"
    )


def test_a_nested_group_is_said_by_its_innermost_first_failure() -> None:
    inner = ExceptionGroup("inner", [KeyError("JobStatus")])
    assert _group_message(ExceptionGroup("outer", [inner])) == "a failure: KeyError: 'JobStatus'"
