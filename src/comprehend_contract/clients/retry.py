"""One retry policy for every request the suite sends: transient faults are retried, never judged.

Transient means what AWS SDKs retry for throttling and what a network does to a request: a throttling error code
(botocore's list), HTTP 429 or 503, a connection reset, refused or closed mid-run, and a read timeout. A server
error (500) is not transient here: it is an answer the suite judges (ERR-INTERNAL). Backoff is exponential with
full jitter, as in botocore's standard retry mode. A request whose attempts are all transient raises
``TransientFailure``: its clauses are then not exercised, and the run is incomplete.
"""

from __future__ import annotations

import http.client
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import ConnectionClosedError, EndpointConnectionError, HTTPClientError, ReadTimeoutError

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
    }
)
"""Error codes botocore's standard retry mode treats as throttling."""
TRANSIENT_STATUSES = frozenset({429, 503})
TRANSIENT_EXCEPTIONS: tuple[type[BaseException], ...] = (
    ConnectionError,  # reset, refused, aborted; http.client.RemoteDisconnected is one
    TimeoutError,  # socket.timeout: connect or read timeout
    socket.gaierror,
    http.client.IncompleteRead,
    http.client.BadStatusLine,
    EndpointConnectionError,
    ConnectionClosedError,
    ReadTimeoutError,
    HTTPClientError,
)

Answer = TypeVar("Answer")


class TransientFailure(Exception):
    """Every attempt of a request met a transient fault; ``attempts`` says what each one got."""

    def __init__(self, what: str, attempts: list[str]) -> None:
        super().__init__(f"{what}: every one of {len(attempts)} attempt(s) met a transient fault ({attempts[-1]})")
        self.attempts = attempts
        self.answers: tuple[Any, ...] = ()
        """The transient answers that came back (set by the sender), for the in-passing checks."""


def is_throttling(status: int, error_code: str | None) -> bool:
    """Whether an answer says the caller is sending too fast (a throttling code, or HTTP 429)."""
    return error_code in THROTTLING_CODES or status == 429


def transient_answer(status: int, error_code: str | None) -> str | None:
    """Why an answer is transient (throttling or unavailable), or None for an answer to judge."""
    if error_code in THROTTLING_CODES:
        return f"HTTP {status} {error_code}"
    if status in TRANSIENT_STATUSES:
        return f"HTTP {status} {error_code or ''}".strip()
    return None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a request is retried. ``delay`` is full-jitter exponential backoff."""

    max_attempts: int = 5
    base_seconds: float = 0.05
    max_backoff_seconds: float = 5.0

    def delay(self, retry: int) -> float:
        return random.random() * min(self.max_backoff_seconds, self.base_seconds * 2.0**retry)

    def run(
        self,
        what: str,
        attempt: Callable[[], Answer],
        classify: Callable[[Answer], str | None],
        retried: Callable[[Answer | BaseException, str], None] = lambda answer, why: None,
        before: Callable[[], None] = lambda: None,
    ) -> Answer:
        """``attempt`` until its answer is not transient (``classify`` says why it is); ``retried`` sees each
        transient answer or exception. Raises ``TransientFailure`` when the attempts run out."""
        seen: list[str] = []
        for number in range(self.max_attempts):
            if number:
                time.sleep(self.delay(number - 1))
            before()
            try:
                answer = attempt()
            except TRANSIENT_EXCEPTIONS as error:
                why = f"{type(error).__name__}: {error}"[:200]
                seen.append(f"attempt {number + 1}: {why}")
                retried(error, why)
                continue
            reason = classify(answer)
            if reason is None:
                return answer
            seen.append(f"attempt {number + 1}: {reason}")
            retried(answer, reason)
        raise TransientFailure(what, seen)


NO_RETRIES = RetryPolicy(max_attempts=1)
"""For requests that must be judged on their first answer (a rehearsed fault)."""
