"""Several reports side by side: a matrix of clauses x implementations, and what changed between two runs.

Each column heads with the implementation judged (name and version, when the report has them), its MUST and
SHOULD scores, its gate, and, when the matrix is written to a file, a link to the run's report.html (relative to
that file). Every cell that is not PASS carries its reason: a footnote in Markdown, a tooltip in HTML.
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


def _reason(clause: dict[str, Any]) -> str:
    text = " ".join(str(clause.get("reason") or clause["verdict"]).split())
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def rows(reports: Sequence[dict[str, Any]]) -> list[tuple[str, str, list[Cell]]]:
    """(clause id, level, one cell per report) in the first report's clause order."""
    by_report = [{c["id"]: c for c in r["clauses"]} for r in reports]
    found = []
    for clause in reports[0]["clauses"]:
        cells = []
        for clauses in by_report:
            other = clauses.get(clause["id"])
            if other is None:
                cells.append(Cell("-", None))
            else:
                cells.append(Cell(other["verdict"], None if other["verdict"] == Verdict.PASS else _reason(other)))
        found.append((clause["id"], clause["level"], cells))
    return found


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(clause, old verdict, new verdict) for every clause whose verdict changed."""
    before = {clause["id"]: clause["verdict"] for clause in old["clauses"]}
    return [
        (c["id"], before.get(c["id"], "-"), c["verdict"]) for c in new["clauses"] if before.get(c["id"]) != c["verdict"]
    ]


def _changed(reports: Sequence[dict[str, Any]]) -> list[tuple[str, str, str]] | None:
    """What changed, when the matrix compares two runs of one target (None otherwise)."""
    if len(reports) == 2 and reports[0]["run"]["target"]["name"] == reports[1]["run"]["target"]["name"]:
        return changes(reports[0], reports[1])
    return None


def _md(text: str) -> str:
    """Text for a Markdown table cell or footnote: one line, no table break, no raw HTML."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def markdown(reports: Sequence[dict[str, Any]], *, output: Path | None = None) -> str:
    """The matrix in GitHub Markdown (links to each run's report relative to ``output``, if written there)."""
    heads = columns(reports, output)
    labels = [_md(column.label) for column in heads]
    lines = ["# Conformance matrix", "", "| | " + " | ".join(labels) + " |", "|---|" + "---|" * len(heads)]
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
    for clause_id, level, cells in rows(reports):
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


def to_html(reports: Sequence[dict[str, Any]], *, output: Path | None = None) -> str:
    """The matrix as one self-contained HTML page (reasons as tooltips; links relative to ``output``)."""
    return render(
        "matrix.html.j2",
        columns=columns(reports, output),
        rows=rows(reports),
        changed=_changed(reports),
        symbol=SYMBOL,
    )
