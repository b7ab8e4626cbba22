"""An exchange of a report's evidence as people read it: the request as sent, the response, and a `curl` that
replays the request.

The exchanges in a report are already redacted; the reproduction leaves out every signing header (the signature,
the session token, the signing time) and lets ``curl --aws-sigv4`` sign again with the reader's own credentials,
so no secret is needed to replay an exchange and none is ever printed.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EVIDENCE_SHOWN = 5
"""Failing tests shown per clause (report.json keeps up to 20)."""
EXCHANGES_SHOWN = 3
"""The last exchanges shown per failing check: the one judged, and what led to it."""
CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "Comprehend_20171127."
SIGNING_HEADERS = frozenset({"authorization", "x-amz-security-token", "x-amz-date", "x-amz-content-sha256"})
"""Headers a replay must not copy: they carry the signature, the session token or the signing time."""
TRANSPORT_HEADERS = frozenset({"host", "content-length"})
"""Headers curl writes itself."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ENDPOINT_VARIABLE = '"$ENDPOINT_URL/"'


@dataclass(frozen=True, slots=True)
class Reproduction:
    """A one-line shell command that replays a request, and what a reader must know before running it."""

    command: str
    notes: tuple[str, ...]


def wire_body(exchange: Mapping[str, Any]) -> str:
    """The request body as it was sent: text as is, anything else as the clients serialise it (``json.dumps``)."""
    request = exchange.get("request")
    if isinstance(request, str):
        return request
    if request is None:
        return ""
    return json.dumps(request)


def request_headers(exchange: Mapping[str, Any]) -> tuple[dict[str, str], bool]:
    """The request's headers (already redacted), and whether they were recorded: boto3 exchanges record none, so
    they are the headers botocore sends for the operation."""
    recorded = exchange.get("request_headers") or {}
    if recorded:
        return {str(k): str(v) for k, v in recorded.items()}, True
    return {"Content-Type": CONTENT_TYPE, "X-Amz-Target": f"{TARGET_PREFIX}{exchange.get('operation')}"}, False


def request_text(exchange: Mapping[str, Any]) -> str:
    """The request as an HTTP message: method, path, headers (redacted), blank line, body."""
    headers, _ = request_headers(exchange)
    lines = ["POST / HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
    return "\n".join([*lines, "", wire_body(exchange)])


def response_text(exchange: Mapping[str, Any]) -> str:
    """The response as an HTTP message: status, headers, blank line, body."""
    headers = exchange.get("headers") or {}
    lines = [f"HTTP/1.1 {exchange.get('status')}", *(f"{name}: {value}" for name, value in headers.items())]
    return "\n".join([*lines, "", str(exchange.get("body", ""))])


def notes(exchange: Mapping[str, Any]) -> list[str]:
    """What else happened to the exchange: a deliberate refusal, retried transient answers."""
    found = []
    if not request_headers(exchange)[1]:
        found.append("sent by boto3, whose request headers are not recorded: shown are those botocore sends, unsigned")
    if exchange.get("refusal"):
        found.append(f"made to be refused for authentication: {exchange['refusal']}")
    if exchange.get("retries"):
        found.append("retried after: " + "; ".join(map(str, exchange["retries"])))
    if exchange.get("transient"):
        found.append("a transient answer, retried")
    return found


def shell_quote(text: str) -> str:
    """``shlex.quote``, or bash's ``$'...'`` when the text holds a line break or control character (one line)."""
    if not _CONTROL.search(text):
        return shlex.quote(text)
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    escaped = _CONTROL.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m[0], f"\\x{ord(m[0]):02x}"), escaped)
    return f"$'{escaped}'"


def _endpoint(target: Mapping[str, Any]) -> str:
    url = target.get("endpoint_url")
    if isinstance(url, str) and re.match(r"https?://", url):
        return shlex.quote(url.rstrip("/") + "/")
    if url is None and target.get("region"):
        return shlex.quote(f"https://comprehend.{target['region']}.amazonaws.com/")
    return _ENDPOINT_VARIABLE


def replay_notes(target: Mapping[str, Any]) -> list[str]:
    """What a reader must know before running any replay of a run's exchanges."""
    found = [
        "Each replay is a curl command (7.75 or later) with the exact body and headers sent, except the signing "
        "headers (Authorization, X-Amz-Security-Token, X-Amz-Date): curl --aws-sigv4 signs the request again with "
        "$AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY (and $AWS_SESSION_TOKEN where the run sent a session token).",
    ]
    if _endpoint(target) == _ENDPOINT_VARIABLE:
        found.append(
            f"The target's endpoint is not a URL ({target.get('endpoint_url') or 'none recorded'}): "
            "set ENDPOINT_URL to where the implementation listens."
        )
    return found


def reproduction(exchange: Mapping[str, Any], target: Mapping[str, Any]) -> Reproduction:
    """A ``curl`` command sending the same body and headers to the same endpoint, signed again by curl."""
    headers, _ = request_headers(exchange)
    refusal = exchange.get("refusal")
    found = []
    parts = ["curl", "-i"]
    if refusal != "unsigned":
        region = target.get("region")
        scope = shlex.quote(f"aws:amz:{region}:comprehend") if region else '"aws:amz:$AWS_REGION:comprehend"'
        parts += ["--aws-sigv4", scope, "--user", '"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"']
    if any(name.lower() == "x-amz-security-token" for name in headers):
        parts += ["-H", '"X-Amz-Security-Token: $AWS_SESSION_TOKEN"']
    for name, value in headers.items():
        if name.lower() not in SIGNING_HEADERS | TRANSPORT_HEADERS:
            parts += ["-H", shell_quote(f"{name}: {value}")]
    parts += ["--data-binary", shell_quote(wire_body(exchange)), _endpoint(target)]
    if refusal == "unsigned":
        found.append("sent unsigned, as the original was")
    elif refusal:
        found.append(f"the original was deliberately signed wrong ({refusal}); this replay is signed correctly")
    return Reproduction(" ".join(parts), tuple(found))
