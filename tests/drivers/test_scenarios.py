"""The state drivers' reading of what they saw."""

from __future__ import annotations

from comprehend_contract.drivers.scenarios import left_submitted


def test_a_job_left_submitted_midway_between_the_answers_that_bracket_it() -> None:
    timeline = [
        (0.1, "j", "SUBMITTED"),
        (0.2, "other", "IN_PROGRESS"),
        (11.0, "j", "SUBMITTED"),
        (12.0, "j", "IN_PROGRESS"),
    ]
    assert left_submitted(timeline, "j", now=20.0) == 11.5


def test_a_job_first_seen_past_submitted_left_it_by_then() -> None:
    assert left_submitted([(3.0, "j", "IN_PROGRESS"), (4.0, "j", "STOP_REQUESTED")], "j", now=9.0) == 3.0


def test_a_job_never_seen_past_submitted_has_not_left_it() -> None:
    assert left_submitted([(1.0, "j", "SUBMITTED"), (2.0, "k", "IN_PROGRESS")], "j", now=9.0) == 9.0
