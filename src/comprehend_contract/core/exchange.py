"""One request and the response that came back, exactly as seen on the wire: what every check judges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from comprehend_contract.clients import RawResponse
from comprehend_contract.clients.raw import error_code_of, json_or_none
from comprehend_contract.core.refusals import Refusal


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
    retries: tuple[str, ...] = ()
    """What each retried attempt before this answer met (transient faults: throttles, resets, timeouts)."""
    transient: bool = False
    """A transient answer (a throttle) that was retried: the in-passing checks may fail on it, never pass."""

    def json(self) -> Any:
        return json_or_none(self.body)

    @classmethod
    def from_raw(
        cls,
        operation: str,
        request: Any,
        response: RawResponse,
        refusal: Refusal | None = None,
        transport: str = "raw",
        transient: bool = False,
    ) -> Exchange:
        """The exchange a request and its response make (``transient``: an answer that was retried)."""
        return cls(
            operation,
            transport,
            request,
            response.status,
            response.headers,
            response.body,
            response.request_headers,
            refusal.label if refusal else None,
            response.retries,
            transient,
        )

    @property
    def error_code(self) -> str | None:
        """``__type`` without any ``namespace#`` prefix or ``:suffix`` (how botocore reads it)."""
        return error_code_of(self.body)

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
            **({"retries": list(self.retries)} if self.retries else {}),
            **({"transient": True} if self.transient else {}),
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
            tuple(data.get("retries", ())),
            bool(data.get("transient", False)),
        )

    def describe(self) -> str:
        """A one-line account of the response, for failure messages."""
        code = self.error_code
        shown = f"{code}: {self.message}" if code else self.body[:160].decode("utf-8", "replace")
        return f"HTTP {self.status} {shown}"
