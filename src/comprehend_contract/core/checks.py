"""Clause-attributed checks, and the registry of checks every response gets in passing.

``ClauseChecks`` charges a failed assertion inside ``checks.clause(ID)`` to that clause alone. ``IN_PASSING`` is
the registry of what must hold of *every* response, wherever the suite sees it (a live call in a test, or a
scenario's recorded evidence): each entry is a named function keyed by the clause it tests. ``observe`` runs them.
LIFE-TRANSITIONS is judged in passing too, across every process of the run (``judge_transition``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.refusals import Refusal
from comprehend_contract.spec import catalogue, validator_for
from comprehend_contract.spec.family import family
from comprehend_contract.spec.lifecycle import JobStatus, may_follow
from comprehend_contract.spec.traceability import judges
from comprehend_contract.verdicts import CheckResult, ClauseCheck

CONTENT_TYPE = "application/x-amz-json-1.1"
RETRYABLE_5XX = frozenset(
    {
        "InternalServerException",
        "InternalFailure",
        "ServiceUnavailableException",
        "ServiceUnavailable",
        "ThrottlingException",
    }
)
"""What a 5xx may name under ERR-INTERNAL: an internal error, or a throttling/unavailable code."""
JOB_STATUSES = frozenset(status.value for status in JobStatus)


def one_line(text: str, limit: int = 300) -> str:
    """``text`` with its whitespace runs collapsed, cut at ``limit`` characters: fit for a summary line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ClauseChecks:
    """The clause checks of one test.

    A check of one of the test's own clauses (its marker) that fails makes the test fail when it ends; a check of
    any other clause (an incidental one, e.g. ERR-SHAPE on every error response) only feeds that clause's verdict.
    Either way the test goes on, so one defect does not hide the next.
    """

    def __init__(self, own: tuple[str, ...]) -> None:
        self.own = own
        self.results: list[ClauseCheck] = []
        self.exchanges: list[Exchange] = []
        """Every request and response the test saw or judged, oldest first (evidence for failures)."""

    @contextmanager
    def clause(self, clause_id: str, what: str = "", exchange: Exchange | None = None) -> Iterator[None]:
        """Charge an ``AssertionError`` raised in the block to ``clause_id``; record a pass otherwise."""
        catalogue().get(clause_id)
        try:
            yield
        except AssertionError as error:
            message = str(error).split("\nassert ")[0] or "assertion failed"
            detail = one_line(f"{what}: {message}" if what else message)
            seen = exchange.to_dict() if exchange is not None else None
            self.results.append(ClauseCheck(clause_id, CheckResult.FAIL, detail, seen))
        else:
            self.results.append(ClauseCheck(clause_id, CheckResult.PASS, one_line(what)))

    def not_exercised(self, clause_id: str, reason: str) -> None:
        catalogue().get(clause_id)
        self.results.append(ClauseCheck(clause_id, CheckResult.NOT_EXERCISED, one_line(reason)))

    def own_failures(self) -> list[ClauseCheck]:
        return [c for c in self.results if c.result is CheckResult.FAIL and c.clause in self.own]

    def retries(self) -> tuple[str, ...]:
        """What the transient answers the test's requests met, and retried, were."""
        return tuple(note for exchange in self.exchanges for note in exchange.retries)


@dataclass(frozen=True, slots=True)
class InPassingCheck:
    """A check every response gets where it ``applies``: ``check`` raises ``AssertionError`` when it fails."""

    clause: str
    name: str
    applies: Callable[[Exchange], bool]
    check: Callable[[Exchange], None]


IN_PASSING: list[InPassingCheck] = []
"""The registry, in the order checks run."""


def in_passing(
    clause: str, applies: Callable[[Exchange], bool] = lambda exchange: True
) -> Callable[[Callable[[Exchange], None]], Callable[[Exchange], None]]:
    """Register a function as an in-passing check of ``clause``."""

    def register(check: Callable[[Exchange], None]) -> Callable[[Exchange], None]:
        IN_PASSING.append(InPassingCheck(clause, check.__name__, applies, check))
        return judges(clause, note="in passing, on every response it applies to")(check)

    return register


@in_passing("PROTO-REQUEST-ID")
def carries_a_request_id(exchange: Exchange) -> None:
    assert exchange.headers.get("x-amzn-requestid"), "no x-amzn-RequestId header"


@in_passing("PROTO-CONTENT-TYPE")
def carries_the_json_1_1_content_type(exchange: Exchange) -> None:
    media_type = exchange.headers.get("content-type", "").split(";")[0].strip().lower()
    assert media_type == CONTENT_TYPE, f"Content-Type is {exchange.headers.get('content-type')!r}"


def _refused_for(clause: str) -> Callable[[Exchange], bool]:
    return lambda exchange: exchange.refusal is not None and Refusal.of(exchange.refusal).clause == clause


for _clause in dict.fromkeys(refusal.clause for refusal in Refusal):

    @in_passing(_clause, applies=_refused_for(_clause))
    def is_not_accepted(exchange: Exchange) -> None:
        assert not 200 <= exchange.status < 300, (
            f"the {exchange.refusal} request was accepted: {exchange.operation} answered {exchange.describe()}"
        )


