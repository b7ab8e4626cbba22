"""Several reports side by side: a matrix of clauses x implementations, and what changed between two runs.

Each column heads with the implementation judged (name and version, when the report has them), its MUST and
SHOULD scores, its gate, and, when the matrix is written to a file, a link to the run's report.html (relative to
that file). Every cell that is not PASS carries its reason: a footnote in Markdown, a tooltip in HTML.

A cell is the clause's verdict rolled up over the Stop operations the run judged (format 2 reports; a format 1
report judged StopSentimentDetectionJob alone); its reason names the operations with that verdict when they are
not all of them. ``operation`` narrows every column to one Stop operation's verdicts. Two runs of one target list
what changed per clause and, where both judged it, per operation.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from comprehend_contract.reports.rendering import render
from comprehend_contract.spec import validator_for
from comprehend_contract.verdicts import Verdict

SYMBOL: dict[str, str] = {
    Verdict.PASS: "✅",
    Verdict.FAIL: "❌",
    Verdict.EXPECTED_FAIL: "⚠️",
    Verdict.NOT_EXERCISED: "⏭️",
}
REASON_LIMIT = 400
"""Characters of a reason shown in a footnote or tooltip (the report has all of it)."""


class ReportError(ValueError):
    """A file that is not a comprehend-contract report."""


class LoadedReport(dict[str, Any]):
    """A report document read from ``source``: a matrix written to a file links to the report beside it."""

    def __init__(self, document: dict[str, Any], source: Path) -> None:
        super().__init__(document)
        self.source = source


def load_report(path: Path) -> LoadedReport:
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path} does not exist") from None
    except (OSError, ValueError) as error:
        raise ReportError(f"{path} is not a JSON report: {error}") from None
    errors = list(validator_for("report").iter_errors(report))
    if errors:
        raise ReportError(f"{path} is not a comprehend-contract report: {errors[0].message}")
    return LoadedReport(report, path)


@dataclass(frozen=True, slots=True)
class Column:
    """One report's heading in the matrix."""

    label: str
    implementation: str | None
    must: str
    should: str
    gate_passed: bool
    link: str | None


@dataclass(frozen=True, slots=True)
class Cell:
    verdict: str
    reason: str | None
    """Why the clause is not PASS (None for PASS and for a clause the report does not have)."""


def _label(report: dict[str, Any]) -> str:
    return f"{report['run']['target']['name']} ({report['run']['started'][:16]})"


def implementation(report: dict[str, Any]) -> str | None:
    """The name and version of the implementation a report judged, if the report names it."""
    found = report["run"]["target"].get("implementation") or {}
    named = " ".join(str(found[key]) for key in ("name", "version") if found.get(key))
    return named or None


def report_link(report: dict[str, Any], output: Path | None) -> str | None:
    """The URL of the run's report.html (report.json if there is none) relative to ``output``, if both are files."""
    source = getattr(report, "source", None)
    if output is None or source is None:
        return None
    page = source.parent / "report.html"
    chosen = page if page.exists() else source
    relative = Path(os.path.relpath(chosen.resolve(), output.resolve().parent)).as_posix()
    return quote(relative, safe="/")


def _score(report: dict[str, Any], level: str) -> str:
    return f"{report['scores'][level]['passed']}/{report['scores'][level]['applicable']}"


def columns(reports: Sequence[dict[str, Any]], output: Path | None = None) -> list[Column]:
    return [
        Column(
            _label(r),
            implementation(r),
            _score(r, "MUST"),
            _score(r, "SHOULD"),
            bool(r["gate"]["passed"]),
            report_link(r, output),
        )
        for r in reports
    ]


SEED_OPERATION = "StopSentimentDetectionJob"
"""What a format 1 report judged (it has no per-operation verdicts)."""


