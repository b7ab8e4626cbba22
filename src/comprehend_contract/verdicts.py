"""Clause verdicts: from each test's record (outcome and clause checks) to one verdict per clause.

This is the one place verdict data lives. The run's lifecycle (``core.run``) feeds it the test records (also
those that xdist workers send to the controller); the report is built from it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from comprehend_contract.spec import Clause, ClauseCatalogue, Level


class Verdict(enum.StrEnum):
    """A clause's verdict. EXPECTED_FAIL is a FAIL that the run's expectations list (set by the reports' gate)."""

    PASS = "PASS"
    FAIL = "FAIL"
    NOT_EXERCISED = "NOT_EXERCISED"
    EXPECTED_FAIL = "EXPECTED_FAIL"


class CheckResult(enum.StrEnum):
    """What one check of one clause inside one test found."""

    PASS = "pass"
    FAIL = "fail"
    NOT_EXERCISED = "not_exercised"


@dataclass(frozen=True, slots=True)
class ClauseCheck:
    """One clause-attributed finding inside a test (an incidental check, or a targeted one)."""

    clause: str
    result: CheckResult
    detail: str = ""
    exchange: dict[str, Any] | None = None
    """For a failed check: the request and response it judged (redacted before any report is written)."""


RECORD_FORMAT = "comprehend-contract-test-record/1"
"""The version of ``TestRecord``'s JSON form: a process that reads another version refuses it by name."""


class RecordFormatError(ValueError):
    """A test record of another version, or not a test record at all (processes of two kit versions mixed)."""


@dataclass(frozen=True, slots=True)
class TestRecord:
    """A finished test: its clauses (from the marker), its outcome, the clause checks it recorded, its evidence.

    The one thing that crosses from the process that ran a test (an xdist worker) to the one that judges the run,
    as versioned JSON (``to_json``/``from_json``). ``attributed`` is True when a failed test failed only through
    recorded clause checks, so its other clauses are not to blame.
    """

    __test__: ClassVar[bool] = False  # a value object, not a pytest test class

    nodeid: str
    clauses: tuple[str, ...]
    outcome: str
    """passed, failed, skipped or xfailed (a failure the run's expectations list)"""
    message: str = ""
    operation: str = ""
    """The Stop operation whose contract the test judges (its job type's: ``StopEventsDetectionJob``...)."""
    checks: tuple[ClauseCheck, ...] = ()
    attributed: bool = False
    exchanges: tuple[dict[str, Any], ...] = ()
    """For a failed test: its last requests and responses."""
    duration: float = 0.0
    incomplete: bool = False
    """Skipped because its requests met only transient faults: the run is incomplete."""
    retries: tuple[str, ...] = ()
    """What each transient answer its requests met and retried was (throttles, resets, timeouts)."""
    snapshot: tuple[dict[str, Any], ...] | None = None
    """The test's exchanges normalized for a parity snapshot, when the run records or compares one."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": RECORD_FORMAT,
                "nodeid": self.nodeid,
                "clauses": list(self.clauses),
                "outcome": self.outcome,
                "message": self.message,
                "operation": self.operation,
                "checks": [
                    {"clause": c.clause, "result": c.result.value, "detail": c.detail, "exchange": c.exchange}
                    for c in self.checks
                ],
                "attributed": self.attributed,
                "exchanges": list(self.exchanges),
                "duration": self.duration,
                "incomplete": self.incomplete,
                "retries": list(self.retries),
                "snapshot": None if self.snapshot is None else list(self.snapshot),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> TestRecord:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise RecordFormatError(f"not a test record: {error}") from None
        found = data.get("format") if isinstance(data, dict) else None
        if found != RECORD_FORMAT:
            raise RecordFormatError(f"test record format {found!r}, expected {RECORD_FORMAT!r}: mixed kit versions?")
        return cls(
            nodeid=data["nodeid"],
            clauses=tuple(data["clauses"]),
            outcome=data["outcome"],
            message=data["message"],
            operation=data["operation"],
            checks=tuple(
                ClauseCheck(c["clause"], CheckResult(c["result"]), c["detail"], c["exchange"]) for c in data["checks"]
            ),
            attributed=data["attributed"],
            exchanges=tuple(data["exchanges"]),
            duration=float(data["duration"]),
            incomplete=data["incomplete"],
            retries=tuple(data["retries"]),
            snapshot=None if data["snapshot"] is None else tuple(data["snapshot"]),
        )


@dataclass(frozen=True, slots=True)
class Contribution:
    """Why a clause has its verdict: one test's contribution."""

    nodeid: str
    verdict: Verdict
    detail: str
    exchanges: tuple[dict[str, Any], ...] = ()
    operation: str = ""
    """The Stop operation the contributing test judged."""


UNNAMED = "no test of this run names this clause"
"""The reason of a clause no test of the run judged: a selection (``--clause``, ``-k``) left its tests out."""


def _reason(verdict: Verdict, evidence: Iterable[Contribution], unrun: str = UNNAMED) -> str:
    """The first piece of evidence that explains ``verdict`` (none for a PASS); ``unrun`` if there is none."""
    if verdict is Verdict.PASS:
        return ""
    found = list(evidence)
    for item in found:
        if item.verdict is verdict and item.detail:
            return item.detail
    return unrun if not found else ""


@dataclass(frozen=True, slots=True)
class OperationVerdict:
    """A clause's verdict for one Stop operation, and the evidence of the tests that judged that operation."""

    operation: str
    verdict: Verdict
    evidence: tuple[Contribution, ...]
    unrun: str = UNNAMED
    """The reason when no test judged it (see ``VerdictBook.unrun``)."""

    @property
    def reason(self) -> str:
        return _reason(self.verdict, self.evidence, self.unrun)


@dataclass(frozen=True, slots=True)
class ClauseVerdict:
    """A clause's verdict: per Stop operation, and rolled up (FAIL if any operation fails, else PASS if any
    passes, else NOT_EXERCISED)."""

    clause: Clause
    verdict: Verdict
    evidence: tuple[Contribution, ...]
    operations: tuple[OperationVerdict, ...] = ()
    unrun: str = UNNAMED

    @property
    def reason(self) -> str:
        """The first piece of evidence that explains the rolled-up verdict."""
        return _reason(self.verdict, self.evidence, self.unrun)


def contributions(record: TestRecord) -> list[tuple[str, Contribution]]:
    """What one test says about each clause it touched."""
    checked: dict[str, list[ClauseCheck]] = {}
    for check in record.checks:
        checked.setdefault(check.clause, []).append(check)
    found: list[tuple[str, Contribution]] = []
    for clause_id, checks in checked.items():
        for check in checks:
            verdict = {
                CheckResult.PASS: Verdict.PASS,
                CheckResult.FAIL: Verdict.FAIL,
                CheckResult.NOT_EXERCISED: Verdict.NOT_EXERCISED,
            }[check.result]
            exchanges = (check.exchange,) if check.exchange else ()
            found.append((clause_id, Contribution(record.nodeid, verdict, check.detail, exchanges, record.operation)))
    for clause_id in record.clauses:
        own = {check.result for check in checked.get(clause_id, [])}
        operation = record.operation
        if record.outcome == "skipped":
            found.append((clause_id, Contribution(record.nodeid, Verdict.NOT_EXERCISED, record.message, (), operation)))
        elif record.outcome in ("failed", "xfailed") and not record.attributed:
            detail = _own_part(record.message, clause_id, record.clauses) if record.outcome == "xfailed" else None
            contribution = Contribution(
                record.nodeid, Verdict.FAIL, detail or record.message, record.exchanges, operation
            )
            found.append((clause_id, contribution))
        elif CheckResult.FAIL in own or own == {CheckResult.NOT_EXERCISED}:
            continue  # the test's own checks of this clause already say what happened
        else:
            found.append((clause_id, Contribution(record.nodeid, Verdict.PASS, "", (), operation)))
    return found


EXPECTED = "expected to fail: "
"""How the message of a test the expectations name as failing begins (``TestRecord.message``, outcome xfailed)."""


def expected_reasons(reasons: Mapping[str, str]) -> str:
    """The reason a test is expected to fail: each of its failing clauses with its expectation's reason
    (``C1: reason; C2: reason``); its record's message is ``EXPECTED`` and this, which ``_own_part`` reads back."""
    return "; ".join(f"{clause}: {reason}" for clause, reason in reasons.items())


def _own_part(message: str, clause_id: str, clauses: Iterable[str]) -> str | None:
    """Of an expected failure's message (``EXPECTED`` and ``expected_reasons``), the part of ``clause_id``, so that
    each clause's cell says its own reason."""
    prefix, marker = EXPECTED, f"{clause_id}: "
    body = message.removeprefix(prefix)
    start = 0 if body.startswith(marker) else body.find(f"; {marker}") + 2
    if body is message or start == 1:
        return None
    others = [body.find(f"; {other}: ", start) for other in clauses if other != clause_id]
    end = min([found for found in others if found > start], default=len(body))
    return prefix + body[start:end]


def _fold(evidence: Iterable[Contribution]) -> Verdict:
    verdicts = {item.verdict for item in evidence}
    if Verdict.FAIL in verdicts:
        return Verdict.FAIL
    if Verdict.PASS in verdicts:
        return Verdict.PASS
    return Verdict.NOT_EXERCISED


@dataclass
class VerdictBook:
    """Every test record of a run, and the clause verdicts they add up to."""

    catalogue: ClauseCatalogue
    operations: tuple[str, ...] = ()
    """The Stop operations the run judges, in the family's order (none: those its records name, in that order)."""
    records: dict[str, TestRecord] = field(default_factory=dict)
    unrun: str = UNNAMED
    """Why a clause has no evidence: its tests were left out (the default), or the run ended before they ran."""

    def record(self, record: TestRecord) -> None:
        self.records[record.nodeid] = record

    def __bool__(self) -> bool:
        return bool(self.records)

    def judged_operations(self) -> tuple[str, ...]:
        """The operations verdicts are given for: the run's, or else those its records name."""
        named = tuple(dict.fromkeys(record.operation for record in self.records.values()))
        return self.operations or named

    def verdicts(self) -> list[ClauseVerdict]:
        by_clause: dict[str, list[Contribution]] = {clause.id: [] for clause in self.catalogue}
        for record in self.records.values():
            for clause_id, evidence in contributions(record):
                by_clause.setdefault(clause_id, []).append(evidence)
        found = []
        for clause in self.catalogue:
            everything = by_clause[clause.id]
            per_operation = []
            for operation in self.judged_operations():
                mine = tuple(item for item in everything if item.operation == operation)
                per_operation.append(OperationVerdict(operation, _fold(mine), mine, self.unrun))
            verdict = ClauseVerdict(clause, _fold(everything), tuple(everything), tuple(per_operation), self.unrun)
            found.append(verdict)
        return found

    def scores(self) -> Mapping[Level, tuple[int, int, int]]:
        """Per level: (passed, failed, not exercised)."""
        totals: dict[Level, list[int]] = {level: [0, 0, 0] for level in Level}
        index = {Verdict.PASS: 0, Verdict.FAIL: 1, Verdict.NOT_EXERCISED: 2}
        for verdict in self.verdicts():
            totals[verdict.clause.level][index[verdict.verdict]] += 1
        return {level: (t[0], t[1], t[2]) for level, t in totals.items()}
