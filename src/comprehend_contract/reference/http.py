"""The reference's HTTP front: one loopback port that serves Comprehend and, unless S3 is external, S3 too.

A request is Comprehend's if it carries ``X-Amz-Target`` or is signed for the ``comprehend`` service; everything
else goes to the embedded S3 (moto's S3 in server mode). Comprehend requests are answered in the AWS JSON 1.1
protocol, errors included; so are HTTP-level defects (bad request line, oversized headers, read timeouts,
malformed chunked bodies), which ``http.server`` would otherwise answer with an HTML page (``server`` answers the
ones found before a request reaches an application; a body that stops arriving is a 408). The embedded S3's own
errors are S3 XML errors (``s3``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from comprehend_contract.reference.accounts import Account
from comprehend_contract.reference.auth import AuthRefused, SignedRequest, verify
from comprehend_contract.reference.behaviour import AuthFailure, Behaviour, Response
from comprehend_contract.reference.errors import (
    AwsError,
    bad_http_request,
    body_timeout,
    internal_error,
    serialization_error,
    too_large,
    unknown_operation,
)
from comprehend_contract.reference.faults import FaultPlan
from comprehend_contract.reference.operations import DetectionJobs
from comprehend_contract.spec.traceability import implements

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "Comprehend_20171127."
_SIGNED_FOR = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/,\s]+/([^/,\s]+)/")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def is_comprehend_request(environ: dict[str, Any]) -> bool:
    """Whether a request on the shared port is meant for Comprehend (rather than S3)."""
    if "HTTP_X_AMZ_TARGET" in environ:
        return True
    signed_for = _SIGNED_FOR.search(environ.get("HTTP_AUTHORIZATION", ""))
    return signed_for is not None and signed_for.group(1) == "comprehend"


def operation_named(environ: dict[str, Any]) -> str | None:
    """The operation a request names in X-Amz-Target (without the service prefix); None if it names none."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    return target.removeprefix(TARGET_PREFIX) if target and target.startswith(TARGET_PREFIX) else None


@implements("PROTO-CONTENT-TYPE", "PROTO-REQUEST-ID")
def response_headers(request_id: str, body: bytes, error: AwsError | None = None) -> list[tuple[str, str]]:
    """Headers of every Comprehend response: JSON 1.1 content type, request id, and the error type if any."""
    headers = [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body))), ("x-amzn-RequestId", request_id)]
    if error is not None:
        headers.append(("x-amzn-ErrorType", error.code))
    return headers


class ResetConnection(Exception):
    """Raised by the Comprehend app for a ``reset`` fault: the server answers nothing and resets the connection."""


