"""One writer per report format, all reading the same (redacted, schema-valid) report document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from comprehend_contract.reports.writers import badge, html, json_report, junit, markdown

WRITERS = {
    "report.json": json_report.write,
    "report.md": markdown.write,
    "junit.xml": junit.write,
    "report.html": html.write,
    "badge.svg": badge.write,
}


def write_reports(report: dict[str, Any], directory: Path) -> list[Path]:
    """Write every format into ``directory`` (report.json first: it validates the document), and a badge per
    Stop operation (``badge-<operation>.svg``)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, write in WRITERS.items():
        path = directory / name
        path.write_text(write(report), encoding="utf-8")
        written.append(path)
    for operation in report["run"].get("operations") or []:
        path = directory / f"badge-{operation}.svg"
        path.write_text(badge.write_for(report, operation), encoding="utf-8")
        written.append(path)
    return written
