"""The end-of-session summary in the terminal, read from the report document (so that it tells exactly what
report.json, report.md and junit.xml tell): one compact table, clauses down and Stop operations across (the seed
operation first), then why each cell that did not pass did not, the scores per operation and the gate, coloured on a
terminal. It fits 120 columns."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from comprehend_contract.spec.family import family
from comprehend_contract.verdicts import Verdict

Write = Callable[..., None]
"""``TerminalReporter.write_line``: a line, and markup keywords (``green=True``...) it drops when not a TTY."""
COLOURS: Mapping[str, dict[str, bool]] = {
    Verdict.PASS: {"green": True},
    Verdict.FAIL: {"red": True, "bold": True},
    Verdict.EXPECTED_FAIL: {"yellow": True},
    Verdict.NOT_EXERCISED: {},
}
CELL: Mapping[str, str] = {
    Verdict.PASS: "PASS",
    Verdict.FAIL: "FAIL",
    Verdict.EXPECTED_FAIL: "xfail",
    Verdict.NOT_EXERCISED: "n/e",
}
WIDTH = 120
REASONS_SHOWN = 25
UNNAMED = "no test of this run names this clause"
"""The reason of a clause a selection (``--clause``, ``-k``) left out: said once, with the clauses, not per clause."""
"""Reasons of cells that did not pass, at most (every one is in the reports)."""


def _short(operation: str) -> str:
    found = family().of_operation(operation)
    return found.short if found is not None else operation[4:10]


def render(report: Mapping[str, Any], write: Write, *, width: int = WIDTH) -> None:
    """The clause-by-operation table grouped as in CLAUSES.md, the reasons, the scores, the gate."""
    target = report["run"]["target"]
    implementation = target.get("implementation") or {}
    judged = f" ({implementation['name']} {implementation.get('version', '')})".rstrip() if implementation else ""
    write(f"clause verdicts against target '{target['name']}'{judged}", bold=True)
    operations = list(report["run"].get("operations") or [])
    write(f"  {'clause':<24}{'level':<7}" + "".join(f"{_short(op):<7}" for op in operations) + "clause")
    group = None
    reasons: list[tuple[str, str, str]] = []
    for clause in report["clauses"]:
        if clause["group"] != group:
            group = clause["group"]
            write(group[:width])
        cells = clause.get("operations", {})
        row = "".join(f"{CELL.get(cells[op]['verdict'], '-'):<7}" if op in cells else f"{'-':<7}" for op in operations)
        verdict = clause["verdict"]
        write(
            f"  {clause['id']:<24}{clause['level']:<7}{row}{CELL.get(verdict, verdict)}"[:width],
            **COLOURS.get(verdict, {}),
        )
        reasons += [
            (clause["id"], op, cells[op]["reason"])
            for op in operations
            if op in cells and cells[op]["verdict"] != Verdict.PASS and cells[op]["reason"]
        ]
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for clause_id, operation, reason in reasons:
        verdict = cells_verdict(report, clause_id, operation)
        grouped.setdefault((clause_id, verdict, " ".join(reason.split())), []).append(operation)
    unnamed = [key[0] for key in grouped if key[2] == UNNAMED]
    grouped = {key: where for key, where in grouped.items() if key[2] != UNNAMED}
    order: dict[str, int] = {Verdict.FAIL: 0, Verdict.EXPECTED_FAIL: 1, Verdict.NOT_EXERCISED: 2}
    shown = sorted(grouped.items(), key=lambda item: order.get(item[0][1], 3))
    if shown:
        write("why (FAIL and xfail first; n/e = not exercised):")
    for (clause_id, verdict, reason), where in shown[:REASONS_SHOWN]:
        on = "every operation" if len(where) == len(operations) > 1 else ", ".join(_short(op) for op in where)
        line = f"  {CELL.get(verdict, verdict):<6}{clause_id} on {on}: {reason}"
        write(line[:width], **COLOURS.get(verdict, {}))
    if len(shown) > REASONS_SHOWN:
        write(f"  ... and {len(shown) - REASONS_SHOWN} more in the reports")
    if unnamed:
        for line in textwrap.wrap(f"{UNNAMED}: {', '.join(unnamed)}", width - 8):
            write(f"  n/e   {line}")
    for operation, scores in (report.get("operation_scores") or {}).items():
        write(f"{operation}: " + ", ".join(_score_text(level, score) for level, score in scores.items()))
    for level, score in report["scores"].items():
        write(_score_text(level, score) + " (clauses, every operation rolled up)")
    gate = report["gate"]
    if gate["passed"]:
        write("gate: passed" + (f" (expectations {gate['expectations']})" if gate["expectations"] else ""), green=True)
        return
    cells_failed = gate.get("unexpected_failing_cells") or [{"clause": c} for c in gate["unexpected_failures"]]
    cells_passed = gate.get("unexpected_passing_cells") or [{"clause": c} for c in gate["unexpected_passes"]]
    why = [f"{len(cells_failed)} unexpected failure(s)"] if cells_failed else []
    why += [f"{len(cells_passed)} unexpected pass(es)"] if cells_passed else []
    why += [f"{len(gate['incomplete'])} test(s) incomplete"] if gate["incomplete"] else []
    why += [gate["interrupted"]] if gate["interrupted"] else []
    write(f"gate: FAILED: {'; '.join(why)}", red=True, bold=True)
    for cell in cells_passed:
        on = f" on {cell['operation']}" if cell.get("operation") else ""
        write(f"  {cell['clause']}{on} passed although the expectations say it fails: remove its expectation", red=True)


def cells_verdict(report: Mapping[str, Any], clause_id: str, operation: str) -> str:
    clause = next(c for c in report["clauses"] if c["id"] == clause_id)
    return str(clause.get("operations", {}).get(operation, {}).get("verdict", clause["verdict"]))


def _score_text(level: str, score: Mapping[str, int]) -> str:
    parts = [f"{level}: {score['passed']}/{score['applicable']} passed"]
    parts += [f"{score[key]} {label}" for key, label in SCORE_PARTS if score[key]]
    return ", ".join(parts)


SCORE_PARTS = (("failed", "failed"), ("expected_fail", "expected to fail"), ("not_exercised", "not exercised"))
