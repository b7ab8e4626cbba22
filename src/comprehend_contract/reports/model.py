"""The report document: run metadata, every test, every clause's verdict with evidence, and the scores."""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Mapping
from typing import Any

from comprehend_contract import __version__
from comprehend_contract.reports.expectations import Expectations
from comprehend_contract.spec import Level
from comprehend_contract.verdicts import Verdict, VerdictBook

FORMAT = "comprehend-contract-report/1"
BODY_LIMIT = 4000


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
    interrupted: str | None = None,
    parity: Mapping[str, Any] | None = None,
    parity_gate: bool = False,
) -> dict[str, Any]:
    """The report document (not yet redacted) for the run ``book`` recorded."""
    verdicts = book.verdicts()
    clauses = []
    unexpected_failures: list[str] = []
    unexpected_passes: list[str] = []
    for item in verdicts:
        verdict = item.verdict.value
        expectation = expectations.for_clause(item.clause.id) if expectations else None
        failing_tests = {e.nodeid for e in item.evidence if e.verdict is Verdict.FAIL}
        if expectation is not None and expectation.get("tests") and not failing_tests <= set(expectation["tests"]):
            unexpected_failures.append(item.clause.id)
        elif expectation is not None:
            if item.verdict is Verdict.FAIL:
                verdict = Verdict.EXPECTED_FAIL
            elif item.verdict is Verdict.PASS:
                unexpected_passes.append(item.clause.id)
        elif item.verdict is Verdict.FAIL:
            unexpected_failures.append(item.clause.id)
        clauses.append(
            {
                "id": item.clause.id,
                "level": item.clause.level.value,
                "group": item.clause.group,
                "text": item.clause.text,
                "verdict": verdict,
                "reason": item.reason,
                "expectation": expectation,
                "tests": sorted({e.nodeid for e in item.evidence}),
                "evidence": [
                    {
                        "test": e.nodeid,
                        "verdict": e.verdict.value,
                        "detail": e.detail,
                        "exchanges": [_trim(x) for x in e.exchanges],
                    }
                    for e in item.evidence
                    if e.verdict is not Verdict.PASS
                ][:20],
            }
        )
    scores: dict[str, dict[str, int]] = {}
    for level in Level:
        rows = [c for c in clauses if c["level"] == level.value]
        counts = {
            name: sum(1 for c in rows if c["verdict"] == name)
            for name in (Verdict.PASS, Verdict.FAIL, Verdict.NOT_EXERCISED)
        }
        counts[Verdict.EXPECTED_FAIL] = sum(1 for c in rows if c["verdict"] == Verdict.EXPECTED_FAIL)
        scores[level.value] = {
            "passed": counts[Verdict.PASS],
            "failed": counts[Verdict.FAIL],
            "expected_fail": counts[Verdict.EXPECTED_FAIL],
            "not_exercised": counts[Verdict.NOT_EXERCISED],
            "applicable": counts[Verdict.PASS] + counts[Verdict.FAIL] + counts[Verdict.EXPECTED_FAIL],
        }
    incomplete = sorted(outcome.nodeid for outcome in book.records.values() if outcome.incomplete)
    parity_failed = parity_gate and parity is not None and bool(parity["differences"])
    tests = [
        {
            "nodeid": outcome.nodeid,
            "clauses": list(outcome.clauses),
            "outcome": outcome.outcome,
            "message": outcome.message,
            "duration_seconds": round(outcome.duration, 3),
            "expected_to_fail": bool(expectations and expectations.for_test(outcome.nodeid, outcome.clauses)),
        }
        for outcome in sorted(book.records.values(), key=lambda o: o.nodeid)
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
        },
        "gate": {
            "passed": not unexpected_failures
            and not unexpected_passes
            and not incomplete
            and interrupted is None
            and not parity_failed,
            "expectations": expectations.source if expectations else None,
            "unexpected_failures": unexpected_failures,
            "unexpected_passes": unexpected_passes,
            "incomplete": incomplete,
            "interrupted": interrupted,
            "parity_gate": parity_gate,
        },
        "scores": scores,
        "clauses": clauses,
        "tests": tests,
        **({"parity": dict(parity)} if parity is not None else {}),
    }
