"""The run's S3 workspace and job ledger: nothing outside the run's prefix is touched, nothing is left running."""

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


JOB_NAME_PREFIX = "cc-"


class OutsideRunPrefix(RuntimeError):
    """A bug in the suite: it tried to write or delete an S3 key outside its own run prefix."""


class Workspace:
    """Inputs and outputs of one pytest process, all under ``s3://<bucket>/<run prefix>``."""

    def __init__(self, s3: Any, bucket: str, run_prefix: str, run_id: str = "") -> None:
        if not run_prefix.endswith("/") or "run-" not in run_prefix:
            raise OutsideRunPrefix(f"run prefix {run_prefix!r} must end with '/' and name the run")
        self.s3 = s3
        self.bucket = bucket
        self.run_prefix = run_prefix
        self.run_id = run_id
        self._lock = threading.Lock()
        self._counter = 0

    def _key(self, relative: str) -> str:
        key = self.run_prefix + relative
        if not key.startswith(self.run_prefix) or ".." in relative.split("/"):
            raise OutsideRunPrefix(f"key {key!r} is outside {self.run_prefix!r}")
        return key

    def uri(self, relative: str) -> str:
        return f"s3://{self.bucket}/{self._key(relative)}"

    def new_folder(self, label: str) -> str:
        """A fresh folder name under the run prefix (relative), e.g. ``input-3-stop/``."""
        with self._lock:
            self._counter += 1
            return f"{label}-{self._counter}/"

    def job_name(self, label: str) -> str:
        """A job name that carries the run id (``cc-<run id>-<label>``): ``comprehend-contract cleanup`` finds a
        killed run's jobs by it."""
        return f"{JOB_NAME_PREFIX}{self.run_id}-{label}"[:256]

    def put(self, relative: str, body: str | bytes) -> str:
        """Write one object under the run prefix; its ``s3://`` URI."""
        self.s3.put_object(Bucket=self.bucket, Key=self._key(relative), Body=body)
        return self.uri(relative)

    def input_folder(self, files: dict[str, str | bytes], label: str = "input") -> str:
        """Upload ``files`` to a fresh folder; the folder's ``s3://`` URI (a prefix ending with '/')."""
        folder = self.new_folder(label)
        for name, body in files.items():
            self.put(folder + name, body)
        return self.uri(folder)

    def ensure_bucket(self) -> None:
        try:
            self.s3.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.s3.create_bucket(Bucket=self.bucket)

    def remove_all(self) -> int:
        """Delete every object under the run prefix (inputs, and outputs the implementation wrote there)."""
        removed = 0
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.run_prefix):
            keys = [obj["Key"] for obj in page.get("Contents", []) if obj["Key"].startswith(self.run_prefix)]
            if keys:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": key} for key in keys]})
                removed += len(keys)
        return removed


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
