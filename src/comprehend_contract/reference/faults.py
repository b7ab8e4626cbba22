"""Fault rehearsal: the reference's public way to answer chosen requests with a server error, a throttle, a delay or
a reset connection, and to add latency to every request.

A ``FaultPlan`` is a list of ``FaultRule``s, given to ``ServiceConfig(faults=...)`` or to ``comprehend-contract serve
--faults RULE``. Each authenticated, well-formed Comprehend request is matched against the rules in order; the
first rule that matches (operation, JobId prefix, first request only, rate) decides its fault. ``latency`` rules
are the exception: they are not faults but a property of the network, so every one that matches a Comprehend
request (signed or not, well-formed or not) adds its seconds before the request is handled, whatever fault the
other rules choose. Rates draw from one seeded random generator, so a rehearsal can be repeated exactly.

Rule syntax (``--faults``): ``KIND[:key=value,...]`` with KIND one of ``internal`` (500 InternalServerException),
``throttle`` (400 ThrottlingException), ``unavailable`` (503 ServiceUnavailableException), ``delay`` (answer
normally after ``seconds``), ``reset`` (close the connection with a TCP RST and no answer, ``when=before`` the
operation runs, the default, or ``when=after`` it ran: the client cannot tell whether its request took effect) or
``latency`` (every matching request waits ``seconds`` before it is handled; keys ``operation`` and ``rate`` only),
and keys ``operation`` (e.g. ``StopSentimentDetectionJob``), ``job-id-prefix``, ``first-only`` (only the first
request for each distinct JobId, so a retry is answered normally), ``rate`` (0..1, default 1), ``seconds`` (for
``delay`` and ``latency``) and ``when`` (for ``reset``). Examples::

    comprehend-contract serve --faults internal:operation=StopSentimentDetectionJob,job-id-prefix=fault-,first-only
    comprehend-contract serve --faults latency:seconds=0.03 --faults reset:rate=0.05,when=after \\
        --faults throttle:rate=0.05 --fault-seed 7
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from comprehend_contract.reference.errors import AwsError
from comprehend_contract.spec.family import family
from comprehend_contract.spec.traceability import implements

KINDS = ("internal", "throttle", "unavailable", "delay", "reset", "latency")
RESET_WHEN = ("before", "after")
"""When a ``reset`` rule resets the connection: before the operation runs, or after it ran."""

REHEARSAL_JOB_ID_PREFIX = "cc-fault-500-"
"""The JobId prefix of the embedded reference's standing rule: the first Stop of each such id answers 500."""


class FaultSpecError(ValueError):
    """A ``--faults`` rule that cannot be read; the message names the part."""


