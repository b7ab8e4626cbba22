"""report.md: a summary table per clause group, then failures with evidence; fit for $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import json
from typing import Any

from comprehend_contract.reports.compare import implementation
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


def write(report: dict[str, Any]) -> str:
    run = report["run"]
    target = run["target"]
    gate = report["gate"]
    judged = implementation(report)
    lines = [
        f"# Conformance report: {target.get('name')}",
        "",
        f"StopSentimentDetectionJob contract, comprehend-contract {run['kit_version']} "
        f"(botocore {run['sdk']['botocore']}), run `{run['id']}`, {run['started']} to {run['finished']}.",
        f"Endpoint: `{target.get('endpoint_url') or 'AWS default'}`, region `{target.get('region')}`."
        + (f" Implementation judged: {judged}." if judged else ""),
        "",
        f"**Gate: {'passed' if gate['passed'] else 'FAILED'}**"
        + (f" (expectations: `{gate['expectations']}`)" if gate["expectations"] else ""),
    ]
    if gate["unexpected_failures"]:
        lines.append(f"- unexpected failures: {', '.join(gate['unexpected_failures'])}")
    if gate["unexpected_passes"]:
        lines.append(f"- unexpected passes (remove their expectations): {', '.join(gate['unexpected_passes'])}")
    lines += ["", "| level | passed / applicable | failed | expected fail | not exercised |", "|---|---|---|---|---|"]
    for level, score in report["scores"].items():
        lines.append(
            f"| {level} | {score['passed']} / {score['applicable']} | {score['failed']} | {score['expected_fail']} "
            f"| {score['not_exercised']} |"
        )
    groups: dict[str, list[dict[str, Any]]] = {}
    for clause in report["clauses"]:
        groups.setdefault(clause["group"], []).append(clause)
    for group, clauses in groups.items():
        lines += ["", f"## {group}", "", "| verdict | clause | level | reason |", "|---|---|---|---|"]
        for clause in clauses:
            reason = clause["reason"] if clause["verdict"] != Verdict.PASS else f"{len(clause['tests'])} test(s)"
            lines.append(f"| {ICONS[clause['verdict']]} | `{clause['id']}` | {clause['level']} | {_cell(reason)} |")
    failures = [c for c in report["clauses"] if c["verdict"] in (Verdict.FAIL, Verdict.EXPECTED_FAIL)]
    if failures:
        lines += ["", "## Failures and their evidence"]
    for clause in failures:
        lines += ["", f"### {clause['id']} ({clause['level']}): {clause['verdict']}", "", f"> {_cell(clause['text'])}"]
        if clause.get("expectation"):
            lines.append(f"Expected: {_cell(clause['expectation']['reason'])}")
        for evidence in clause["evidence"][:3]:
            if evidence["verdict"] != Verdict.FAIL:
                continue
            lines += ["", f"- `{evidence['test']}`: {_cell(evidence['detail'])}"]
            for exchange in evidence["exchanges"][-2:]:
                lines += ["", *exchange_block(exchange)]
    if report.get("parity") is not None:
        lines += ["", parity_markdown(report["parity"])]
    return "\n".join(lines) + "\n"


def parity_markdown(parity: dict[str, Any]) -> str:
    """The parity section: the score, then each difference from the recorded implementation, by clause and test."""
    from comprehend_contract.snapshots import Comparison, render_markdown

    return render_markdown(Comparison.from_dict(parity), heading_level=2, max_per_test=10)
