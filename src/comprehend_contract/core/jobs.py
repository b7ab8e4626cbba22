"""The run's jobs: every job any of its processes started, and stopping the ones still running at the end.

Nothing is left running: a job the run started is stopped when the run ends, however it ends (``JobLedger`` in
each process; ``stop_jobs`` for the whole run's list when it is interrupted).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from comprehend_contract.spec.lifecycle import END_STATES
from comprehend_contract.targets import TargetProfile

log = logging.getLogger(__name__)


class JobLedger:
    """Every job this process started, so that the run can stop the ones still running at the end.

    ``record`` also tells the run's other processes (the coordination directory's job list), so that whichever
    process ends an interrupted run can stop every job of it.
    """

    def __init__(self, record: Callable[[str], None] = lambda job_id: None) -> None:
        self._jobs: list[str] = []
        self._done_with: set[str] = set()
        self._lock = threading.Lock()
        self._record = record

    def add(self, job_id: str) -> None:
        with self._lock:
            if job_id not in self._jobs:
                self._jobs.append(job_id)
                self._record(job_id)

    def done_with(self, job_id: str) -> None:
        """The run has seen all it will of ``job_id``: it was seen in an end state, or it outlasted a wait the run
        gave it. At the end it is still stopped if it shows no end state, but not waited for: an ended job has
        written its output, and a wait for the other could only repeat the budget it has already outlasted."""
        with self._lock:
            self._done_with.add(job_id)

    def __len__(self) -> int:
        return len(self._jobs)

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._jobs))

    def stop_and_wait(self, profile: TargetProfile, comprehend: Any = None) -> list[str]:
        """``stop_running`` within the target's budgets (at most two minutes of waiting)."""
        budgets = profile.budgets
        return self.stop_running(
            comprehend or profile.housekeeping_client(),
            wait_seconds=min(120.0, budgets.job_timeout_seconds),
            poll=(budgets.poll_initial_seconds, budgets.poll_max_seconds),
        )

    def stop_running(
        self, comprehend: Any, wait_seconds: float = 0.0, poll: tuple[float, float] = (0.05, 1.0)
    ) -> list[str]:
        """Stop every recorded job that has not ended, and wait up to ``wait_seconds`` for all of them to end (a
        stopped job writes its partial output as it ends), polling from ``poll[0]`` backing off to ``poll[1]``
        seconds; the ids of those it asked to stop."""
        deadline = time.monotonic() + wait_seconds
        stopped: list[str] = []
        seen: set[str] = set()
        pending: list[str] = []
        interval = poll[0]
        while True:
            # a scenario thread may still record a job it was starting when the run ended: stop those too
            fresh = [job_id for job_id in self if job_id not in seen]
            seen.update(fresh)
            stopped += stop_jobs(comprehend, fresh)
            waiting = [job_id for job_id in [*pending, *fresh] if job_id not in self._done_with]
            pending = [job_id for job_id in waiting if _status(comprehend, job_id) not in END_STATES]
            if not pending or time.monotonic() >= deadline:
                break
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            interval = min(interval * 1.5, poll[1])
        if pending:
            log.warning("%d job(s) had not ended after %g s: %s", len(pending), wait_seconds, ", ".join(pending))
        return stopped


def _status(comprehend: Any, job_id: str) -> str | None:
    try:
        return str(
            comprehend.describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"]["JobStatus"]
        )
    except (ClientError, BotoCoreError, KeyError, TypeError):
        return None


def stop_jobs(comprehend: Any, job_ids: list[str]) -> list[str]:
    """Stop every job of ``job_ids`` that has not ended (a boto3 Comprehend client); the ids it asked to stop."""
    stopped = []
    for job_id in job_ids:
        try:
            properties = comprehend.describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"]
            if properties["JobStatus"] not in END_STATES and properties["JobStatus"] != "STOP_REQUESTED":
                comprehend.stop_sentiment_detection_job(JobId=job_id)
                stopped.append(job_id)
        except (ClientError, BotoCoreError, KeyError, TypeError) as error:
            log.warning("could not stop job %s: %s", job_id, error)
    return stopped
