"""Behaviour seams: the reference's public, documented way to vary what it does.

A ``Behaviour`` is a set of optional hooks given to ``ServiceConfig(behaviour=...)``; with every hook None (the
default) the reference is itself, byte for byte. A hook sees public values only (a ``Call``, a ``JobView``, a
``JobEnd``, a ``Response``, an ``AuthFailure``), never the reference's objects, so a refactor of the reference
cannot silently change what a hook does. The mutant zoo builds every deliberately wrong server from these hooks
and from ``FaultPlan`` (``reference.faults``: server errors, throttles, delays, resets, latency); rehearsals of other
misbehaviour (a flaky network, a lost stop) belong here too.

Hooks run on the reference's threads (a request's, or a job's), concurrently: keep any state they share
thread-safe. ``validate`` and ``operation`` wrap a step of the reference: they get the ``Call`` and ``proceed``,
the reference's own step, and may call it (with the call, or a ``dataclasses.replace``-d one), skip it, or raise
an ``AwsError``, which is answered as the reference answers its own errors.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comprehend_contract.reference.accounts import Account
from comprehend_contract.reference.auth import AuthFailureReason
from comprehend_contract.reference.jobs import JobTable, JobView
from comprehend_contract.spec.family import family
from comprehend_contract.spec.lifecycle import JobStatus


class JobBook:
    """The job table, read-only: snapshots (``JobView``) of the jobs, never the jobs themselves."""

    def __init__(self, table: JobTable) -> None:
        self._table = table

    def get(self, account_id: str, job_type: str, job_id: str) -> JobView | None:
        """The job ``job_id`` of that type and account as it is now; None if the account has no such job."""
        with self._table.lock:
            job = self._table.get(account_id, job_type, job_id)
            return None if job is None else job.view()

    def all_jobs(self) -> tuple[JobView, ...]:
        """Every job of every account as it is now, in the order they were started."""
        with self._table.lock:
            return tuple(job.view() for job in sorted(self._table.all_jobs(), key=lambda job: job.sequence))


@dataclass(frozen=True, slots=True)
class Call:
    """One authenticated Comprehend request on its way to an operation."""

    operation: str
    """The operation's name, e.g. ``StopSentimentDetectionJob`` (``job_type`` is its job type)."""
    account: Account
    """The account the request is served as."""
    body: Any
    """The request: parsed JSON as sent (for ``validate``), or the validated request (for ``operation``)."""
    jobs: JobBook
    """The job table, read-only."""

    @property
    def job_type(self) -> str:
        """The job type the operation is of (``Sentiment`` for ``StopSentimentDetectionJob``)."""
        found = family().of_operation(self.operation)
        return found.name if found is not None else ""

    @property
    def verb(self) -> str:
        """``start``, ``describe``, ``list`` or ``stop``: which of its type's operations the call is."""
        found = family().of_operation(self.operation)
        return (found.verb_of(self.operation) or "") if found is not None else ""

    def job_id(self) -> str | None:
        """The JobId the request names, if it names one as a string."""
        job_id = self.body.get("JobId") if isinstance(self.body, dict) else None
        return job_id if isinstance(job_id, str) else None

    def job(self) -> JobView | None:
        """The account's job of the operation's type that the request names, as it is now; None if it names none or
        there is no such job."""
        job_id = self.job_id()
        return None if job_id is None else self.jobs.get(self.account.account_id, self.job_type, job_id)


Proceed = Callable[[Call], dict[str, Any]]
"""The reference's own step that a wrapping hook may carry out: validation, or the operation's handler."""


@dataclass(frozen=True, slots=True)
class JobEnd:
    """The end a job is about to reach (COMPLETED, FAILED or STOPPED) and its Message (None keeps the current one)."""

    status: JobStatus
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    """A Comprehend response about to be sent."""

    operation: str | None
    """The operation the request named in X-Amz-Target (without ``Comprehend_20171127.``); None if it named none."""
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    error: str | None
    """The AWS error code the reference answered (``ValidationException``, ...); None for a success."""

    def json(self) -> Any:
        """The body as JSON; None if it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def with_json(self, payload: Any) -> Response:
        """This response with ``payload`` as its body, serialised as the reference serialises its answers."""
        return dataclasses.replace(self, body=json.dumps(payload).encode())

    def with_header(self, name: str, value: str | None) -> Response:
        """This response with header ``name`` (any case) set to ``value``, or removed if ``value`` is None."""
        kept = [(key, old) for key, old in self.headers if key.lower() != name.lower()]
        if value is not None:
            position = next((i for i, (key, _) in enumerate(self.headers) if key.lower() == name.lower()), len(kept))
            kept.insert(position, (name, value))
        return dataclasses.replace(self, headers=tuple(kept))


@dataclass(frozen=True, slots=True)
class AuthFailure:
    """Why a request failed SigV4 authentication, for the ``authenticate`` hook to decide on."""

    reason: AuthFailureReason
    operation: str | None
    """The operation the request named in X-Amz-Target; None if it named none."""
    account: Account | None
    """The account of the access key that signed the request, if the key is known."""


@dataclass(frozen=True, slots=True)
class Behaviour:
    """Optional hooks that vary what the reference does; the default (no hook) is the reference itself."""

    authenticate: Callable[[AuthFailure], Account | None] | None = None
    """Decides a request that failed authentication: an account to serve it as, or None to refuse it as usual."""
    validate: Callable[[Call, Proceed], dict[str, Any]] | None = None
    """Wraps request validation (``proceed``: the schema check); returns the request the operation gets."""
    operation: Callable[[Call, Proceed], dict[str, Any]] | None = None
    """Wraps every operation's handler (Start, Describe, List, Stop; ``proceed``: the handler); returns its answer."""
    output_uri: Callable[[JobView], str] | None = None
    """Where a new job writes its output, given the job with AWS's ``<S3Uri>/<account>-<CODE>-<JobId>/output/...``."""
    output: Callable[[JobView, list[dict[str, Any]]], list[dict[str, Any]] | None] | None = None
    """The records a job writes as its output, given those it analysed (each with ``File`` and, per line, ``Line``; a
    redacted copy's record holds its text as ``Redacted``); None: it writes no output at all."""
    end: Callable[[JobView, JobEnd], JobEnd | None] | None = None
    """The end a job reaches, given the one it would reach; None: it stays where it is (runs with the table locked)."""
    respond: Callable[[Response], Response] | None = None
    """Rewrites each Comprehend response just before it is sent (Content-Length is then set to the body's length)."""
