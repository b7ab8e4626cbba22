"""The job ledger's end of run: every job stopped, and waited for unless the run is done with it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from comprehend_contract.clients.boto import Credentials
from comprehend_contract.core.jobs import JobLedger, JobRef
from comprehend_contract.targets.embedded import MotoTarget
from comprehend_contract.targets.profile import Budgets, TargetProfile

STUCK, ENDS = JobRef("Events", "stuck"), JobRef("Events", "ends")


class StuckComprehend:
    """A Comprehend client whose stopped jobs stay STOP_REQUESTED, except ``ends``, which is STOPPED once stopped."""

    def __init__(self, ends: str) -> None:
        self.status = {"stuck": "IN_PROGRESS", "ends": "IN_PROGRESS"}
        self.ends = ends
        self.stopped: list[str] = []
        self.described: Counter[str] = Counter()

    def describe_events_detection_job(self, JobId: str) -> dict[str, Any]:
        self.described[JobId] += 1
        return {"EventsDetectionJobProperties": {"JobStatus": self.status[JobId]}}

    def stop_events_detection_job(self, JobId: str) -> None:
        self.stopped.append(JobId)
        self.status[JobId] = "STOPPED" if JobId == self.ends else "STOP_REQUESTED"


def test_a_job_the_run_is_done_with_is_stopped_but_not_waited_for() -> None:
    ledger = JobLedger()
    ledger.add(STUCK)
    ledger.add(ENDS)
    ledger.done_with(STUCK)
    comprehend = StuckComprehend(ends="ends")
    stopped = ledger.stop_running(comprehend, wait_seconds=60.0, poll=(0.01, 0.05))
    assert stopped == ["Events/stuck", "Events/ends"], "each job through its own type's Stop"
    assert comprehend.described["stuck"] == 1, "the run polled a job it was done with"
    assert comprehend.described["ends"] == 2, "a stopped job is described until it has ended"


def test_a_job_that_does_not_end_is_waited_for_up_to_the_wait() -> None:
    ledger = JobLedger()
    ledger.add(STUCK)
    comprehend = StuckComprehend(ends="ends")
    ledger.stop_running(comprehend, wait_seconds=0.3, poll=(0.01, 0.05))
    assert comprehend.stopped == ["stuck"]
    assert comprehend.described["stuck"] > 3, "a job that has not ended is polled until the wait is over"


def test_moto_jobs_are_stopped_at_the_end_but_not_waited_for() -> None:
    """moto's jobs and bucket go with the run's own moto server: its end wait is 0, each job is still stopped."""
    budgets = MotoTarget({}).budgets
    assert budgets.end_wait_seconds == 0.0
    assert Budgets().end_wait_seconds == 120.0
    profile = TargetProfile("moto", "moto", None, None, "us-east-1", Credentials("a", "b"), "b", "r", budgets=budgets)
    ledger = JobLedger()
    ledger.add(STUCK)
    comprehend = StuckComprehend(ends="ends")
    ledger.stop_and_wait(profile, comprehend)
    assert comprehend.stopped == ["stuck"]
    assert comprehend.described["stuck"] == 1, "one Describe, before its Stop: no wait, so no second look"


def test_a_job_seen_in_an_end_state_is_neither_described_nor_stopped_at_the_end() -> None:
    ledger = JobLedger()
    ledger.add(STUCK)
    ledger.add(ENDS)
    ledger.ended(ENDS)
    comprehend = StuckComprehend(ends="ends")
    ledger.stop_running(comprehend, wait_seconds=0.0)
    assert comprehend.stopped == ["stuck"]
    assert "ends" not in comprehend.described, "an end state is final: no request for it"
