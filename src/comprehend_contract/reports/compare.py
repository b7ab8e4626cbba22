"""Several reports side by side: a matrix of clauses x implementations, and what changed between two runs."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from comprehend_contract.spec import validator_for
from comprehend_contract.verdicts import Verdict

SYMBOL: dict[str, str] = {
    Verdict.PASS: "✅",
    Verdict.FAIL: "❌",
    Verdict.EXPECTED_FAIL: "⚠️",
    Verdict.NOT_EXERCISED: "⏭️",
}


class ReportError(ValueError):
    """A file that is not a comprehend-contract report."""


def load_report(path: Path) -> dict[str, Any]:
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path} does not exist") from None
    except (OSError, ValueError) as error:
        raise ReportError(f"{path} is not a JSON report: {error}") from None
    errors = list(validator_for("report").iter_errors(report))
    if errors:
        raise ReportError(f"{path} is not a comprehend-contract report: {errors[0].message}")
    return report


def _label(report: dict[str, Any]) -> str:
    return f"{report['run']['target']['name']} ({report['run']['started'][:16]})"


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(clause, old verdict, new verdict) for every clause whose verdict changed."""
    before = {clause["id"]: clause["verdict"] for clause in old["clauses"]}
    return [
        (c["id"], before.get(c["id"], "-"), c["verdict"]) for c in new["clauses"] if before.get(c["id"]) != c["verdict"]
    ]


def markdown(reports: Sequence[dict[str, Any]]) -> str:
    labels = [_label(r) for r in reports]
    lines = [
        "# Conformance matrix",
        "",
        "| clause | level | " + " | ".join(labels) + " |",
        "|---|---|" + "---|" * len(labels),
    ]
    rows = _rows(reports)
    for clause_id, level, verdicts in rows:
        cells = " | ".join(f"{SYMBOL.get(v, '')} {v}" for v in verdicts)
        lines.append(f"| `{clause_id}` | {level} | {cells} |")
    lines += ["", "| score | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for level in ("MUST", "SHOULD"):
        cells = " | ".join(f"{r['scores'][level]['passed']}/{r['scores'][level]['applicable']}" for r in reports)
        lines.append(f"| {level} passed / applicable | {cells} |")
    if len(reports) == 2 and reports[0]["run"]["target"]["name"] == reports[1]["run"]["target"]["name"]:
        changed = changes(reports[0], reports[1])
        lines += ["", f"## Changes from {labels[0]} to {labels[1]}", ""]
        lines += [f"- `{c}`: {a} → {b}" for c, a, b in changed] or ["No clause changed its verdict."]
    return "\n".join(lines) + "\n"


def _rows(reports: Sequence[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    by_report = [{c["id"]: c for c in r["clauses"]} for r in reports]
    rows = []
    for clause in reports[0]["clauses"]:
        verdicts = [found.get(clause["id"], {}).get("verdict", "-") for found in by_report]
        rows.append((clause["id"], clause["level"], verdicts))
    return rows


def to_html(reports: Sequence[dict[str, Any]]) -> str:
    labels = [_label(r) for r in reports]
    colour: dict[str, str] = {
        Verdict.PASS: "#dafbe1",
        Verdict.FAIL: "#ffebe9",
        Verdict.EXPECTED_FAIL: "#fff8c5",
        Verdict.NOT_EXERCISED: "#eaeef2",
    }
    head = "".join(f"<th>{html.escape(label)}</th>" for label in labels)
    body = []
    for clause_id, level, verdicts in _rows(reports):
        cells = "".join(f"<td style='background:{colour.get(v, '#fff')}'>{v}</td>" for v in verdicts)
        body.append(f"<tr><td><code>{clause_id}</code></td><td>{level}</td>{cells}</tr>")
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Conformance matrix</title>"
        "<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #d0d7de;padding:.3rem .6rem}</style><h1>Conformance matrix</h1>"
        f"<table><tr><th>clause</th><th>level</th>{head}</tr>{''.join(body)}</table></html>\n"
    )
