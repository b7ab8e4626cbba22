"""The matrix shows each run's scores, implementation and report, and why a cell is not PASS; each run has a badge."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from comprehend_contract.reports import write_reports
from comprehend_contract.reports.compare import load_report, markdown, to_html
from comprehend_contract.reports.writers import badge
from comprehend_contract.spec import validator_for
from tests.reports.support import Page, sample_report


def _written(directory: Path, **target: Any) -> Path:
    write_reports(sample_report(**target), directory)
    return directory / "report.json"


def _passing(report: dict[str, Any]) -> dict[str, Any]:
    for clause in report["clauses"]:
        clause["verdict"], clause["evidence"] = "PASS", []
    report["scores"]["MUST"].update(passed=24, failed=0, not_exercised=0, applicable=24)
    report["gate"].update(passed=True, unexpected_failures=[])
    return report


def test_the_matrix_links_each_run_s_report_relative_to_the_matrix(tmp_path: Path) -> None:
    reports = [
        load_report(_written(tmp_path / "runs" / "a", implementation={"name": "clone", "version": "2.0"})),
        load_report(_written(tmp_path / "runs" / "b", name="other")),
    ]
    output = tmp_path / "site" / "matrix.md"
    output.parent.mkdir()
    table = markdown(reports, output=output)
    assert "| report | [report.html](../runs/a/report.html) | [report.html](../runs/b/report.html) |" in table
    page = Page.of(to_html(reports, output=tmp_path / "site" / "matrix.html"))
    assert [a.attrs["href"] for a in page.find("a")] == ["../runs/a/report.html", "../runs/b/report.html"]
    for link in ("../runs/a/report.html", "../runs/b/report.html"):
        assert (output.parent / link).exists()
    assert "| report |" not in markdown(reports), "standard output has no place to link from"


def test_the_matrix_shows_scores_gate_and_implementation_when_known(tmp_path: Path) -> None:
    clone = sample_report(name="clone", implementation={"name": "clone", "version": "2.0"})
    other = _passing(sample_report(name="other"))
    table = markdown([clone, other])
    must = clone["scores"]["MUST"]
    assert f"| MUST passed / applicable | {must['passed']}/{must['applicable']} | 24/24 |" in table
    assert "| gate | ❌ failed | ✅ passed |" in table
    assert "| implementation | clone 2.0 | - |" in table
    page = Page.of(to_html([clone, other]))
    assert [td.text for td in page.find("td", class_="score")] == [
        f"{must['passed']}/{must['applicable']}",
        "24/24",
        f"{clone['scores']['SHOULD']['passed']}/{clone['scores']['SHOULD']['applicable']}",
        f"{other['scores']['SHOULD']['passed']}/{other['scores']['SHOULD']['applicable']}",
    ]
    assert [td.text for td in page.find("td")][:2] == ["clone 2.0", "-"]
    assert [td.text for td in page.find("td", class_="gate-bad")] == ["failed"]
    assert "implementation" not in markdown([other, other]), "no implementation row when no report names one"


def test_every_cell_that_is_not_pass_gives_its_reason(tmp_path: Path) -> None:
    report = sample_report()
    reason = next(c["reason"] for c in report["clauses"] if c["id"] == "REQ-JOBID-PATTERN")
    page = Page.of(to_html([report]))
    cells = {row.attrs["id"]: row for row in page.find("tr") if "id" in row.attrs}
    failing = [td for td in page.within("clause-REQ-JOBID-PATTERN", "td") if "verdict" in td.attrs.get("class", "")]
    assert failing[0].attrs["title"] == f"on StopSentimentDetectionJob: {reason}", "the operation it failed on"
    passing = [td for td in page.within("clause-STOP-NOT-FOUND", "td") if "verdict" in td.attrs.get("class", "")]
    assert "title" not in passing[0].attrs
    assert "clause-AUTH-ISOLATION" in cells
    assert not page.find("script")
    table = markdown([report])
    note = re.search(r"\| `REQ-JOBID-PATTERN` \| MUST \| ❌ FAIL \[\^(\d+)\] \|", table)
    assert note is not None
    assert (
        f"\n[^{note[1]}]: sample (2026-11-28T12:00), `REQ-JOBID-PATTERN`: on StopSentimentDetectionJob: {reason}\n"
        in table
    )


def test_the_report_schema_takes_an_optional_implementation() -> None:
    validator = validator_for("report")
    assert validator.is_valid(sample_report())
    assert validator.is_valid(sample_report(implementation={"name": "moto", "version": "5.1.0"}))
    assert not validator.is_valid(sample_report(implementation={"name": "moto", "version": 5}))


def test_each_run_writes_a_badge_green_when_the_gate_passed_red_when_not(tmp_path: Path) -> None:
    write_reports(sample_report(), tmp_path)
    failed = ET.fromstring((tmp_path / "badge.svg").read_text(encoding="utf-8"))
    passed = ET.fromstring(badge.write(_passing(sample_report())))
    svg = "{http://www.w3.org/2000/svg}"
    must = sample_report()["scores"]["MUST"]
    assert (
        failed.findtext(f"{svg}title")
        == f"comprehend-contract: MUST {must['passed']}/{must['applicable']} · gate failed"
    )
    assert passed.findtext(f"{svg}title") == "comprehend-contract: MUST 24/24 · gate passed"
    assert [r.get("fill") for r in failed.iter(f"{svg}rect")] == [badge.LABEL_COLOUR, badge.FAILED]
    assert [r.get("fill") for r in passed.iter(f"{svg}rect")] == [badge.LABEL_COLOUR, badge.PASSED]
    texts = [t.text for t in passed.iter(f"{svg}text")]
    assert texts == [
        "comprehend-contract",
        "comprehend-contract",
        "MUST 24/24 · gate passed",
        "MUST 24/24 · gate passed",
    ]
    width = int(passed.get("width", "0"))
    assert width == sum(int(r.get("width", "0")) for r in passed.iter(f"{svg}rect"))
    serialised = json.dumps([element.attrib for element in passed.iter()])
    assert "href" not in serialised
    assert "url(" not in serialised
    assert "@import" not in serialised


def _format_1(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` as a format 1 report (one verdict per clause, judged on StopSentimentDetectionJob) would have it."""
    old = json.loads(json.dumps(report))
    old["format"] = "comprehend-contract-report/1"
    for clause in old["clauses"]:
        clause.pop("operations", None)
    old["run"].pop("operations", None)
    old.pop("operation_scores", None)
    return old


