"""report.html: one self-contained page (no external URL, no script): the verdict matrix, and each failure's
evidence in a <details> element a reader opens."""

from __future__ import annotations

import html
import json
from typing import Any

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:1200px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f8fa}.PASS{background:#dafbe1}.FAIL{background:#ffebe9}
.EXPECTED_FAIL{background:#fff8c5}.NOT_EXERCISED{background:#eaeef2}code,pre{font:12px ui-monospace,monospace}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;white-space:pre-wrap}details{margin:.3rem 0}
.gate-ok{color:#1a7f37}.gate-bad{color:#cf222e}
"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def _exchange(exchange: dict[str, Any]) -> str:
    request = exchange.get("request")
    shown = request if isinstance(request, str) else json.dumps(request, ensure_ascii=False, indent=1)
    headers = "\n".join(f"{k}: {v}" for k, v in sorted(exchange.get("headers", {}).items()))
    return (
        f"<pre>{_e(exchange.get('operation'))} via {_e(exchange.get('transport'))}\n{_e(shown)}\n\n"
        f"HTTP {_e(exchange.get('status'))}\n{_e(headers)}\n\n{_e(exchange.get('body', ''))}</pre>"
    )


def write(report: dict[str, Any]) -> str:
    run, gate = report["run"], report["gate"]
    target = run["target"]
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        f"<title>comprehend-contract: {_e(target.get('name'))}</title><style>{STYLE}</style>",
        f"<h1>Conformance report: {_e(target.get('name'))}</h1>",
        f"<p>StopSentimentDetectionJob contract &middot; comprehend-contract {_e(run['kit_version'])} &middot; "
        f"botocore {_e(run['sdk']['botocore'])} &middot; run <code>{_e(run['id'])}</code> &middot; "
        f"{_e(run['started'])} to {_e(run['finished'])} &middot; endpoint "
        f"<code>{_e(target.get('endpoint_url') or 'AWS default')}</code></p>",
        f"<p class={'gate-ok' if gate['passed'] else 'gate-bad'}><b>Gate: "
        f"{'passed' if gate['passed'] else 'FAILED'}</b></p>",
        "<table><tr><th>level</th><th>passed / applicable</th><th>failed</th><th>expected fail</th>"
        "<th>not exercised</th></tr>",
    ]
    for level, s in report["scores"].items():
        parts.append(
            f"<tr><td>{level}</td><td>{s['passed']} / {s['applicable']}</td><td>{s['failed']}</td>"
            f"<td>{s['expected_fail']}</td><td>{s['not_exercised']}</td></tr>"
        )
    parts.append("</table>")
    groups: dict[str, list[dict[str, Any]]] = {}
    for clause in report["clauses"]:
        groups.setdefault(clause["group"], []).append(clause)
    for group, clauses in groups.items():
        parts.append(
            f"<h2>{_e(group)}</h2><table><tr><th>verdict</th><th>clause</th><th>level</th><th>detail</th></tr>"
        )
        for clause in clauses:
            detail = f"<p>{_e(clause['text'])}</p>"
            if clause["verdict"] != "PASS":
                detail += f"<p><b>{_e(clause['reason'])}</b></p>"
            for evidence in clause["evidence"][:5]:
                if evidence["verdict"] != "FAIL":
                    continue
                exchanges = "".join(_exchange(x) for x in evidence["exchanges"][-3:])
                detail += (
                    f"<details><summary><code>{_e(evidence['test'])}</code>: {_e(evidence['detail'])}</summary>"
                    f"{exchanges or '<p>(no request recorded)</p>'}</details>"
                )
            parts.append(
                f"<tr class={clause['verdict']}><td>{clause['verdict']}</td><td><code>{clause['id']}</code></td>"
                f"<td>{clause['level']}</td><td>{detail}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</html>")
    return "\n".join(parts) + "\n"