@in_passing("ERR-SHAPE", applies=lambda exchange: exchange.status >= 400)
def assert_error_shape(exchange: Exchange) -> None:
    """ERR-SHAPE: 4xx/5xx and a JSON body whose ``__type`` names the error, with a string message."""
    assert 400 <= exchange.status <= 599, f"status {exchange.status} is not an error status"
    body = exchange.json()
    assert isinstance(body, dict), f"error body is not a JSON object: {exchange.body[:120]!r}"
    errors = [error.message for error in validator_for("error").iter_errors(body)]
    assert not errors, f"error body does not fit error.json: {'; '.join(errors)}"
    assert exchange.error_code, f"__type {body.get('__type')!r} names no error"


@in_passing("ERR-INTERNAL", applies=lambda exchange: exchange.status >= 500)
def names_a_retryable_error(exchange: Exchange) -> None:
    assert exchange.error_code in RETRYABLE_5XX, (
        f"a {exchange.status} answer names {exchange.error_code!r}, not InternalServerException or a "
        "throttling/unavailable code"
    )


def observe(checks: ClauseChecks, exchange: Exchange) -> None:
    """Run every in-passing check that applies to ``exchange`` (and keep it as the test's evidence).

    A transient answer (``exchange.transient``: a throttle that was retried) is checked too, but can only fail a
    clause: a fault of the network or of the target's capacity never makes a clause pass that the run did not
    otherwise exercise.
    """
    what = f"{exchange.operation} answered {exchange.describe()}"
    checks.exchanges.append(exchange)
    for entry in IN_PASSING:
        if entry.applies(exchange):
            recorded = len(checks.results)
            with checks.clause(entry.clause, what, exchange):
                entry.check(exchange)
            if exchange.transient and checks.results[recorded:] and checks.results[-1].result is CheckResult.PASS:
                del checks.results[recorded:]


def properties_of(exchange: Exchange) -> dict[str, Any] | None:
    """The job properties a successful Describe shows (``<Type>DetectionJobProperties``), if it shows them."""
    job_type = family().of_operation(exchange.operation)
    if job_type is None or exchange.operation != job_type.describe or exchange.status != 200:
        return None
    body = exchange.json()
    properties = body.get(job_type.properties_member) if isinstance(body, dict) else None
    return properties if isinstance(properties, dict) else None


def status_of(exchange: Exchange) -> tuple[str | None, str | None]:
    """The (status, job id) a successful Start, Describe or Stop response shows, if any."""
    job_type = family().of_operation(exchange.operation)
    body = exchange.json() if exchange.status == 200 else None
    if job_type is None or not isinstance(body, dict):
        return None, None
    if exchange.operation == job_type.describe:
        properties = properties_of(exchange)
        if properties is not None and isinstance(properties.get("JobStatus"), str):
            return properties["JobStatus"], properties.get("JobId")
        return None, None
    if exchange.operation in (job_type.start, job_type.stop):
        request = exchange.request if isinstance(exchange.request, Mapping) else {}
        job_id = body.get("JobId") or request.get("JobId")
        status = body.get("JobStatus")
        if isinstance(status, str) and isinstance(job_id, str):
            return status, job_id
    return None, None


def job_status(exchange: Exchange | None) -> str | None:
    """The job status a successful Start, Describe or Stop response shows, if any."""
    return None if exchange is None else status_of(exchange)[0]


class StatusLog(Protocol):
    """Where the statuses of a run's jobs are kept, across all its processes (``Coordination``)."""

    def record_status(
        self, job_id: str, status: str, sent: float, received: float
    ) -> list[tuple[str, float, float]]: ...


@judges("LIFE-TRANSITIONS", note="in passing, on every status any process of the run saw for a job")
def judge_transition(checks: ClauseChecks, log: StatusLog, exchange: Exchange, sent: float, received: float) -> None:
    """LIFE-TRANSITIONS in passing: a status against every other observation of the job, by any process of the run.

    A response shows the job's status at some moment between ``sent`` and ``received`` (wall clock). Two
    observations are ordered only when one was received before the other was sent; overlapping ones are not
    compared. A check is recorded only where there is an ordered pair to judge.
    """
    status, job_id = status_of(exchange)
    if status is None or job_id is None:
        return
    earlier = log.record_status(job_id, status, sent, received)
    pairs = [(other, status) for other, _, got in earlier if got < sent]
    pairs += [(status, other) for other, went, _ in earlier if received < went]
    if not pairs:
        return
    with checks.clause("LIFE-TRANSITIONS", f"job {job_id}: {status} among {len(earlier)} other observation(s)"):
        for first, second in pairs:
            assert first in JOB_STATUSES, f"{first!r} is not a job status"
            assert second in JOB_STATUSES, f"{second!r} is not a job status"
            assert may_follow(JobStatus(first), JobStatus(second)), f"job {job_id}: seen {first}, then {second}"
