"""Job statuses and the transition graph of clause LIFE-TRANSITIONS, shared by the suite and the reference.

"Observed statuses only move along: SUBMITTED→IN_PROGRESS→{COMPLETED,FAILED}, SUBMITTED→FAILED,
{SUBMITTED,IN_PROGRESS}→STOP_REQUESTED→{STOPPED,COMPLETED}. COMPLETED, FAILED, STOPPED never change."
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class JobStatus(enum.StrEnum):
    """The model's JobStatus enum (kept equal to ``schemas/definitions.json`` by a self-test)."""

    SUBMITTED = "SUBMITTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    STOP_REQUESTED = "STOP_REQUESTED"
    STOPPED = "STOPPED"


TRANSITIONS: Mapping[JobStatus, frozenset[JobStatus]] = {
    JobStatus.SUBMITTED: frozenset({JobStatus.IN_PROGRESS, JobStatus.FAILED, JobStatus.STOP_REQUESTED}),
    JobStatus.IN_PROGRESS: frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.STOP_REQUESTED}),
    JobStatus.STOP_REQUESTED: frozenset({JobStatus.STOPPED, JobStatus.COMPLETED}),
    JobStatus.COMPLETED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.STOPPED: frozenset(),
}
"""Direct transitions: one step of the job's state machine."""

END_STATES = frozenset(status for status, successors in TRANSITIONS.items() if not successors)


def _closure(start: JobStatus) -> frozenset[JobStatus]:
    seen: set[JobStatus] = set()
    frontier = [start]
    while frontier:
        for successor in TRANSITIONS[frontier.pop()]:
            if successor not in seen:
                seen.add(successor)
                frontier.append(successor)
    return frozenset(seen)


REACHABLE: Mapping[JobStatus, frozenset[JobStatus]] = {status: _closure(status) for status in JobStatus}
"""Statuses reachable in one or more steps: what a poller may legally see next (it can miss steps)."""


def may_follow(earlier: JobStatus, later: JobStatus) -> bool:
    """Whether a job seen in ``earlier`` may later be seen in ``later`` (the same status, or reachable from it)."""
    return earlier == later or later in REACHABLE[earlier]
