"""The report document: run metadata, every test, every clause's verdict for each Stop operation and rolled up,
with evidence, and the scores.

A verdict is per (clause, operation): the clause judged on that job type's own Stop and the requests around it.
The clause's own ``verdict`` rolls its operations up (a failure on any operation is the clause's failure; an expected
failure, when every failure is expected; a pass when any operation passed; else not exercised). The gate is decided
here, once, per (clause, operation) against the expectations.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Mapping, Sequence
from typing import Any

from comprehend_contract import __version__
from comprehend_contract.reports.expectations import Expectations
from comprehend_contract.spec import Level
from comprehend_contract.verdicts import Contribution, Verdict, VerdictBook

FORMAT = "comprehend-contract-report/2"
FORMATS = ("comprehend-contract-report/1", FORMAT)
"""Every format ``compare`` and ``expectations`` still read (format 1: one operation, StopSentimentDetectionJob)."""
BODY_LIMIT = 4000
EVIDENCE_PER_OPERATION = 5
"""Pieces of non-passing evidence kept per clause and operation (report.json stays readable at seven operations)."""


def _sdk_versions() -> dict[str, str]:
    import boto3
    import botocore

    return {"boto3": boto3.__version__, "botocore": botocore.__version__}


def _trim(exchange: Mapping[str, Any]) -> dict[str, Any]:
    trimmed = dict(exchange)
    body = str(trimmed.get("body", ""))
    if len(body) > BODY_LIMIT:
        trimmed["body"] = body[:BODY_LIMIT] + f"... [{len(body) - BODY_LIMIT} more characters]"
    return trimmed


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _roll_up(verdicts: Sequence[str]) -> str:
    """A clause's verdict from its operations' verdicts."""
    for verdict in (Verdict.FAIL, Verdict.EXPECTED_FAIL, Verdict.PASS):
        if verdict in verdicts:
            return str(verdict)
    return str(Verdict.NOT_EXERCISED)


def _evidence(items: Sequence[Contribution]) -> list[dict[str, Any]]:
    return [
        {
            "test": e.nodeid,
            "operation": e.operation,
            "verdict": e.verdict.value,
            "detail": e.detail,
            "exchanges": [_trim(x) for x in e.exchanges],
        }
        for e in items
        if e.verdict is not Verdict.PASS
    ][:EVIDENCE_PER_OPERATION]


def _score(rows: Sequence[str]) -> dict[str, int]:
    counts = {name: sum(1 for verdict in rows if verdict == name) for name in Verdict}
    return {
        "passed": counts[Verdict.PASS],
        "failed": counts[Verdict.FAIL],
        "expected_fail": counts[Verdict.EXPECTED_FAIL],
        "not_exercised": counts[Verdict.NOT_EXERCISED],
        "applicable": counts[Verdict.PASS] + counts[Verdict.FAIL] + counts[Verdict.EXPECTED_FAIL],
    }


def build_report(
    book: VerdictBook,
    *,
    target: Mapping[str, Any],
    run_id: str,
    started: dt.datetime,
    finished: dt.datetime,
    options: Mapping[str, Any],
    expectations: Expectations | None = None,
    jobs_started: int = 0,
    retried: tuple[int, int] = (0, 0),
    interrupted: str | None = None,
    parity: Mapping[str, Any] | None = None,
    parity_gate: bool = False,
) -> dict[str, Any]:
    """The report document (not yet redacted) for the run ``book`` recorded."""
    operations = list(book.judged_operations())
    clauses: list[dict[str, Any]] = []
    unexpected_failures: list[dict[str, str]] = []
    unexpected_passes: list[dict[str, str]] = []
    for item in book.verdicts():
        cells: dict[str, dict[str, Any]] = {}
        for judged in item.operations:
            verdict = judged.verdict.value
            expectation = expectations.for_cell(item.clause.id, judged.operation) if expectations else None
            failing_tests = {e.nodeid for e in judged.evidence if e.verdict is Verdict.FAIL}
            cell_id = {"clause": item.clause.id, "operation": judged.operation}
            deviation = expectations.deviation(item.clause.id, judged.operation) if expectations else None
            if deviation is not None and deviation.tests and not all(deviation.names(t) for t in failing_tests):
                unexpected_failures.append(cell_id)
            elif expectation is not None:
                if judged.verdict is Verdict.FAIL:
                    verdict = Verdict.EXPECTED_FAIL
                elif judged.verdict is Verdict.PASS:
                    unexpected_passes.append(cell_id)
            elif judged.verdict is Verdict.FAIL:
                unexpected_failures.append(cell_id)
            cells[judged.operation] = {
                "verdict": verdict,
                "reason": judged.reason,
                "expectation": expectation,
                "tests": len({e.nodeid for e in judged.evidence}),
                "evidence": _evidence(judged.evidence),
            }
        verdict = _roll_up([cell["verdict"] for cell in cells.values()]) if cells else item.verdict.value
        reason = next((cell["reason"] for cell in cells.values() if cell["verdict"] == verdict), item.reason)
        clauses.append(
            {
                "id": item.clause.id,
                "level": item.clause.level.value,
                "group": item.clause.group,
                "text": item.clause.text,
                "verdict": verdict,
                "reason": "" if verdict == Verdict.PASS else reason,
                "expectation": next((c["expectation"] for c in cells.values() if c["expectation"]), None),
                "tests": sorted({e.nodeid for e in item.evidence}),
                "evidence": [e for cell in cells.values() for e in cell["evidence"]],
                "operations": cells,
            }
        )
    scores = {level.value: _score([c["verdict"] for c in clauses if c["level"] == level.value]) for level in Level}
    operation_scores = {
        operation: {
            level.value: _score([c["operations"][operation]["verdict"] for c in clauses if c["level"] == level.value])
            for level in Level
        }
        for operation in operations
    }
    incomplete = sorted(record.nodeid for record in book.records.values() if record.incomplete)
    parity_failed = parity_gate and parity is not None and bool(parity["differences"])
    tests = [
        {
            "nodeid": record.nodeid,
            "operation": record.operation,
            "clauses": list(record.clauses),
            "outcome": record.outcome,
            "message": record.message,
            "duration_seconds": round(record.duration, 3),
            "expected_to_fail": bool(
                expectations and expectations.for_test(record.nodeid, record.clauses, record.operation)
            ),
        }
        for record in sorted(book.records.values(), key=lambda r: r.nodeid)
    ]
    return {
        "format": FORMAT,
        "run": {
            "id": run_id,
            "target": dict(target),
            "kit_version": __version__,
            "sdk": _sdk_versions(),
            "python": platform.python_version(),
            "started": _iso(started),
            "finished": _iso(finished),
            "duration_seconds": round((finished - started).total_seconds(), 3),
            "options": dict(options),
            "jobs_started": jobs_started,
            "transient_retried": {"answers": retried[0], "throttles": retried[1]},
            "operations": operations,
        },
        "gate": {
            "passed": not unexpected_failures
            and not unexpected_passes
            and not incomplete
            and interrupted is None
            and not parity_failed,
            "expectations": expectations.source if expectations else None,
            "unexpected_failures": sorted({cell["clause"] for cell in unexpected_failures}),
            "unexpected_passes": sorted({cell["clause"] for cell in unexpected_passes}),
            "unexpected_failing_cells": unexpected_failures,
            "unexpected_passing_cells": unexpected_passes,
            "incomplete": incomplete,
            "interrupted": interrupted,
            "parity_gate": parity_gate,
        },
        "scores": scores,
        "operation_scores": operation_scores,
        "clauses": clauses,
        "tests": tests,
        **({"parity": dict(parity)} if parity is not None else {}),
    }


def cells_by_clause(cells: Sequence[Mapping[str, str]], operations: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The gate's cells (``{"clause", "operation"}``) grouped by clause, in their order: each clause with the
    operations it names, an empty list when that is every operation the run judged (said "on every operation")."""
    grouped: dict[str, list[str]] = {}
    for cell in cells:
        grouped.setdefault(cell["clause"], []).append(cell.get("operation", ""))
    every = set(operations)
    return [(clause, [] if len(every) > 1 and set(where) == every else where) for clause, where in grouped.items()]
