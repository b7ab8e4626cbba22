"""A raw AWS JSON 1.1 sender: any bytes, any target, and a signature that is valid, absent, corrupt or back-dated.

Signing is botocore's SigV4 signer; this module chooses only *what* is signed and *when*.
"""

from __future__ import annotations

import datetime as dt
import enum
import http.client
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from comprehend_contract.clients.boto import Credentials

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
    """An HTTP response as it arrived: status, headers (lower-case names), body bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    request_headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON, or None if it is not JSON."""
        return json_or_none(self.body)


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


class RawSender:
    """Sends one AWS JSON 1.1 request at a time to ``endpoint_url`` over a fresh connection."""

    def __init__(
        self,
        endpoint_url: str,
        region: str,
        credentials: Credentials | None,
        *,
        service: str = "comprehend",
        timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(endpoint_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"endpoint URL {endpoint_url!r} is not http(s)://host[:port]")
        self.endpoint_url = endpoint_url.rstrip("/")
        self.region = region
        self.credentials = credentials
        self.service = service
        self.timeout = timeout
        self._parts = parts

    def send(
        self,
        operation: str | None,
        body: bytes | str | Mapping[str, Any] = b"{}",
        *,
        target: str | None = None,
        signature: Signature = Signature.VALID,
        signed_at: dt.datetime | None = None,
        credentials: Credentials | None = None,
        headers: Mapping[str, str] | None = None,
        method: str = "POST",
    ) -> RawResponse:
        """Send ``body`` to ``operation`` (or to the literal ``target``; ``None`` for no X-Amz-Target header)."""
        payload = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        request_headers = {"Content-Type": CONTENT_TYPE}
        chosen_target = target if target is not None else (f"{TARGET_PREFIX}{operation}" if operation else None)
        if chosen_target is not None:
            request_headers["X-Amz-Target"] = chosen_target
        request_headers.update(headers or {})
        request = AWSRequest(method=method, url=self.endpoint_url + "/", data=payload, headers=request_headers)
        keys = credentials or self.credentials
        if signature is not Signature.NONE:
            if keys is None:
                raise ValueError("a signed request needs credentials")
            boto_keys = BotoCredentials(keys.access_key_id, keys.secret_access_key, keys.session_token)
            _SigV4At(boto_keys, self.service, self.region, signed_at or dt.datetime.now(dt.UTC)).add_auth(request)
        sent_headers = {name: str(value) for name, value in request.headers.items()}
        if signature is Signature.CORRUPT:
            auth = sent_headers["Authorization"]
            last = auth[-1]
            sent_headers["Authorization"] = auth[:-1] + ("0" if last != "0" else "1")
        if signature is Signature.TAMPERED_BODY:
            payload = payload + b" "
        return self._exchange(method, payload, sent_headers)

    def send_bytes(self, data: bytes) -> RawResponse | None:
        """Write ``data`` verbatim to a fresh connection (a hand-made HTTP request); None if nothing came back."""
        import socket

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

    def _exchange(self, method: str, payload: bytes, headers: Mapping[str, str]) -> RawResponse:
        connection_class = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._parts.netloc, timeout=self.timeout)
        try:
            connection.request(method, "/", body=payload, headers=dict(headers))
            response = connection.getresponse()
            data = response.read()
            received = {name.lower(): value for name, value in response.getheaders()}
            return RawResponse(response.status, received, data, dict(headers))
        finally:
            connection.close()
