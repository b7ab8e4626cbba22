"""Calling an implementation from a contract test: one ``Exchange`` per request, checked in passing.

Every response the suite sees goes through ``Api.call``, which records the exchange and checks, as incidental
clause checks, what must hold of *every* response: ERR-SHAPE on each error, ERR-INTERNAL on each 5xx,
PROTO-REQUEST-ID and PROTO-CONTENT-TYPE on all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from comprehend_contract.clients import Credentials, RawResponse, RawSender, Signature
from comprehend_contract.clients.raw import json_or_none
from comprehend_contract.harness.refusals import Refusal
from comprehend_contract.harness.workspace import JobLedger
from comprehend_contract.plugin.checks import ClauseChecks
from comprehend_contract.spec import validator_for
from comprehend_contract.spec.lifecycle import JobStatus, may_follow

CONTENT_TYPE = "application/x-amz-json-1.1"
TRANSPORTS = ("raw", "boto3")
"""Requests a stock SDK can send are sent both ways: raw signed HTTP and boto3."""
RETRYABLE_5XX = frozenset(
    {
        "InternalServerException",
        "InternalFailure",
        "ServiceUnavailableException",
        "ServiceUnavailable",
        "ThrottlingException",
    }
)
_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and the response that came back, exactly as seen on the wire."""

    operation: str
    transport: str
    request: Any
    status: int
    headers: Mapping[str, str]
    body: bytes
    request_headers: Mapping[str, str] = field(default_factory=dict)
    refusal: str | None = None
    """How the request was made to be refused for authentication (a ``Refusal`` label), if it was."""

    def json(self) -> Any:
        return json_or_none(self.body)

    @classmethod
    def from_raw(cls, operation: str, request: Any, response: RawResponse, refusal: Refusal | None = None) -> Exchange:
        """The exchange a raw-HTTP request and its response make."""
        return cls(
            operation,
            "raw",
            request,
            response.status,
            response.headers,
            response.body,
            response.request_headers,
            refusal.label if refusal else None,
        )

    @property
    def error_code(self) -> str | None:
        """``__type`` without any ``namespace#`` prefix or ``:suffix`` (how botocore reads it)."""
        body = self.json()
        if not isinstance(body, dict) or not isinstance(body.get("__type"), str):
            return None
        return str(body["__type"]).rpartition("#")[2].partition(":")[0] or None

    @property
    def message(self) -> str | None:
        body = self.json()
        if not isinstance(body, dict):
            return None
        for key in ("message", "Message"):
            if isinstance(body.get(key), str):
                return str(body[key])
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy (request bodies that are bytes are kept as text, replacing bad UTF-8)."""
        request = self.request.decode("utf-8", "replace") if isinstance(self.request, bytes) else self.request
        return {
            "operation": self.operation,
            "transport": self.transport,
            "request": request,
            "request_headers": dict(self.request_headers),
            "status": self.status,
            "headers": dict(self.headers),
            "body": self.body.decode("utf-8", "replace"),
            "refusal": self.refusal,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Exchange:
        return cls(
            data["operation"],
            data["transport"],
            data["request"],
            data["status"],
            data["headers"],
            data["body"].encode(),
            data.get("request_headers", {}),
            data.get("refusal"),
        )

    def describe(self) -> str:
        """A one-line account of the response, for failure messages."""
        code = self.error_code
        shown = f"{code}: {self.message}" if code else self.body[:160].decode("utf-8", "replace")
        return f"HTTP {self.status} {shown}"


class BotoTransport:
    """A boto3 client that keeps the raw HTTP response of its last call (botocore's ``before-parse`` event)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.last: dict[str, Any] | None = None
        client.meta.events.register("before-parse.comprehend", self._keep)

    def _keep(self, response_dict: dict[str, Any], **_: Any) -> None:
        self.last = response_dict

    def call(self, operation: str, body: Mapping[str, Any]) -> tuple[int, dict[str, str], bytes]:
        self.last = None
        method = getattr(self.client, _SNAKE.sub("_", operation).lower())
        with contextlib.suppress(ClientError):
            method(**body)
        response = self._last_response()
        if response is None:
            raise RuntimeError(f"boto3 sent no {operation} request (a client-side error?)")
        headers = {str(k).lower(): str(v) for k, v in dict(response["headers"]).items()}
        return int(response["status_code"]), headers, bytes(response["body"])

    def _last_response(self) -> dict[str, Any] | None:
        return self.last


class Api:
    """The calls of one contract test, as one account, checked in passing.

    A plain class, not a dataclass: pretty-printers (hypothesis's, in failure reports) would print every field.
    """

    def __init__(self, checks: ClauseChecks, raw: RawSender, boto: BotoTransport, ledger: JobLedger) -> None:
        self.checks = checks
        self.raw = raw
        self.boto = boto
        self.ledger = ledger
        self.exchanges: list[Exchange] = []

    def __repr__(self) -> str:
        return f"Api({self.raw.endpoint_url}, {len(self.exchanges)} exchange(s))"

    def call(
        self,
        operation: str,
        body: Mapping[str, Any] | bytes | str | None = None,
        *,
        transport: str = "raw",
        target: str | None = None,
        signature: Signature = Signature.VALID,
        signed_at: dt.datetime | None = None,
        credentials: Credentials | None = None,
        refusal: Refusal | None = None,
    ) -> Exchange:
        """Send one request by ``transport`` (``raw`` or ``boto3``) and return what came back.

        ``refusal`` makes the request one that must be refused for authentication (unsigned, expired...).
        """
        request = {} if body is None else body
        if transport == "boto3":
            if not isinstance(request, Mapping) or target or signature is not Signature.VALID or signed_at or refusal:
                raise ValueError("boto3 sends only well-signed requests with a JSON object body")
            status, headers, data = self.boto.call(operation, request)
            exchange = Exchange(operation, transport, request, status, headers, data)
        else:
            how: dict[str, Any] = {"signature": signature, "signed_at": signed_at, "credentials": credentials}
            if refusal is not None:
                how.update(refusal.how(credentials or self.raw.credentials))
            response = self.raw.send(operation, request, target=target, **how)
            exchange = Exchange.from_raw(operation, request, response, refusal)
        self.exchanges.append(exchange)
        self._observe(exchange)
        return exchange

    def stop(self, job_id: Any, *, transport: str = "raw") -> Exchange:
        return self.call("StopSentimentDetectionJob", {"JobId": job_id}, transport=transport)

    def describe(self, job_id: str) -> Exchange:
        return self.call("DescribeSentimentDetectionJob", {"JobId": job_id})

    def _observe(self, exchange: Exchange) -> None:
        observe(self.checks, exchange)
        status, job_id = status_of(exchange)
        if status is not None and job_id is not None:
            earlier = _LAST_STATUS.get(job_id)
            _LAST_STATUS[job_id] = status
            if earlier is not None:  # a check only where there is a transition to judge
                with self.checks.clause("LIFE-TRANSITIONS", f"job {job_id}: {earlier} then {status}"):
                    assert earlier in JOB_STATUSES, f"{earlier!r} is not a job status"
                    assert status in JOB_STATUSES, f"{status!r} is not a job status"
                    assert may_follow(JobStatus(earlier), JobStatus(status)), f"seen {earlier}, then {status}"
        if exchange.operation == "StartSentimentDetectionJob" and exchange.status == 200:
            body = exchange.json()
            if isinstance(body, dict) and isinstance(body.get("JobId"), str):
                self.ledger.add(body["JobId"])


_LAST_STATUS: dict[str, str] = {}
"""The last status this process saw for each job in live calls (LIFE-TRANSITIONS, checked in passing)."""
JOB_STATUSES = frozenset(status.value for status in JobStatus)


def status_of(exchange: Exchange) -> tuple[str | None, str | None]:
    """The (status, job id) a successful Start, Describe or Stop response shows, if any."""
    body = exchange.json() if exchange.status == 200 else None
    if not isinstance(body, dict):
        return None, None
    if exchange.operation == "DescribeSentimentDetectionJob":
        properties = body.get("SentimentDetectionJobProperties")
        if isinstance(properties, dict) and isinstance(properties.get("JobStatus"), str):
            return properties["JobStatus"], properties.get("JobId")
        return None, None
    if exchange.operation in ("StartSentimentDetectionJob", "StopSentimentDetectionJob"):
        request = exchange.request if isinstance(exchange.request, Mapping) else {}
        job_id = body.get("JobId") or request.get("JobId")
        status = body.get("JobStatus")
        if isinstance(status, str) and isinstance(job_id, str):
            return status, job_id
    return None, None


def observe(checks: ClauseChecks, exchange: Exchange) -> None:
    """The checks every response gets, wherever it was seen (live in a test, or recorded by a scenario)."""
    what = f"{exchange.operation} answered {exchange.describe()}"
    seen = exchange.to_dict()
    checks.exchanges.append(seen)
    with checks.clause("PROTO-REQUEST-ID", what, seen):
        assert exchange.headers.get("x-amzn-requestid"), "no x-amzn-RequestId header"
    with checks.clause("PROTO-CONTENT-TYPE", what, seen):
        media_type = exchange.headers.get("content-type", "").split(";")[0].strip().lower()
        assert media_type == CONTENT_TYPE, f"Content-Type is {exchange.headers.get('content-type')!r}"
    if exchange.refusal is not None:
        refusal = Refusal.of(exchange.refusal)
        with checks.clause(refusal.clause, f"{exchange.operation} sent {refusal.label}", seen):
            assert not 200 <= exchange.status < 300, f"the {refusal.label} request was accepted: {what}"
    if exchange.status >= 400:
        with checks.clause("ERR-SHAPE", what, seen):
            assert_error_shape(exchange)
    if exchange.status >= 500:
        with checks.clause("ERR-INTERNAL", what, seen):
            assert exchange.error_code in RETRYABLE_5XX, (
                f"a {exchange.status} answer names {exchange.error_code!r}, not InternalServerException or a "
                "throttling/unavailable code"
            )


def assert_error_shape(exchange: Exchange) -> None:
    """ERR-SHAPE: 4xx/5xx and a JSON body whose ``__type`` names the error, with a string message."""
    assert 400 <= exchange.status <= 599, f"status {exchange.status} is not an error status"
    body = exchange.json()
    assert isinstance(body, dict), f"error body is not a JSON object: {exchange.body[:120]!r}"
    errors = [error.message for error in validator_for("error").iter_errors(body)]
    assert not errors, f"error body does not fit error.json: {'; '.join(errors)}"
    assert exchange.error_code, f"__type {body.get('__type')!r} names no error"
