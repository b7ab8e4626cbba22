"""Calling an implementation from a contract test: one ``Exchange`` per request, checked in passing.

Every response a test gets goes through ``Api.call``, which records the exchange and runs the core's registry of
in-passing checks on it (``core.checks.IN_PASSING``: ERR-SHAPE on each error, ERR-INTERNAL on each 5xx,
PROTO-REQUEST-ID and PROTO-CONTENT-TYPE on all, the AUTH clause of a request that had to be refused), and judges
LIFE-TRANSITIONS against every status any process of the run saw for the job.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NoReturn

from botocore.exceptions import ClientError

from comprehend_contract.clients import Credentials, RawResponse, RawSender, Signature
from comprehend_contract.clients.raw import answer_with_retries
from comprehend_contract.clients.retry import NO_RETRIES, RetryPolicy, TransientFailure
from comprehend_contract.core.checks import ClauseChecks, StatusLog, judge_transition, observe
from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.incomplete import Incomplete
from comprehend_contract.core.jobs import JobLedger, JobRef
from comprehend_contract.core.refusals import Refusal
from comprehend_contract.spec.family import JobType, family

CONCURRENT_REQUESTS = 8
"""Requests ``Api.stop_each`` has in flight at once."""
TRANSPORTS = ("raw", "boto3")
"""Requests a stock SDK can send are sent both ways: raw signed HTTP and boto3."""
_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


class BotoTransport:
    """A boto3 client whose every HTTP answer is kept (botocore's ``before-parse`` event), under the run's retry
    policy: botocore's own retries are off (``max_attempts=1``), so that each transient answer is seen (and heard
    of as it comes by ``on_transient``: operation, why, whether it is a throttle)."""

    def __init__(
        self,
        client: Any,
        retry: RetryPolicy = NO_RETRIES,
        before_send: Callable[[str], None] = lambda operation: None,
        on_transient: Callable[[str, str, bool], None] | None = None,
    ) -> None:
        self.client = client
        self.retry = retry
        self.before_send = before_send
        self.on_transient = on_transient
        self._received = threading.local()
        """The last answer of each thread's call (botocore's clients are thread-safe, so several threads may call)."""
        client.meta.events.register("before-parse.comprehend", self._keep)

    def _keep(self, response_dict: dict[str, Any], **_: Any) -> None:
        self._received.last = response_dict

    def _once(self, operation: str, body: Mapping[str, Any]) -> RawResponse:
        self._received.last = None
        method = getattr(self.client, _SNAKE.sub("_", operation).lower())
        with contextlib.suppress(ClientError):
            method(**body)
        response = self._received.last
        if response is None:
            raise RuntimeError(f"boto3 sent no {operation} request (a client-side error?)")
        headers = {str(k).lower(): str(v) for k, v in dict(response["headers"]).items()}
        return RawResponse(int(response["status_code"]), headers, bytes(response["body"]))

    def call(self, operation: str, body: Mapping[str, Any]) -> RawResponse:
        """One call; transient answers are retried and kept in ``earlier``; ``TransientFailure`` if all were."""
        heard = self.on_transient
        transient = (lambda why, throttled: heard(operation, why, throttled)) if heard is not None else None
        what = f"{operation} (boto3)"
        return answer_with_retries(
            self.retry, what, lambda: self._once(operation, body), lambda: self.before_send(operation), transient
        )


class Api:
    """The calls of one contract test, as one account, checked in passing.

    A plain class, not a dataclass: pretty-printers (hypothesis's, in failure reports) would print every field.
    """

    def __init__(
        self,
        checks: ClauseChecks,
        raw: RawSender,
        boto: BotoTransport,
        ledger: JobLedger,
        statuses: StatusLog,
        job_type: JobType,
    ) -> None:
        self.checks = checks
        self.raw = raw
        self.boto = boto
        self.ledger = ledger
        self.statuses = statuses
        self.job_type = job_type

    def __repr__(self) -> str:
        return f"Api({self.raw.endpoint_url})"

    def call(
        self,
        operation: str,
        body: Mapping[str, Any] | bytes | str | None = None,
        *,
        transport: str = "raw",
        amz_target: str | None = None,
        signature: Signature = Signature.VALID,
        signed_at: dt.datetime | None = None,
        credentials: Credentials | None = None,
        refusal: Refusal | None = None,
        retry: RetryPolicy | None = None,
    ) -> Exchange:
        """Send one request by ``transport`` (``raw`` or ``boto3``) and return what came back.

        ``refusal`` makes the request one that must be refused for authentication (unsigned, expired...).
        Transient answers (throttles, resets, timeouts) are retried under the run's policy (or ``retry``) and
        checked in passing; if every attempt met one, the test ends as ``Incomplete``.
        """
        request = {} if body is None else body
        sent = time.time()
        try:
            response = self._send(
                operation, request, transport, amz_target, signature, signed_at, credentials, refusal, retry
            )
        except TransientFailure as failure:
            self._incomplete(operation, request, refusal, transport, failure)
        return self._record(operation, request, response, refusal, transport, sent)

    def stop_each(self, job_ids: Sequence[Any], *, transport: str = "raw") -> list[Exchange]:
        """The test's job type's Stop of each of ``job_ids``, ``CONCURRENT_REQUESTS`` at a time (independent
        requests: a distant target answers them in the time of a few), each recorded and checked in passing as
        ``call`` does, in the order given. Under a paced run each still waits its turn."""
        operation = self.job_type.stop
        requests = [{"JobId": job_id} for job_id in job_ids]

        def send(request: Mapping[str, Any]) -> tuple[float, RawResponse]:
            sent = time.time()
            return sent, self._send(operation, request, transport, None, Signature.VALID, None, None, None, None)

        with ThreadPoolExecutor(max_workers=CONCURRENT_REQUESTS, thread_name_prefix="stop-each") as pool:
            futures = [pool.submit(send, request) for request in requests]
        exchanges, transient = [], None
        for request, future in zip(requests, futures, strict=True):
            try:
                sent, response = future.result()
            except TransientFailure as failure:
                transient = transient or (request, failure)
                continue
            exchanges.append(self._record(operation, request, response, None, transport, sent))
        if transient is not None:
            self._incomplete(operation, transient[0], None, transport, transient[1])
        return exchanges

    def _send(
        self,
        operation: str,
        request: Mapping[str, Any] | bytes | str,
        transport: str,
        amz_target: str | None,
        signature: Signature,
        signed_at: dt.datetime | None,
        credentials: Credentials | None,
        refusal: Refusal | None,
        retry: RetryPolicy | None,
    ) -> RawResponse:
        """The answer to one request sent by ``transport``, transient answers retried (``TransientFailure`` if
        every attempt met one). Safe from several threads at once."""
        if transport == "boto3":
            invalid = amz_target or signature is not Signature.VALID or signed_at or refusal
            if not isinstance(request, Mapping) or invalid:
                raise ValueError("boto3 sends only well-signed requests with a JSON object body")
            return self.boto.call(operation, request)
        how: dict[str, Any] = {"signature": signature, "signed_at": signed_at, "credentials": credentials}
        if refusal is not None:
            how.update(refusal.how(credentials or self.raw.credentials))
        return self.raw.send(operation, request, amz_target=amz_target, retry=retry, **how)

    def _incomplete(
        self,
        operation: str,
        request: Mapping[str, Any] | bytes | str,
        refusal: Refusal | None,
        transport: str,
        failure: TransientFailure,
    ) -> NoReturn:
        """Every attempt met a transient answer: each is checked in passing, and the test ends ``Incomplete``."""
        for answer in failure.answers:
            observe(self.checks, Exchange.from_raw(operation, request, answer, refusal, transport, transient=True))
        raise Incomplete(str(failure)) from None

    def _record(
        self,
        operation: str,
        request: Mapping[str, Any] | bytes | str,
        response: RawResponse,
        refusal: Refusal | None,
        transport: str,
        sent: float,
    ) -> Exchange:
        """The exchange of an answered request: recorded, checked in passing, its job status judged and a job it
        started put in the ledger."""
        for answer in response.earlier:
            observe(self.checks, Exchange.from_raw(operation, request, answer, refusal, transport, transient=True))
        exchange = Exchange.from_raw(operation, request, response, refusal, transport)
        observe(self.checks, exchange)
        judge_transition(self.checks, self.statuses, exchange, sent, time.time())
        started = family().of_operation(operation)
        if started is not None and operation == started.start and exchange.status == 200:
            body = exchange.json()
            if isinstance(body, dict) and isinstance(body.get("JobId"), str):
                self.ledger.add(JobRef(started.name, body["JobId"]))
        return exchange

    def stop(self, job_id: Any, *, transport: str = "raw") -> Exchange:
        """The test's job type's Stop of ``job_id``."""
        return self.call(self.job_type.stop, {"JobId": job_id}, transport=transport)

    def describe(self, job_id: str) -> Exchange:
        """The test's job type's Describe of ``job_id``."""
        return self.call(self.job_type.describe, {"JobId": job_id})

    def list(self, body: Mapping[str, Any] | None = None, **how: Any) -> Exchange:
        """The test's job type's List."""
        return self.call(self.job_type.list, dict(body or {}), **how)
