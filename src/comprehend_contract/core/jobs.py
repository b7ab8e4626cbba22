"""The run's jobs: every job any of its processes started, and stopping the ones still running at the end.

Nothing is left running: a job the run started is stopped when the run ends, however it ends (``JobLedger`` in
each process; ``stop_jobs`` for the whole run's list when it is interrupted or loses a worker).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from comprehend_contract.spec.family import family
from comprehend_contract.spec.lifecycle import END_STATES
from comprehend_contract.targets import TargetProfile

log = logging.getLogger(__name__)

CONCURRENT_CHORES = 8
"""How many of the run's own requests about its jobs (Describe, Stop at the end) are in flight at once."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class JobRef:
    """A job the run started: its type (which operations reach it) and its id. Text form ``<type>/<id>``."""

    job_type: str
    job_id: str

    def __str__(self) -> str:
        return f"{self.job_type}/{self.job_id}"

    @classmethod
    def parse(cls, text: str) -> JobRef:
        job_type, _, job_id = text.partition("/")
        return cls(job_type, job_id)


def call(comprehend: Any, operation: str, **members: Any) -> Any:
    """Call ``operation`` (e.g. ``StopEventsDetectionJob``) on a boto3 Comprehend client."""
    return getattr(comprehend, re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower())(**members)


class JobLedger:
    """Every job this process started, so that the run can stop the ones still running at the end.

    ``record`` also tells the run's other processes (the coordination directory's job list), so that whichever
    process ends an interrupted run can stop every job of it.
    """

    def __init__(self, record: Callable[[str], None] = lambda job: None) -> None:
        self._jobs: list[JobRef] = []
        self._done_with: set[JobRef] = set()
        self._ended: set[JobRef] = set()
        self._lock = threading.Lock()
        self._record = record

    def add(self, job: JobRef) -> None:
        with self._lock:
            if job not in self._jobs:
                self._jobs.append(job)
                self._record(str(job))

    def done_with(self, job: JobRef) -> None:
        """The run has seen all it will of ``job``: it was seen in an end state, or it outlasted a wait the run
        gave it. At the end it is still stopped if it shows no end state, but not waited for: an ended job has
        written its output, and a wait for the other could only repeat the budget it has already outlasted."""
        with self._lock:
            self._done_with.add(job)

    def ended(self, job: JobRef) -> None:
        """``job`` was seen in an end state: at the end it is neither described again nor stopped (an end state is
        final), which spares a request per job where every request counts against a quota."""
        with self._lock:
            self._done_with.add(job)
            self._ended.add(job)

    def __len__(self) -> int:
        return len(self._jobs)

    def __iter__(self) -> Iterator[JobRef]:
        with self._lock:
            return iter(list(self._jobs))

    def stop_and_wait(self, profile: TargetProfile, comprehend: Any = None) -> list[str]:
        """``stop_running`` within the target's budgets (its end wait, at most its job timeout)."""
        budgets = profile.budgets
        return self.stop_running(
            comprehend or profile.housekeeping_client(),
            wait_seconds=min(budgets.end_wait_seconds, budgets.job_timeout_seconds),
            poll=(budgets.poll_initial_seconds, budgets.poll_max_seconds),
        )

    def stop_running(
        self, comprehend: Any, wait_seconds: float = 0.0, poll: tuple[float, float] = (0.05, 1.0)
    ) -> list[str]:
        """Stop every recorded job that has not ended, and wait up to ``wait_seconds`` for all of them to end (a
        stopped job writes its partial output as it ends), polling from ``poll[0]`` backing off to ``poll[1]``
        seconds; the jobs it asked to stop (``<type>/<id>``)."""
        deadline = time.monotonic() + wait_seconds
        stopped: list[str] = []
        seen: set[JobRef] = set()
        pending: list[JobRef] = []
        interval = poll[0]
        while True:
            # a scenario thread may still record a job it was starting when the run ended: stop those too
            fresh = [job for job in self if job not in seen and job not in self._ended]
            seen.update(fresh)
            # the Describe that decides whether to stop a fresh job also says whether it has ended: no second one
            outcomes = _each(lambda job: _stop_unless_ended(comprehend, job), fresh)
            stopped += [str(job) for job, (_, asked) in zip(fresh, outcomes, strict=True) if asked]
            left = [job for job, (status, _) in zip(fresh, outcomes, strict=True) if status not in END_STATES]
            waiting = [job for job in pending if job not in self._done_with]
            statuses = _each(lambda job: _status(comprehend, job), waiting)
            pending = [job for job, status in zip(waiting, statuses, strict=True) if status not in END_STATES]
            pending += [job for job in left if job not in self._done_with]
            if not pending or time.monotonic() >= deadline:
                break
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            interval = min(interval * 1.5, poll[1])
        if pending:
            log.warning(
                "%d job(s) had not ended after %g s: %s", len(pending), wait_seconds, ", ".join(map(str, pending))
            )
        return stopped


def _properties(comprehend: Any, job: JobRef) -> dict[str, Any]:
    job_type = family().get(job.job_type)
    found: dict[str, Any] = call(comprehend, job_type.describe, JobId=job.job_id)[job_type.properties_member]
    return found


def _status(comprehend: Any, job: JobRef) -> str | None:
    try:
        return str(_properties(comprehend, job)["JobStatus"])
    except (ClientError, BotoCoreError, KeyError, TypeError):
        return None


def stop_jobs(comprehend: Any, jobs: list[JobRef]) -> list[str]:
    """Stop every job of ``jobs`` that has not ended (a boto3 Comprehend client), each through its type's own Stop,
    ``CONCURRENT_CHORES`` at a time; the jobs it asked to stop (``<type>/<id>``)."""
    outcomes = _each(lambda job: _stop_unless_ended(comprehend, job), jobs)
    return [str(job) for job, (_, asked) in zip(jobs, outcomes, strict=True) if asked]


def _stop_unless_ended(comprehend: Any, job: JobRef) -> tuple[str | None, bool]:
    """Describe ``job`` and stop it unless it has ended or is stopping: the status seen (None if unknown) and
    whether it was asked to stop."""
    try:
        status = str(_properties(comprehend, job)["JobStatus"])
        if status not in END_STATES and status != "STOP_REQUESTED":
            call(comprehend, family().get(job.job_type).stop, JobId=job.job_id)
            return status, True
        return status, False
    except (ClientError, BotoCoreError, KeyError, TypeError) as error:
        log.warning("could not stop job %s: %s", job, error)
        return None, False


def _each(chore: Callable[[JobRef], T], jobs: list[JobRef]) -> list[T]:
    """``chore`` of each job, ``CONCURRENT_CHORES`` at a time (each its own request: a distant target's latency
    is paid once per batch, not once per job), the results in the jobs' order."""
    if len(jobs) <= 1:
        return [chore(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(CONCURRENT_CHORES, len(jobs)), thread_name_prefix="job-chores") as pool:
        return list(pool.map(chore, jobs))
