"""The end-of-session summary in the terminal, read from the report document (so that it tells exactly what
report.json, report.md and junit.xml tell): one compact table, clauses down and Stop operations across (the seed
operation first), then why each cell that did not pass did not, the scores per operation and the gate, coloured on a
terminal. It fits 120 columns."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from comprehend_contract.spec.family import family
from comprehend_contract.verdicts import UNNAMED, Verdict

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
"""Reasons of cells that failed (or were expected to), at most (every one is in the reports)."""
NOT_EXERCISED_SHOWN = 12
"""Reasons of cells not exercised, at most: few and shared by many clauses, so shown apart from the failures'."""
_VOLATILE = re.compile(
    r"arn:[^\s\"',]*|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{12,}|[0-9]+(?:\.[0-9]+)?"
)


def _alike(reason: str) -> str:
    """A reason with what differs between operations for the same cause (the type's names, ids, numbers) blanked:
    reasons alike this way are said once, with every operation they were given for."""
    for job_type in family().types:
        for name in (*job_type.operations, job_type.properties_member, job_type.list_member):
            reason = reason.replace(name, "<op>")
    for job_type in sorted(family().types, key=lambda t: -len(t.name)):
        reason = reason.replace(job_type.name, "<type>")
    return _VOLATILE.sub("#", reason)[:100]  # reasons are cut short at a length: the longer names cut them sooner


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
    grouped: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    for clause_id, operation, reason in reasons:
        verdict = cells_verdict(report, clause_id, operation)
        said = " ".join(reason.split())
        grouped.setdefault((clause_id, verdict, _alike(said)), (said, []))[1].append(operation)
    unnamed = [key[0] for key in grouped if key[2] == UNNAMED]
    failing = [(k, v) for k, v in grouped.items() if k[2] != UNNAMED and k[1] != Verdict.NOT_EXERCISED]
    failing.sort(key=lambda item: item[0][1] != Verdict.FAIL)
    # not exercised: one line per reason, naming every clause it was given for
    idle: dict[tuple[str, tuple[str, ...]], tuple[str, list[str]]] = {}
    for (clause_id, verdict, alike), (said, where) in grouped.items():
        if verdict == Verdict.NOT_EXERCISED and alike != UNNAMED:
            idle.setdefault((alike, tuple(where)), (said, []))[1].append(clause_id)
    if failing or idle:
        write("why (FAIL and xfail first; n/e = not exercised):")

    def on_which(where: list[str] | tuple[str, ...]) -> str:
        return "every operation" if len(where) == len(operations) > 1 else ", ".join(_short(op) for op in where)

    for (clause_id, verdict, _), (said, where) in failing[:REASONS_SHOWN]:
        line = f"  {CELL.get(verdict, verdict):<6}{clause_id} on {on_which(where)}: {said}"
        write(line[:width], **COLOURS.get(verdict, {}))
    if len(failing) > REASONS_SHOWN:
        write(f"  ... and {len(failing) - REASONS_SHOWN} more failing in the reports")
    for (_, operations_idle), (said, clause_ids) in list(idle.items())[:NOT_EXERCISED_SHOWN]:
        said_of = f"{', '.join(clause_ids)} on {on_which(operations_idle)}: {said}"
        for line in textwrap.wrap(said_of, width - 8, break_on_hyphens=False):
            write(f"  n/e   {line}")
    if len(idle) > NOT_EXERCISED_SHOWN:
        write(f"  ... and {len(idle) - NOT_EXERCISED_SHOWN} more not exercised in the reports")
    if unnamed:
        for line in textwrap.wrap(f"{UNNAMED}: {', '.join(unnamed)}", width - 8, break_on_hyphens=False):
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
    messages = {test["nodeid"]: test["message"] for test in report.get("tests", [])}
    for nodeid in gate["incomplete"][:REASONS_SHOWN]:
        for line in textwrap.wrap(f"{nodeid.rpartition('::')[2]}: {messages.get(nodeid, '')}", width - 4):
            write(f"  {line}", red=True)
    if len(gate["incomplete"]) > REASONS_SHOWN:
        write(f"  ... and {len(gate['incomplete']) - REASONS_SHOWN} more incomplete in the reports", red=True)
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