@dataclass(frozen=True, slots=True)
class FaultRule:
    """One kind of fault, and which requests get it."""

    kind: str
    operation: str | None = None
    """Only requests for this operation (None: any Comprehend operation)."""
    job_id_prefix: str | None = None
    """Only requests whose ``JobId`` starts with this."""
    first_only: bool = False
    """Only the first matching request for each distinct JobId (a retry is then answered normally)."""
    rate: float = 1.0
    seconds: float = 0.0
    """How long a ``delay`` or ``latency`` rule waits."""
    when: str = "before"
    """For ``reset``: ``before`` the operation runs (nothing happened) or ``after`` it ran (it took effect)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultSpecError(f"fault kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not 0.0 <= self.rate <= 1.0:
            raise FaultSpecError(f"fault rate {self.rate!r} is not between 0 and 1")
        if self.seconds < 0:
            raise FaultSpecError(f"fault delay {self.seconds!r} is negative")
        if self.when not in RESET_WHEN:
            raise FaultSpecError(f"fault when {self.when!r} is not one of {', '.join(RESET_WHEN)}")
        if self.when != "before" and self.kind != "reset":
            raise FaultSpecError(f"'when' applies to reset only, not to {self.kind}")
        if self.kind == "latency" and (self.job_id_prefix is not None or self.first_only):
            raise FaultSpecError(
                "latency applies to every request of an operation: job-id-prefix and first-only do not"
            )

    @property
    def is_latency(self) -> bool:
        """Whether this rule adds latency (to every request it matches) rather than choosing a request's fault."""
        return self.kind == "latency"

    @classmethod
    def parse(cls, spec: str) -> FaultRule:
        """``KIND[:key=value,...]`` (see the module's docstring)."""
        kind, _, rest = spec.strip().partition(":")
        values: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in rest.split(","))):
            key, has_value, value = part.partition("=")
            key = key.strip().replace("-", "_")
            try:
                if key == "first_only" and not has_value:
                    values[key] = True
                elif key in ("operation", "job_id_prefix", "when") and has_value:
                    values[key] = value.strip()
                elif key in ("rate", "seconds") and has_value:
                    values[key] = float(value)
                else:
                    raise FaultSpecError(f"fault rule {spec!r}: unknown or incomplete setting {part!r}")
            except ValueError as error:
                if isinstance(error, FaultSpecError):
                    raise
                raise FaultSpecError(f"fault rule {spec!r}: {key} {value!r} is not a number") from None
        return cls(kind.strip(), **values)

    def error(self) -> AwsError | None:
        """The error this fault answers with (None for a delay, a reset or latency)."""
        if self.kind == "internal":
            return AwsError(
                "InternalServerException", "An internal server error occurred. Retry your request.", status=500
            )
        if self.kind == "throttle":
            return AwsError("ThrottlingException", "Rate exceeded", message_key="message")
        if self.kind == "unavailable":
            return AwsError(
                "ServiceUnavailableException", "The service is unavailable. Retry your request.", status=503
            )
        return None


@dataclass
class FaultPlan:
    """The rules of a rehearsal, in order, and what they have already done."""

    rules: tuple[FaultRule, ...] = ()
    seed: int = 0
    _random: random.Random = field(init=False, repr=False)
    _seen: set[tuple[int, str]] = field(init=False, repr=False, default_factory=set)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    @classmethod
    def of(cls, specs: Iterable[str], seed: int = 0) -> FaultPlan:
        return cls(tuple(FaultRule.parse(spec) for spec in specs), seed)

    @classmethod
    @implements("ERR-INTERNAL")
    def rehearsal(cls) -> FaultPlan:
        """The embedded reference's standing rules: the first Stop of a ``cc-fault-500-`` JobId answers 500, for
        every job type's Stop operation."""
        return cls(
            tuple(
                FaultRule("internal", operation=stop, job_id_prefix=REHEARSAL_JOB_ID_PREFIX, first_only=True)
                for stop in family().stops()
            )
        )

    def __bool__(self) -> bool:
        return bool(self.rules)

    def latency(self, operation: str | None) -> float:
        """Seconds to wait before handling a Comprehend request for ``operation`` (None: it names none): the sum of
        the ``latency`` rules that match it."""
        seconds = 0.0
        with self._lock:
            for rule in self.rules:
                if not rule.is_latency or (rule.operation is not None and rule.operation != operation):
                    continue
                if rule.rate < 1.0 and self._random.random() >= rule.rate:
                    continue
                seconds += rule.seconds
        return seconds

    def choose(self, operation: str, body: Any) -> FaultRule | None:
        """The fault for this request, if any (each call counts: a ``first_only`` rule fires once per JobId).
        ``latency`` rules are never chosen: see ``latency``."""
        job_id = body.get("JobId") if isinstance(body, dict) else None
        with self._lock:
            for index, rule in enumerate(self.rules):
                if rule.is_latency:
                    continue
                if rule.operation is not None and rule.operation != operation:
                    continue
                if rule.job_id_prefix is not None and not (
                    isinstance(job_id, str) and job_id.startswith(rule.job_id_prefix)
                ):
                    continue
                if rule.first_only:
                    key = (index, str(job_id))
                    if key in self._seen:
                        continue
                    self._seen.add(key)
                if rule.rate < 1.0 and self._random.random() >= rule.rate:
                    continue
                return rule
        return None
