"""report.md: the scores, a clause-by-operation table per clause group, then each failing (clause, operation) with its
evidence and why each cell not exercised was not; fit for $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import json
from typing import Any

from comprehend_contract.reports.compare import implementation
from comprehend_contract.reports.model import cells_by_clause
from comprehend_contract.spec.family import family
from comprehend_contract.verdicts import Verdict

ICONS = {
    Verdict.PASS: "✅ PASS",
    Verdict.FAIL: "❌ FAIL",
    Verdict.EXPECTED_FAIL: "⚠️ EXPECTED_FAIL",
    Verdict.NOT_EXERCISED: "⏭️ NOT_EXERCISED",
}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def exchange_block(exchange: dict[str, Any]) -> list[str]:
    request = exchange.get("request")
    shown = request if isinstance(request, str) else json.dumps(request, ensure_ascii=False)
    return [
        "```http",
        f"POST / ({exchange.get('transport')}) X-Amz-Target: Comprehend_20171127.{exchange.get('operation')}",
        shown[:1500],
        "",
        f"HTTP {exchange.get('status')}",
        *(f"{name}: {value}" for name, value in sorted(exchange.get("headers", {}).items())),
        "",
        str(exchange.get("body", ""))[:1500],
        "```",
    ]


CELL = {
    Verdict.PASS: "✅",
    Verdict.FAIL: "❌",
    Verdict.EXPECTED_FAIL: "⚠️",
    Verdict.NOT_EXERCISED: "⏭️",
}


def _short(operation: str) -> str:
    found = family().of_operation(operation)
    return found.short if found is not None else operation


def write(report: dict[str, Any]) -> str:
    run = report["run"]
    target = run["target"]
    gate = report["gate"]
    judged = implementation(report)
    operations = list(run.get("operations") or [])
    lines = [
        f"# Conformance report: {target.get('name')}",
        "",
        f"Stop<Type>DetectionJob contract on {len(operations)} operation(s), comprehend-contract {run['kit_version']} "
        f"(botocore {run['sdk']['botocore']}), run `{run['id']}`, {run['started']} to {run['finished']}.",
        f"Endpoint: `{target.get('endpoint_url') or 'AWS default'}`, region `{target.get('region')}`."
        + (f" Implementation judged: {judged}." if judged else "")
        + _retried(run),
        "",
        f"**Gate: {'passed' if gate['passed'] else 'FAILED'}**"
        + (f" (expectations: `{gate['expectations']}`)" if gate["expectations"] else ""),
    ]
    gate_lists = (
        ("unexpected_failing_cells", "unexpected failures"),
        ("unexpected_passing_cells", "unexpected passes (remove their expectations)"),
    )
    for key, label in gate_lists:
        cells = gate.get(key) or []
        if cells:
            said = [
                f"`{clause}` on " + (", ".join(f"`{op}`" for op in where) if where else "every operation")
                for clause, where in cells_by_clause(cells, operations)
            ]
            lines.append(f"- {label} ({len(cells)} cell(s)): " + "; ".join(said))
    if gate["incomplete"]:
        why = "not judged: only transient answers, or its process crashed"
        lines.append(f"- incomplete ({why}): {len(gate['incomplete'])} test(s)")
    if gate["interrupted"]:
        lines.append(f"- interrupted: {_cell(gate['interrupted'])}")
    lines += [
        "",
        "| operation | level | passed / applicable | failed | expected fail | not exercised |",
        "|---|---|---|---|---|---|",
    ]
    rows = [*((f"`{op}`", levels) for op, levels in report.get("operation_scores", {}).items())]
    rows.append(("every operation (clauses rolled up)", report["scores"]))
    for name, levels in rows:
        for level, score in levels.items():
            lines.append(
                f"| {name} | {level} | {score['passed']} / {score['applicable']} | {score['failed']} "
                f"| {score['expected_fail']} | {score['not_exercised']} |"
            )
    columns = ", ".join(f"{_short(op)} = `{op}`" for op in operations)
    lines += ["", f"✅ pass, ❌ fail, ⚠️ expected to fail, ⏭️ not exercised; columns: {columns}."]
    groups: dict[str, list[dict[str, Any]]] = {}
    for clause in report["clauses"]:
        groups.setdefault(clause["group"], []).append(clause)
    heads = "".join(f" {_short(op)} |" for op in operations)
    for group, clauses in groups.items():
        lines += [
            "",
            f"## {group}",
            "",
            f"| clause | level |{heads} verdict |",
            "|---|---|" + "---|" * (len(operations) + 1),
        ]
        for clause in clauses:
            cells = clause.get("operations", {})
            shown = "".join(f" {CELL.get(cells[op]['verdict'], '-') if op in cells else '-'} |" for op in operations)
            lines.append(f"| `{clause['id']}` | {clause['level']} |{shown} {ICONS[clause['verdict']]} |")
    failures = [
        (clause, operation, cell)
        for clause in report["clauses"]
        for operation, cell in clause.get("operations", {}).items()
        if cell["verdict"] in (Verdict.FAIL, Verdict.EXPECTED_FAIL)
    ]
    if failures:
        lines += ["", "## Failures and their evidence"]
    for clause, operation, cell in failures:
        lines += [
            "",
            f"### {clause['id']} on {operation} ({clause['level']}): {cell['verdict']}",
            "",
            f"> {_cell(clause['text'])}",
        ]
        if cell.get("expectation"):
            lines.append(f"Expected: {_cell(cell['expectation']['reason'])}")
        for evidence in cell["evidence"][:3]:
            if evidence["verdict"] != Verdict.FAIL:
                continue
            lines += ["", f"- `{evidence['test']}`: {_cell(evidence['detail'])}"]
            for exchange in evidence["exchanges"][-2:]:
                lines += ["", *exchange_block(exchange)]
    not_exercised = [
        f"- `{clause['id']}` on `{operation}`: {_cell(cell['reason'])}"
        for clause in report["clauses"]
        for operation, cell in clause.get("operations", {}).items()
        if cell["verdict"] == Verdict.NOT_EXERCISED
    ]
    if not_exercised:
        lines += ["", "## Not exercised, and why", "", *not_exercised]
    if report.get("parity") is not None:
        lines += ["", parity_markdown(report["parity"])]
    return "\n".join(lines) + "\n"


def parity_markdown(parity: dict[str, Any]) -> str:
    """The parity section: the score, then each difference from the recorded implementation, by clause and test."""
    from comprehend_contract.snapshots import Comparison, render_markdown

    return render_markdown(Comparison.from_dict(parity), heading_level=2, max_per_test=10)


def _retried(run: dict[str, Any]) -> str:
    """The transient answers the run rode through, if any (older reports do not say)."""
    retried = run.get("transient_retried") or {}
    if not retried.get("answers"):
        return ""
    return f" Transient answers retried (never judged): {retried['answers']}, {retried['throttles']} of them throttles."
