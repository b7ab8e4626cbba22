"""The plan of a run: the scenarios (jobs) its tests need, how many jobs that is, and the worst-case wait."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from comprehend_contract.targets import Budgets

REQUEST_GRACE_SECONDS = 30.0
"""Time for a scenario's requests themselves, on top of its waits for job states."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Computed once per run, when the tests are known; printed at the start and used by every wait."""

    scenarios: tuple[str, ...]
    jobs: int
    """Jobs the scenarios start when no race is lost."""
    most_jobs: int
    """Jobs they may start with every retry (before ``--max-jobs``)."""
    worst_wait: float
    """Seconds a test may wait for a scenario's evidence: every attempt's wait to leave SUBMITTED, one job's
    time budget, and the requests' own time."""

    @classmethod
    def of(cls, names: list[str], jobs: Mapping[str, tuple[int, int]], budgets: Budgets, attempts: int) -> Plan:
        """``jobs``: each scenario's (jobs without retries, jobs with every retry)."""
        chosen = tuple(sorted(set(names)))
        worst = attempts * budgets.leave_submitted_seconds + budgets.job_timeout_seconds + REQUEST_GRACE_SECONDS
        return cls(
            chosen,
            sum(jobs[name][0] for name in chosen),
            sum(jobs[name][1] for name in chosen),
            worst if chosen else 0.0,
        )

    def describe(self, max_jobs: int | None) -> str:
        capped = f", capped at {max_jobs} by --max-jobs" if max_jobs is not None else ""
        return (
            f"comprehend-contract plan: {self.jobs} job(s) to start up front ({', '.join(self.scenarios)}), up to "
            f"{self.most_jobs} with retries{capped}; all run concurrently; worst-case wait {self.worst_wait:g} s"
        )
