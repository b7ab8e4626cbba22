"""The end-of-session clause summary in the terminal, read from the report document (so that it tells exactly
what report.json, report.md and junit.xml tell): the verdict first, coloured on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from comprehend_contract.verdicts import Verdict

Write = Callable[..., None]
"""``TerminalReporter.write_line``: a line, and markup keywords (``green=True``...) it drops when not a TTY."""
COLOURS: Mapping[str, dict[str, bool]] = {
    Verdict.PASS: {"green": True},
    Verdict.FAIL: {"red": True, "bold": True},
    Verdict.EXPECTED_FAIL: {"yellow": True},
    Verdict.NOT_EXERCISED: {},
}


def render(report: Mapping[str, Any], write: Write, *, width: int = 160) -> None:
    """One line per clause (verdict, id, level, reason) grouped as in CLAUSES.md, the scores, the gate."""
    target = report["run"]["target"]
    implementation = target.get("implementation") or {}
    judged = f" ({implementation['name']} {implementation.get('version', '')})".rstrip() if implementation else ""
    write(f"clause verdicts against target '{target['name']}'{judged}", bold=True)
    group = None
    for clause in report["clauses"]:
        if clause["group"] != group:
            group = clause["group"]
            write(group)
        verdict = clause["verdict"]
        reason = clause["reason"] if verdict != Verdict.PASS else f"{len(clause['tests'])} test(s)"
        line = f"  {verdict:<14}{clause['id']:<24}{clause['level']:<7}{reason}"
        write(line[:width], **COLOURS.get(verdict, {}))
    for level, score in report["scores"].items():
        parts = [f"{level}: {score['passed']}/{score['applicable']} passed"]
        parts += [f"{score[key]} {label}" for key, label in SCORE_PARTS if score[key]]
        write(", ".join(parts))
    gate = report["gate"]
    if gate["passed"]:
        write("gate: passed" + (f" (expectations {gate['expectations']})" if gate["expectations"] else ""), green=True)
        return
    why = [f"{len(gate['unexpected_failures'])} unexpected failure(s)"] if gate["unexpected_failures"] else []
    why += [f"{len(gate['unexpected_passes'])} unexpected pass(es)"] if gate["unexpected_passes"] else []
    why += [f"{len(gate['incomplete'])} test(s) incomplete"] if gate["incomplete"] else []
    why += [gate["interrupted"]] if gate["interrupted"] else []
    write(f"gate: FAILED: {'; '.join(why)}", red=True, bold=True)
    for clause_id in gate["unexpected_passes"]:
        write(f"  {clause_id} passed although the expectations say it fails: remove its expectation", red=True)


SCORE_PARTS = (("failed", "failed"), ("expected_fail", "expected to fail"), ("not_exercised", "not exercised"))
