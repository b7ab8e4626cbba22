"""The run's request pacing, across all its processes: the run's own rate, and each operation's share of its quota.

A target's quotas are per operation (each type's Start, Describe, List and Stop: ``requests_per_second`` in the
family) and shared with whatever else the account runs; the run keeps to ``quota_share`` of each, and to its
overall ``requests_per_second``. Both come from the target's budgets (``--target aws``: 2 requests a second in
all, half of each operation's quota); a local target paces nothing unless asked.
"""

from __future__ import annotations

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.spec.family import family
from comprehend_contract.targets import Budgets


def operation_rate(operation: str, quota_share: float | None) -> float | None:
    """Requests per second the run may send to ``operation``: ``quota_share`` of its documented quota (None: not
    paced, for an operation outside the family or when no share is set)."""
    job_type = family().of_operation(operation)
    verb = job_type.verb_of(operation) if job_type is not None else None
    if quota_share is None or job_type is None or verb is None:
        return None
    quota: float = getattr(job_type.requests_per_second, verb)
    return quota * quota_share


class Pacer:
    """Called before each attempt of a request (``before_send``) with its operation: waits its turn."""

    def __init__(self, coordination: Coordination, budgets: Budgets) -> None:
        self.coordination = coordination
        self.overall = budgets.requests_per_second
        self.quota_share = budgets.quota_share

    def __call__(self, operation: str) -> None:
        rate = operation_rate(operation, self.quota_share)
        if rate:
            self.coordination.wait_for_turn(rate, bucket=operation)
        if self.overall:
            self.coordination.wait_for_turn(self.overall)
