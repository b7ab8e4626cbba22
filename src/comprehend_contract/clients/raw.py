"""A raw AWS JSON 1.1 sender: any bytes, any target, and a signature that is valid, absent, corrupt or back-dated.

Signing is botocore's SigV4 signer; this module chooses only *what* is signed and *when*.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.httpsession import URLLib3Session
from botocore.utils import get_environ_proxies

from comprehend_contract.clients.boto import Credentials, ca_bundle
from comprehend_contract.clients.retry import (
    NO_RETRIES,
    RetryPolicy,
    TransientFailure,
    is_throttling,
    transient_answer,
)

TARGET_PREFIX = "Comprehend_20171127."
CONTENT_TYPE = "application/x-amz-json-1.1"


class Signature(enum.Enum):
    """What to do with the SigV4 signature of a raw request."""

    VALID = "valid"
    NONE = "none"
    """No Authorization header at all."""
    CORRUPT = "corrupt"
    """A well-formed signature with one hex digit changed."""
    TAMPERED_BODY = "tampered-body"
    """Signed over one body, sent with another."""


@dataclass(frozen=True, slots=True)
class RawResponse:
    """An HTTP response as it arrived: status, headers (lower-case names), body bytes.

    ``request_headers`` are the request's, as sent but with secrets redacted at capture (the signature and the
    session token never travel further than the wire). ``earlier`` are transient answers retried before this
    one, and ``retries`` says what each retried attempt met.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    request_headers: Mapping[str, str] = field(default_factory=dict)
    earlier: tuple[RawResponse, ...] = ()
    retries: tuple[str, ...] = ()

    def json(self) -> Any:
        """The body as JSON, or None if it is not JSON."""
        return json_or_none(self.body)


_SIGNATURE = re.compile(r"Signature=[0-9a-fA-F]+")
REDACTED = "<redacted>"


def redact_header(name: str, value: str) -> str:
    """A request header's value fit to keep: the signature of ``Authorization`` and any session token removed."""
    lowered = name.lower()
    if lowered == "authorization":
        return _SIGNATURE.sub(f"Signature={REDACTED}", value)
    if lowered == "x-amz-security-token":
        return REDACTED
    return value


class RedactedHeaders(dict[str, str]):
    """Request headers as sent; their ``repr`` (tracebacks, ``pytest -l``) never shows a secret."""

    def redacted(self) -> dict[str, str]:
        return {name: redact_header(name, value) for name, value in self.items()}

    def __repr__(self) -> str:
        return repr(self.redacted())


def error_code_of(body: bytes) -> str | None:
    """The error an AWS JSON body names: ``__type`` without any ``namespace#`` prefix or ``:suffix``."""
    parsed = json_or_none(body)
    if not isinstance(parsed, dict) or not isinstance(parsed.get("__type"), str):
        return None
    return str(parsed["__type"]).rpartition("#")[2].partition(":")[0] or None


def json_or_none(body: bytes) -> Any:
    """``body`` parsed as JSON, or None if it is not JSON (an HTML error page, truncated bytes...)."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


class _SigV4At(SigV4Auth):
    """botocore's SigV4 signer with the signing time chosen by the caller (to back-date a request)."""

    def __init__(self, credentials: BotoCredentials, service: str, region: str, at: dt.datetime) -> None:
        super().__init__(credentials, service, region)
        self._at = at

    def add_auth(self, request: AWSRequest) -> None:
        """Sign as ``SigV4Auth.add_auth`` does, at ``self._at`` instead of now (public signer methods only)."""
        stamp = self._at.astimezone(dt.UTC).strftime(SIGV4_TIMESTAMP)
        request.context["timestamp"] = stamp
        for name in ("Authorization", "X-Amz-Date"):
            if name in request.headers:
                del request.headers[name]
        request.headers["X-Amz-Date"] = stamp
        if self.credentials.token:
            request.headers["X-Amz-Security-Token"] = self.credentials.token
        canonical = self.canonical_request(request)
        signature = self.signature(self.string_to_sign(request, canonical), request)
        signed = self.signed_headers(self.headers_to_sign(request))
        request.headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.scope(request)}, SignedHeaders={signed}, Signature={signature}"
        )


Transient = Callable[[str, bool], None]
"""Told of each transient answer as it comes: why it is transient, and whether it is a throttle."""


def answer_with_retries(
    policy: RetryPolicy,
    what: str,
    attempt: Callable[[], RawResponse],
    before: Callable[[], None],
    transient: Transient | None = None,
) -> RawResponse:
    """``attempt`` under ``policy``: the final answer, carrying the transient ones before it (``earlier``) and what
    each retried attempt met (``retries``); ``TransientFailure``, with the transient ``answers``, if all were.
    ``transient`` hears of each transient answer as it comes (the progress display)."""
    earlier: list[RawResponse] = []
    notes: list[str] = []

    def retried(answer: RawResponse | BaseException, why: str) -> None:
        notes.append(why)
        throttled = False
        if isinstance(answer, RawResponse):
            earlier.append(answer)
            throttled = is_throttling(answer.status, error_code_of(answer.body))
        if transient is not None:
            transient(why, throttled)

    def classify(answer: RawResponse) -> str | None:
        return transient_answer(answer.status, error_code_of(answer.body))

    try:
        final = policy.run(what, attempt, classify, retried, before)
    except TransientFailure as failure:
        failure.answers = tuple(earlier)
        raise
    return replace(final, earlier=tuple(earlier), retries=tuple(notes))