def operations_of(clause: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A clause's verdict per Stop operation (a format 1 report's clause: its one verdict, on the seed operation)."""
    cells: dict[str, dict[str, Any]] | None = clause.get("operations")
    if cells is None:
        return {SEED_OPERATION: {"verdict": clause["verdict"], "reason": clause.get("reason")}}
    return cells


def _reason(clause: dict[str, Any]) -> str:
    text = " ".join(str(clause.get("reason") or clause["verdict"]).split())
    cells = operations_of(clause)
    alike = [op for op, cell in cells.items() if cell["verdict"] == clause["verdict"]]
    if len(cells) > 1 and 0 < len(alike) < len(cells):
        text = f"on {', '.join(alike)}: {text}"
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def _cell(clause: dict[str, Any] | None, operation: str | None) -> Cell:
    if clause is None:
        return Cell("-", None)
    if operation is not None:
        found = operations_of(clause).get(operation)
        if found is None:
            return Cell("-", None)
        clause = {**clause, "verdict": found["verdict"], "reason": found.get("reason"), "operations": {}}
    return Cell(clause["verdict"], None if clause["verdict"] == Verdict.PASS else _reason(clause))


def rows(reports: Sequence[dict[str, Any]], operation: str | None = None) -> list[tuple[str, str, list[Cell]]]:
    """(clause id, level, one cell per report) in the first report's clause order: each cell the clause rolled up,
    or its verdict on ``operation`` ("-" where a report has no verdict for it)."""
    by_report = [{c["id"]: c for c in r["clauses"]} for r in reports]
    return [
        (clause["id"], clause["level"], [_cell(clauses.get(clause["id"]), operation) for clauses in by_report])
        for clause in reports[0]["clauses"]
    ]


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, old verdict, new verdict) for every clause, and every clause on an operation both runs judged, whose
    verdict changed (``what``: ``CLAUSE`` or ``CLAUSE on OPERATION``)."""
    before = {clause["id"]: clause for clause in old["clauses"]}
    found = []
    for clause in new["clauses"]:
        was = before.get(clause["id"])
        if was is None or was["verdict"] != clause["verdict"]:
            found.append((clause["id"], was["verdict"] if was else "-", clause["verdict"]))
        if was is None:
            continue
        then, now = operations_of(was), operations_of(clause)
        for operation in (op for op in now if op in then and then[op]["verdict"] != now[op]["verdict"]):
            found.append((f"{clause['id']} on {operation}", then[operation]["verdict"], now[operation]["verdict"]))
    return found


def _changed(reports: Sequence[dict[str, Any]]) -> list[tuple[str, str, str]] | None:
    """What changed, when the matrix compares two runs of one target (None otherwise)."""
    if len(reports) == 2 and reports[0]["run"]["target"]["name"] == reports[1]["run"]["target"]["name"]:
        return changes(reports[0], reports[1])
    return None


def _md(text: str) -> str:
    """Text for a Markdown table cell or footnote: one line, no table break, no raw HTML."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def markdown(reports: Sequence[dict[str, Any]], *, output: Path | None = None, operation: str | None = None) -> str:
    """The matrix in GitHub Markdown (links to each run's report relative to ``output``, if written there; only
    ``operation``'s verdicts, if given)."""
    heads = columns(reports, output)
    labels = [_md(column.label) for column in heads]
    title = f"# Conformance matrix: {operation}" if operation else "# Conformance matrix"
    lines = [title, "", "| | " + " | ".join(labels) + " |", "|---|" + "---|" * len(heads)]
    if any(column.implementation for column in heads):
        lines.append("| implementation | " + " | ".join(_md(c.implementation or "-") for c in heads) + " |")
    lines += [
        "| MUST passed / applicable | " + " | ".join(c.must for c in heads) + " |",
        "| SHOULD passed / applicable | " + " | ".join(c.should for c in heads) + " |",
        "| gate | " + " | ".join("✅ passed" if c.gate_passed else "❌ failed" for c in heads) + " |",
    ]
    if any(column.link for column in heads):
        lines.append(
            "| report | " + " | ".join(f"[{Path(c.link).name}]({c.link})" if c.link else "-" for c in heads) + " |"
        )
    lines += ["", "| clause | level | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(heads)]
    footnotes: list[str] = []
    if operation is None and any(len(operations_of(c)) > 1 for r in reports for c in r["clauses"]):
        lines += ["", "Each cell: the clause over every Stop operation the run judged (a FAIL on any one is a FAIL)."]
    for clause_id, level, cells in rows(reports, operation):
        shown = []
        for column, cell in zip(heads, cells, strict=True):
            text = f"{SYMBOL.get(cell.verdict, '')} {cell.verdict}".strip()
            if cell.reason:
                footnotes.append(f"[^{len(footnotes) + 1}]: {_md(column.label)}, `{clause_id}`: {_md(cell.reason)}")
                text += f" [^{len(footnotes)}]"
            shown.append(text)
        lines.append(f"| `{clause_id}` | {level} | " + " | ".join(shown) + " |")
    changed = _changed(reports)
    if changed is not None:
        lines += ["", f"## Changes from {labels[0]} to {labels[1]}", ""]
        lines += [f"- `{c}`: {a} → {b}" for c, a, b in changed] or ["No clause changed its verdict."]
    if footnotes:
        lines += ["", *footnotes]
    return "\n".join(lines) + "\n"


def to_html(reports: Sequence[dict[str, Any]], *, output: Path | None = None, operation: str | None = None) -> str:
    """The matrix as one self-contained HTML page (reasons as tooltips; links relative to ``output``; only
    ``operation``'s verdicts, if given)."""
    return render(
        "matrix.html.j2",
        columns=columns(reports, output),
        rows=rows(reports, operation),
        operation=operation,
        changed=_changed(reports),
        symbol=SYMBOL,
    )
