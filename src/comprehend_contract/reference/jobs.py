"""The job table: every job of every account and type, and the only place a job's status changes.

All reads and writes go through one lock, and every status change is checked against the transition graph of
clause LIFE-TRANSITIONS, so concurrent Start/Stop/Describe calls and job threads can never produce an illegal
transition or lose a job. Each job type is its own collection (TYPE-ISOLATION): a job is found by its account,
its type and its id, never by its id alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comprehend_contract.spec.family import JobType, family
from comprehend_contract.spec.lifecycle import END_STATES, TRANSITIONS, JobStatus
from comprehend_contract.spec.traceability import implements


class IllegalTransition(RuntimeError):
    """A bug in the reference: it tried to move a job along an edge the transition graph does not have."""


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as it was when the view was taken: read-only, for behaviour hooks and the reference's self-tests."""

    job_id: str
    account_id: str
    job_type: str
    """The job's type, as the family names it (``Sentiment``, ``KeyPhrases``, ...)."""
    arn: str
    status: JobStatus
    submit_time: float
    end_time: float | None
    message: str | None
    output_uri: str
    """Where the job writes (or wrote) its output, as Describe reports it (an archive, or a folder of files)."""
    stop_requested: bool
    """Whether a stop was accepted for the job (it stays True once the job has ended)."""
    history: tuple[JobStatus, ...]
    """Every status the job has had, in order, the current one last."""


@dataclass(eq=False)
class Job:
    """One detection job of any type. Mutable fields change only under ``JobTable.lock``."""

    job_id: str
    account_id: str
    job_type: JobType
    arn: str
    sequence: int
    submit_time: float
    request: dict[str, Any]
    output_uri: str
    status: JobStatus = JobStatus.SUBMITTED
    end_time: float | None = None
    message: str | None = None
    history: list[JobStatus] = field(default_factory=lambda: [JobStatus.SUBMITTED])
    stop_requested: bool = False
    wake: threading.Event = field(default_factory=threading.Event)
    """Set when a stop is requested or the service shuts down, to cut the job's current wait short."""

    def view(self) -> JobView:
        """A read-only snapshot (take it under ``JobTable.lock`` once the job is in the table)."""
        return JobView(
            job_id=self.job_id,
            account_id=self.account_id,
            job_type=self.job_type.name,
            arn=self.arn,
            status=self.status,
            submit_time=self.submit_time,
            end_time=self.end_time,
            message=self.message,
            output_uri=self.output_uri,
            stop_requested=self.stop_requested,
            history=tuple(self.history),
        )

    @implements("LIFE-DESCRIBE-SCHEMA", "LIFE-ENDTIME", "PROTO-TIMESTAMPS")
    def properties(self) -> dict[str, Any]:
        """``<Type>DetectionJobProperties``, as Describe and List show the job: the job's own members, then the
        members of its Start request that the type's job properties have (JobName, LanguageCode, Mode, ...)."""
        request = self.request
        properties: dict[str, Any] = {
            "JobId": self.job_id,
            "JobArn": self.arn,
            "JobStatus": str(self.status),
            "SubmitTime": self.submit_time,
            "InputDataConfig": {"InputFormat": "ONE_DOC_PER_FILE", **request["InputDataConfig"]},
            "OutputDataConfig": {**request["OutputDataConfig"], "S3Uri": self.output_uri},
        }
        for member in PROPERTIES_FROM_REQUEST[self.job_type.name]:
            if member in request:
                properties[member] = request[member]
        if self.message is not None:
            properties["Message"] = self.message
        if self.end_time is not None:
            properties["EndTime"] = self.end_time
        return properties


def _from_request(job_type: JobType) -> tuple[str, ...]:
    """The job-properties members of ``job_type`` that a job takes from its Start request as given."""
    own = {"JobId", "JobArn", "JobStatus", "SubmitTime", "EndTime", "Message", "InputDataConfig", "OutputDataConfig"}
    members = job_type.bodies.job_properties.names if job_type.bodies is not None else ()
    return tuple(name for name in members if name not in own)


PROPERTIES_FROM_REQUEST: dict[str, tuple[str, ...]] = {t.name: _from_request(t) for t in family()}


class JobTable:
    """All jobs, keyed by account, type and id; idempotency tokens (per account and type); ordered by submission."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self._jobs: dict[tuple[str, str, str], Job] = {}
        self._tokens: dict[tuple[str, str, str], Job] = {}
        self._sequence = 0
        self._clock = clock

    def next_sequence(self) -> int:
        with self.lock:
            self._sequence += 1
            return self._sequence

    def now(self) -> float:
        return round(self._clock(), 3)

    def add(self, job: Job, token: str | None) -> Job:
        """Register ``job``; with an idempotency ``token`` already used by the account for a job of the same type,
        the earlier job instead."""
        with self.lock:
            if token is not None:
                key = (job.account_id, job.job_type.name, token)
                earlier = self._tokens.get(key)
                if earlier is not None:
                    return earlier
                self._tokens[key] = job
            self._jobs[(job.account_id, job.job_type.name, job.job_id)] = job
            return job

    @implements("TYPE-ISOLATION", "AUTH-ISOLATION")
    def get(self, account_id: str, job_type: str, job_id: str) -> Job | None:
        """The account's job of that type and id: another account's, or another type's, is not there."""
        with self.lock:
            return self._jobs.get((account_id, job_type, job_id))

    @implements("TYPE-ISOLATION")
    def of_account(self, account_id: str, job_type: str) -> list[Job]:
        """The account's jobs of one type, in the order they were started."""
        with self.lock:
            found = (job for (a, t, _), job in self._jobs.items() if a == account_id and t == job_type)
            return sorted(found, key=lambda job: job.sequence)

    def all_jobs(self) -> list[Job]:
        with self.lock:
            return list(self._jobs.values())

    @implements("LIFE-TRANSITIONS", "LIFE-ENDTIME")
    def move(self, job: Job, status: JobStatus, *, message: str | None = None) -> None:
        """Move ``job`` to ``status`` along an edge of the transition graph, stamping EndTime on an end state."""
        with self.lock:
            if status not in TRANSITIONS[job.status]:
                raise IllegalTransition(f"job {job.job_id}: {job.status} -> {status} is not a legal transition")
            job.status = status
            job.history.append(status)
            if message is not None:
                job.message = message
            if status in END_STATES:
                job.end_time = max(self.now(), job.submit_time)

    @implements(
        "STOP-IN-PROGRESS", "STOP-SUBMITTED", "STOP-REPEAT-REQUESTED", "STOP-STOPPED", "STOP-COMPLETED", "STOP-FAILED"
    )
    def request_stop(self, job: Job) -> JobStatus | None:
        """Mark a running job for termination; the status the stop answers, or None if the job already ended
        COMPLETED or FAILED (which cannot be stopped)."""
        with self.lock:
            if job.status in (JobStatus.SUBMITTED, JobStatus.IN_PROGRESS):
                self.move(job, JobStatus.STOP_REQUESTED)
                job.stop_requested = True
                job.wake.set()
            if job.status in (JobStatus.STOP_REQUESTED, JobStatus.STOPPED):
                return job.status
            return None
