"""The HTML templates are package data: the wheel carries every one of them (hatchling's own file selection)."""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = REPO_ROOT / "src" / "comprehend_contract" / "reports" / "templates"


def test_the_wheel_carries_every_report_template() -> None:
    shipped = {f.distribution_path for f in WheelBuilder(str(REPO_ROOT)).recurse_included_files()}
    templates = sorted(TEMPLATES.glob("*.j2"))
    assert [t.name for t in templates] == ["matrix.html.j2", "report.html.j2"]
    for template in templates:
        assert f"comprehend_contract/reports/templates/{template.name}" in shipped
