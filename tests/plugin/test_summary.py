"""The terminal's summary: the clause-by-operation table, then each reason said once with where it was given."""

from __future__ import annotations

from typing import Any

from comprehend_contract.plugin.summary import render
from comprehend_contract.spec.family import family

OPERATIONS = [job_type.stop for job_type in family().types]


def _report(cells: dict[str, dict[str, tuple[str, str]]]) -> dict[str, Any]:
    """A report whose clauses have, per operation, (verdict, reason)."""
    clauses = []
    for clause_id, per_operation in cells.items():
        verdicts = {verdict for verdict, _ in per_operation.values()}
        clauses.append(
            {
                "id": clause_id,
                "group": "Group",
                "level": "MUST",
                "verdict": "FAIL" if "FAIL" in verdicts else verdicts.pop(),
                "operations": {op: {"verdict": v, "reason": r} for op, (v, r) in per_operation.items()},
            }
        )
    score = {"passed": 0, "applicable": 1, "failed": 1, "expected_fail": 0, "not_exercised": 0}
    return {
        "run": {"target": {"name": "t"}, "operations": OPERATIONS},
        "clauses": clauses,
        "operation_scores": {},
        "scores": {"MUST": score},
        "gate": {"passed": True, "expectations": None},
    }


def _lines(report: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    render(report, lambda line, **markup: lines.append(line))
    return lines


def test_a_reason_alike_on_every_operation_but_for_names_and_ids_is_said_once() -> None:
    per_operation = {
        job_type.stop: ("FAIL", f"{job_type.stop} answered HTTP 200 {{'JobId': '{index:032x}'}} for a {job_type.name}")
        for index, job_type in enumerate(family().types)
    }
    lines = [line for line in _lines(_report({"STOP-COMPLETED": per_operation})) if "STOP-COMPLETED on" in line]
    assert len(lines) == 1, lines
    assert "on every operation: StopSentimentDetectionJob answered HTTP 200" in lines[0]


def test_different_reasons_are_each_said_with_their_operations() -> None:
    first, second, *rest = OPERATIONS
    per_operation = {first: ("FAIL", "expected 400, got 200"), second: ("FAIL", "the job never ended")}
    per_operation |= dict.fromkeys(rest, ("PASS", ""))
    lines = [line for line in _lines(_report({"STOP-OUTCOME": per_operation})) if "STOP-OUTCOME on" in line]
    assert lines == [
        "  FAIL  STOP-OUTCOME on Sentim: expected 400, got 200",
        f"  FAIL  STOP-OUTCOME on {family().types[1].short}: the job never ended",
    ]


def test_one_reason_not_to_exercise_is_said_once_for_every_clause_it_was_given_for() -> None:
    idle = dict.fromkeys(
        OPERATIONS, ("NOT_EXERCISED", "not exercised: the target's jobs never left SUBMITTED within 10 s")
    )
    report = _report({"STOP-COMPLETED": idle, "STOP-STOPPED": idle, "STOP-FAILED": idle})
    lines = [line for line in _lines(report) if line.startswith("  n/e   ")]
    text = " ".join(line.removeprefix("  n/e   ") for line in lines)
    assert text == (
        "STOP-COMPLETED, STOP-STOPPED, STOP-FAILED on every operation: not exercised: the target's jobs never left "
        "SUBMITTED within 10 s"
    )


def test_reasons_not_to_exercise_are_shown_even_after_many_failures() -> None:
    cells = {f"CLAUSE-{n}": {op: ("FAIL", f"failure number {chr(65 + n)}") for op in OPERATIONS} for n in range(40)}
    cells["STOP-COMPLETED"] = dict.fromkeys(OPERATIONS, ("NOT_EXERCISED", "not exercised: no job ever completed"))
    lines = _lines(_report(cells))
    assert any("more failing in the reports" in line for line in lines)
    assert any(line.startswith("  n/e   STOP-COMPLETED on every operation") for line in lines)