class RawSender:
    """Sends one AWS JSON 1.1 request at a time to ``endpoint_url``, through botocore's HTTP session.

    The HTTP session is botocore's own (``URLLib3Session``): TLS verification with the configured CA bundle
    (``AWS_CA_BUNDLE``), proxies (``HTTPS_PROXY``...), connection pooling and the timeout. Every request goes
    through one ``RetryPolicy``; ``before_send`` is called with the operation's name (or the X-Amz-Target sent,
    or "") before each attempt (the run's request pacing), and ``on_transient`` hears of each transient answer as
    it comes (operation, why, whether it is a throttle).
    """

    def __init__(
        self,
        endpoint_url: str,
        region: str,
        credentials: Credentials | None,
        *,
        service: str = "comprehend",
        timeout: float = 30.0,
        retry: RetryPolicy = NO_RETRIES,
        before_send: Callable[[str], None] = lambda operation: None,
        verify: bool | str | None = None,
        proxies: Mapping[str, str] | None = None,
        on_transient: Callable[[str, str, bool], None] | None = None,
    ) -> None:
        parts = urlsplit(endpoint_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"endpoint URL {endpoint_url!r} is not http(s)://host[:port]")
        self.endpoint_url = endpoint_url.rstrip("/")
        self.region = region
        self.credentials = credentials
        self.service = service
        self.timeout = timeout
        self.retry = retry
        self.before_send = before_send
        self.on_transient = on_transient
        self._parts = parts
        self._http = URLLib3Session(
            verify=ca_bundle() or True if verify is None else verify,  # type: ignore[arg-type]  # botocore takes a CA bundle path here too
            proxies=dict(proxies) if proxies is not None else get_environ_proxies(self.endpoint_url),
            timeout=timeout,  # type: ignore[arg-type]  # urllib3 takes fractional seconds
            max_pool_connections=20,
            # as botocore's own clients: without TCP_NODELAY a kept-alive connection waits ~40 ms per request
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],  # type: ignore[list-item]
        )

    def __repr__(self) -> str:
        return f"RawSender({self.endpoint_url!r}, {self.region!r})"

    def send(
        self,
        operation: str | None,
        body: bytes | str | Mapping[str, Any] = b"{}",
        *,
        amz_target: str | None = None,
        signature: Signature = Signature.VALID,
        signed_at: dt.datetime | None = None,
        credentials: Credentials | None = None,
        headers: Mapping[str, str] | None = None,
        method: str = "POST",
        retry: RetryPolicy | None = None,
    ) -> RawResponse:
        """Send ``body`` to ``operation`` (or to the literal ``amz_target``; ``None`` for no X-Amz-Target header).

        Transient answers are retried (``retry``, else the sender's policy); the final answer carries them in
        ``earlier`` and ``retries``. ``TransientFailure`` (with ``answers``) if every attempt was transient.
        """
        payload = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        request_headers = {"Content-Type": CONTENT_TYPE}
        chosen_target = amz_target if amz_target is not None else (f"{TARGET_PREFIX}{operation}" if operation else None)
        if chosen_target is not None:
            request_headers["X-Amz-Target"] = chosen_target
        request_headers.update(headers or {})
        keys = credentials or self.credentials
        if signature is not Signature.NONE and keys is None:
            raise ValueError("a signed request needs credentials")

        def attempt() -> RawResponse:
            request = AWSRequest(method=method, url=self.endpoint_url + "/", data=payload, headers=request_headers)
            if signature is not Signature.NONE and keys is not None:
                boto_keys = BotoCredentials(keys.access_key_id, keys.secret_access_key, keys.session_token)
                at = signed_at or dt.datetime.now(dt.UTC)
                _SigV4At(boto_keys, self.service, self.region, at).add_auth(request)
            if signature is Signature.CORRUPT:
                auth = str(request.headers["Authorization"])
                del request.headers["Authorization"]
                request.headers["Authorization"] = auth[:-1] + ("0" if auth[-1] != "0" else "1")
            if signature is Signature.TAMPERED_BODY:
                request.data = payload + b" "
            return self._exchange(request)

        name = operation or amz_target or "request"
        heard = self.on_transient
        transient = (lambda why, throttled: heard(name, why, throttled)) if heard is not None else None
        what = f"{name} to {self.endpoint_url}"
        paced = operation or amz_target or ""
        return answer_with_retries(retry or self.retry, what, attempt, lambda: self.before_send(paced), transient)

    def send_bytes(self, data: bytes) -> RawResponse | None:
        """Write ``data`` verbatim to a fresh connection (a hand-made HTTP request); None if nothing came back."""
        host, port = self._parts.hostname or "127.0.0.1", self._parts.port or 80
        with socket.create_connection((host, port), timeout=self.timeout) as connection:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw:
            return None
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        parsed = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            parsed[name.strip().lower()] = value.strip()
        return RawResponse(status, parsed, rest)

    def _exchange(self, request: AWSRequest) -> RawResponse:
        prepared = request.prepare()
        sent = RedactedHeaders({str(name): str(value) for name, value in prepared.headers.items()})
        response = self._http.send(prepared)
        received = {str(name).lower(): str(value) for name, value in response.headers.items()}
        return RawResponse(response.status_code, received, bytes(response.content), sent.redacted())