class ComprehendApp:
    """WSGI application for the Comprehend side: size limit, SigV4, target, JSON, schema, operation."""

    def __init__(
        self,
        jobs: DetectionJobs,
        accounts: Iterable[Account],
        region: str,
        max_body_bytes: int,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        faults: FaultPlan | None = None,
        behaviour: Behaviour | None = None,
    ) -> None:
        self.jobs = jobs
        self.faults = faults or FaultPlan()
        self.behaviour = behaviour or Behaviour()
        self.accounts = {account.access_key_id: account for account in accounts}
        self.region = region
        self.max_body_bytes = max_body_bytes
        self.clock = clock

    @implements("ERR-SHAPE", "ERR-INTERNAL")
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        operation = operation_named(environ)
        if self.faults:
            latency = self.faults.latency(operation)
            if latency:
                time.sleep(latency)
        request_id = str(uuid.uuid4())
        failure: AwsError | None = None
        try:
            body = json.dumps(self._answer(environ, operation)).encode()
        except AwsError as error:
            failure = error
        except ResetConnection:
            raise
        except Exception:
            log.exception("internal error answering request %s", request_id)
            failure = internal_error()
        if failure is not None:
            body = json.dumps(failure.body()).encode()
        status = 200 if failure is None else failure.status
        headers = response_headers(request_id, body, failure)
        if self.behaviour.respond is not None:
            code = None if failure is None else failure.code
            response = self.behaviour.respond(Response(operation, status, tuple(headers), body, code))
            status, body = response.status, response.body
            headers = _with_length(response.headers, body)
        start_response(f"{status} {_phrase(status)}", headers)
        return [body]

    @implements("PROTO-UNKNOWN-OPERATION")
    def _answer(self, environ: dict[str, Any], operation: str | None) -> Any:
        raw = self._read_body(environ)
        account = self._authenticate(self._signed_request(environ, raw), operation)
        if operation not in self.jobs.operations or environ.get("REQUEST_METHOD") != "POST":
            raise unknown_operation(environ.get("HTTP_X_AMZ_TARGET"))
        body = _parse_json(raw)
        fault = self.faults.choose(operation, body) if self.faults else None
        if fault is None:
            return self.jobs.handle(operation, account, body)
        error = fault.error()
        if error is not None:
            raise error
        if fault.kind == "reset":
            if fault.when == "after":
                self.jobs.handle(operation, account, body)
            raise ResetConnection(f"fault rehearsal: reset {fault.when} {operation}")
        time.sleep(fault.seconds)
        return self.jobs.handle(operation, account, body)

    def _authenticate(self, request: SignedRequest, operation: str | None) -> Account:
        try:
            return verify(request, self.accounts, self.region, self.clock())
        except AuthRefused as refused:
            decide = self.behaviour.authenticate
            account = None if decide is None else decide(AuthFailure(refused.reason, operation, refused.account))
            if account is None:
                raise
            return account

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        stream = environ["wsgi.input"]
        declared = environ.get("CONTENT_LENGTH") or None
        if declared is None:
            if not environ.get("wsgi.input_terminated"):
                return b""
            try:
                data = stream.read(self.max_body_bytes + 1)
            except TimeoutError:
                raise body_timeout() from None
            except (OSError, ValueError) as error:  # a malformed chunked body: bad chunk size, missing CRLF
                raise bad_http_request(f"The chunked request body could not be read: {error}.", 400) from None
            if len(data) > self.max_body_bytes:
                raise too_large(None, self.max_body_bytes)
            return bytes(data)
        try:
            length = int(declared)
        except ValueError:
            raise bad_http_request(f"Content-Length {declared!r} is not a number.", 400) from None
        if length < 0:
            raise bad_http_request(f"Content-Length {declared!r} is negative.", 400)
        if length > self.max_body_bytes:
            raise too_large(length, self.max_body_bytes)
        try:
            data = stream.read(length)
        except TimeoutError:
            raise body_timeout() from None
        except (OSError, ValueError) as error:
            raise bad_http_request(f"The request body could not be read: {type(error).__name__}.", 400) from None
        if len(data) < length:
            raise serialization_error(f"The request body ended after {len(data)} of {length} bytes.")
        return bytes(data)

    @staticmethod
    def _signed_request(environ: dict[str, Any], body: bytes) -> SignedRequest:
        headers: dict[str, list[str]] = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                name = key[5:].replace("_", "-").lower()
            elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
                name = key.replace("_", "-").lower()
            else:
                continue
            headers.setdefault(name, []).append(str(value))
        raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
        return SignedRequest(environ.get("REQUEST_METHOD", ""), host, raw_path, headers, body)


def _with_length(headers: Iterable[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """``headers`` with Content-Length set to the length of ``body`` (in place, or added at the end)."""
    length = str(len(body))
    fixed = [(name, length if name.lower() == "content-length" else value) for name, value in headers]
    if not any(name.lower() == "content-length" for name, _ in fixed):
        fixed.append(("Content-Length", length))
    return fixed


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


@implements("PROTO-MALFORMED-JSON")
def _parse_json(raw: bytes) -> Any:
    """The request body as JSON; an empty body is an empty object, as AWS's JSON services treat it."""
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise serialization_error("The request body is not valid UTF-8.") from None
    except (ValueError, RecursionError) as error:
        raise serialization_error(f"The request body is not valid JSON: {str(error)[:200]}") from None


class EdgeApp:
    """Dispatches each request on the shared port to Comprehend or to S3."""

    def __init__(self, comprehend: WSGIApp, s3: WSGIApp | None, s3_endpoint_url: str | None) -> None:
        self.comprehend = comprehend
        self.s3 = s3
        self.s3_endpoint_url = s3_endpoint_url

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if is_comprehend_request(environ):
            return self.comprehend(environ, start_response)
        if self.s3 is not None:
            return self.s3(environ, start_response)
        error = bad_http_request(
            f"This endpoint serves Comprehend only; S3 is at {self.s3_endpoint_url}. "
            "Send X-Amz-Target or sign for the 'comprehend' service.",
            404,
        )
        body = json.dumps(error.body()).encode()
        start_response("404 Not Found", response_headers(str(uuid.uuid4()), body, error))
        return [body]
