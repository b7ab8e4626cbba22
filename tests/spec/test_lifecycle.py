"""The job lifecycle graph (LIFE-TRANSITIONS) and its agreement with the schema's JobStatus enum."""

from __future__ import annotations

import pytest

from comprehend_contract.spec import load_schema
from comprehend_contract.spec.lifecycle import END_STATES, TRANSITIONS, JobStatus, may_follow

S = JobStatus


def test_status_enum_matches_the_schema() -> None:
    assert [s.value for s in JobStatus] == load_schema("definitions")["$defs"]["JobStatus"]["enum"]


def test_end_states_never_change() -> None:
    assert {S.COMPLETED, S.FAILED, S.STOPPED} == END_STATES
    for end in END_STATES:
        assert all(not may_follow(end, other) for other in JobStatus if other != end)


@pytest.mark.parametrize(
    ("earlier", "later", "legal"),
    [
        (S.SUBMITTED, S.COMPLETED, True),
        (S.SUBMITTED, S.STOPPED, True),
        (S.IN_PROGRESS, S.STOP_REQUESTED, True),
        (S.STOP_REQUESTED, S.COMPLETED, True),
        (S.STOP_REQUESTED, S.FAILED, False),
        (S.STOP_REQUESTED, S.IN_PROGRESS, False),
        (S.IN_PROGRESS, S.SUBMITTED, False),
        (S.COMPLETED, S.IN_PROGRESS, False),
        (S.IN_PROGRESS, S.IN_PROGRESS, True),
    ],
)
def test_may_follow(earlier: JobStatus, later: JobStatus, legal: bool) -> None:
    assert may_follow(earlier, later) is legal


def test_direct_edges_are_exactly_the_clause() -> None:
    edges = {(a, b) for a, successors in TRANSITIONS.items() for b in successors}
    assert edges == {
        (S.SUBMITTED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.COMPLETED),
        (S.IN_PROGRESS, S.FAILED),
        (S.SUBMITTED, S.FAILED),
        (S.SUBMITTED, S.STOP_REQUESTED),
        (S.IN_PROGRESS, S.STOP_REQUESTED),
        (S.STOP_REQUESTED, S.STOPPED),
        (S.STOP_REQUESTED, S.COMPLETED),
    }