def test_a_rolled_up_cell_names_the_operations_that_gave_its_verdict() -> None:
    report = sample_report()
    table = markdown([report])
    reason = next(c["reason"] for c in report["clauses"] if c["id"] == "REQ-JOBID-PATTERN")
    assert "every Stop operation the run judged" in table
    assert f"`REQ-JOBID-PATTERN`: on StopSentimentDetectionJob: {reason}" in table


def test_the_matrix_narrows_to_one_operation() -> None:
    report = sample_report()
    events = markdown([report], operation="StopEventsDetectionJob")
    assert events.startswith("# Conformance matrix: StopEventsDetectionJob\n")
    assert re.search(r"\| `REQ-JOBID-PATTERN` \| MUST \| ⏭️ NOT_EXERCISED", events)
    sentiment = markdown([report], operation="StopSentimentDetectionJob")
    assert re.search(r"\| `REQ-JOBID-PATTERN` \| MUST \| ❌ FAIL", sentiment)
    page = Page.of(to_html([report], operation="StopEventsDetectionJob"))
    assert [h.text for h in page.find("h1")] == ["Conformance matrix: StopEventsDetectionJob"]
    assert "| - |" not in markdown([report], operation="StopSentimentDetectionJob")
    assert "| - |" in markdown([report, report], operation="StopEntitiesDetectionJob").replace("| - | - |", "| - |")


def test_a_format_1_report_sits_beside_a_format_2_one_as_the_seed_operation_s_verdicts(tmp_path: Path) -> None:
    new = sample_report()
    old = _format_1(new)
    assert validator_for("report").is_valid(old)
    table = markdown([old, new], operation="StopSentimentDetectionJob")
    row = next(line for line in table.splitlines() if line.startswith("| `REQ-JOBID-PATTERN`"))
    assert row.count("❌ FAIL") == 2
    events = markdown([old, new], operation="StopEventsDetectionJob")
    row = next(line for line in events.splitlines() if line.startswith("| `REQ-JOBID-PATTERN`"))
    assert "| - |" in row, "a format 1 report has no verdict for another operation"


def test_two_runs_of_one_target_list_what_changed_per_operation() -> None:
    before, after = sample_report(), sample_report()
    clause = next(c for c in after["clauses"] if c["id"] == "REQ-JOBID-PATTERN")
    clause["operations"]["StopEventsDetectionJob"]["verdict"] = "FAIL"
    table = markdown([before, after])
    assert "- `REQ-JOBID-PATTERN on StopEventsDetectionJob`: NOT_EXERCISED → FAIL" in table
    assert "- `REQ-JOBID-PATTERN`:" not in table, "the rolled-up verdict did not change"
