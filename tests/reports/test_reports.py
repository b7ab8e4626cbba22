"""Reports: the document fits its schema, every writer renders it, secrets never reach a file, compare works."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from comprehend_contract.reports import load_expectations, write_reports
from comprehend_contract.reports.compare import ReportError, changes, load_report, markdown, to_html
from comprehend_contract.reports.expectations import ExpectationsError, expectations_from_report
from comprehend_contract.spec import validator_for
from comprehend_contract.spec.family import family
from tests.reports.support import SECRET, SIGNATURE, sample_report


def test_report_fits_its_schema_and_counts_by_level(tmp_path: Path) -> None:
    report = sample_report()
    assert validator_for("report").is_valid(report)
    verdicts = {c["id"]: c["verdict"] for c in report["clauses"]}
    assert verdicts["REQ-JOBID-PATTERN"] == "FAIL"
    assert verdicts["ERR-SHAPE"] == "FAIL"
    assert verdicts["AUTH-ISOLATION"] == "NOT_EXERCISED"
    assert verdicts["STOP-NOT-FOUND"] == "PASS"
    must = report["scores"]["MUST"]
    assert must["applicable"] == must["passed"] + must["failed"] + must["expected_fail"]
    assert report["gate"]["passed"] is False


def test_every_writer_renders_and_no_secret_or_signature_reaches_a_file(tmp_path: Path) -> None:
    paths = write_reports(sample_report(), tmp_path / "run")
    assert sorted(p.name for p in paths) == [
        "badge-StopEventsDetectionJob.svg",
        "badge-StopSentimentDetectionJob.svg",
        "badge.svg",
        "junit.xml",
        "report.html",
        "report.json",
        "report.md",
    ], "every format, and a badge per operation"
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text, path.name
        assert SIGNATURE not in text, path.name
        assert "AWS4-HMAC-SHA256 Credential" not in text, path.name
    assert "REQ-JOBID-PATTERN" in (tmp_path / "run" / "report.md").read_text()
    junit = (tmp_path / "run" / "junit.xml").read_text()
    assert '<property name="clause" value="REQ-JOBID-PATTERN" />' in junit


def test_invalid_report_is_refused_before_it_is_written(tmp_path: Path) -> None:
    report = sample_report()
    report["format"] = "something else"
    with pytest.raises(ValueError, match=r"does not fit schemas/report\.json"):
        write_reports(report, tmp_path)
    assert not (tmp_path / "report.json").exists()


def _expectations(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "expected.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_gate_passes_when_every_failure_is_expected(tmp_path: Path) -> None:
    path = _expectations(
        tmp_path,
        '[[deviation]]\nclause = "REQ-JOBID-PATTERN"\nreason = "rejects CJK"\n'
        '[[deviation]]\nclause = "ERR-SHAPE"\nreason = "HTML 500"\nissue = "https://example.com/1"\n',
    )
    report = sample_report(path)
    assert report["gate"]["passed"] is True
    verdicts = {c["id"]: c["verdict"] for c in report["clauses"]}
    assert verdicts["REQ-JOBID-PATTERN"] == "EXPECTED_FAIL"


def test_gate_fails_on_an_unexpected_pass(tmp_path: Path) -> None:
    path = _expectations(
        tmp_path,
        '[[deviation]]\nclause = "REQ-JOBID-PATTERN"\nreason = "x"\n[[deviation]]\nclause = "ERR-SHAPE"\nreason = "y"\n'
        '[[deviation]]\nclause = "STOP-NOT-FOUND"\nreason = "was broken, now fixed"\n',
    )
    report = sample_report(path)
    assert report["gate"]["passed"] is False
    assert report["gate"]["unexpected_passes"] == ["STOP-NOT-FOUND"]


def test_expectations_written_from_a_report_make_its_gate_pass(tmp_path: Path) -> None:
    text = expectations_from_report(sample_report())
    path = _expectations(tmp_path, text)
    assert sample_report(path)["gate"]["passed"] is True


def test_a_deviation_may_name_several_operations_or_every_one(tmp_path: Path) -> None:
    listed = load_expectations(
        _expectations(
            tmp_path,
            '[[deviation]]\nclause = "STOP-NOT-FOUND"\noperation = ["Events", "StopEntitiesDetectionJob"]\n'
            'reason = "answers ResourceNotFoundException"\n'
            '[[deviation]]\nclause = "ERR-SHAPE"\noperation = "*"\nreason = "HTML 500"\n',
        )
    )
    assert listed.deviation("STOP-NOT-FOUND", "StopEventsDetectionJob") is not None
    assert listed.deviation("STOP-NOT-FOUND", "StopEntitiesDetectionJob") is not None
    assert listed.deviation("STOP-NOT-FOUND", "StopSentimentDetectionJob") is None
    assert all(listed.deviation("ERR-SHAPE", stop) is not None for stop in family().stops())


def test_expectations_written_from_a_report_say_one_failure_once_for_every_operation_it_is_given_on() -> None:
    report = sample_report()
    clause = next(c for c in report["clauses"] if c["id"] == "STOP-NOT-FOUND")
    template = next(iter(clause["operations"].values()))
    clause["operations"] = {
        job_type.stop: {
            **template,
            "verdict": "FAIL",
            "reason": f"{job_type.stop} of a {job_type.name} job {index:032x}: expected JobNotFoundException",
        }
        for index, job_type in enumerate(family())
    }
    text = expectations_from_report(report)
    entry = text[text.index('clause = "STOP-NOT-FOUND"') :].split("\n\n")[0]
    assert 'operation = "*"' in entry
    assert 'reason = "Stop<Type>DetectionJob of a <Type> job <id>: expected JobNotFoundException"' in entry


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[deviation]]\nclause = "STOP-NOT-FOUND"\noperation = ["Sentimnt"]\nreason = "x"\n',
            "'Sentimnt' is not a Stop",
        ),
        ('[[deviation]]\nclause = "STOP-NOT-FOUND"\noperation = []\nreason = "x"\n', "a list of them"),
        ('[[deviation]]\nclause = "STOP-OUTPT"\nreason = "x"\n', "did you mean STOP-OUTPUT"),
        ('[[deviation]]\nclause = "STOP-OUTPUT"\n', "field reason is required"),
        ('[[deviation]]\nclause = "STOP-OUTPUT"\nreason = "x"\nissue = "soon"\n', "field issue must be an http(s) URL"),
        ('[[deviation]]\nclause = "STOP-OUTPUT"\nreason = "x"\ncolour = "red"\n', "unknown field(s) colour"),
        ("not = toml = at all", "not valid TOML"),
    ],
)
def test_bad_expectations_file_names_the_entry_and_field(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ExpectationsError, match=re.escape(message)):
        load_expectations(_expectations(tmp_path, body))


def test_compare_renders_a_matrix_and_what_changed(tmp_path: Path) -> None:
    first = sample_report()
    second = json.loads(json.dumps(first))
    second["run"]["started"] = "2026-11-29T12:00:00Z"
    for clause in second["clauses"]:
        if clause["id"] == "REQ-JOBID-PATTERN":
            clause["verdict"] = "PASS"
    table = markdown([first, second])
    assert re.search(r"\| `REQ-JOBID-PATTERN` \| MUST \| ❌ FAIL \[\^\d+\] \| ✅ PASS \|", table)
    assert "`REQ-JOBID-PATTERN`: FAIL → PASS" in table
    assert changes(first, second) == [("REQ-JOBID-PATTERN", "FAIL", "PASS")]
    assert '<table class="matrix">' in to_html([first, second])


def test_compare_refuses_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ReportError, match="not a comprehend-contract report"):
        load_report(path)
