"""junit.xml: a test suite and a clause suite per Stop operation; every failure carries its evidence (requests and
responses, redacted, and a replay) in system-out; clause ids stay properties."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from comprehend_contract.reports.writers import junit
from tests.reports.support import (
    FAILING_TEST,
    INCIDENTAL_TEST,
    SECRET,
    SESSION_TOKEN,
    SIGNATURE,
    sample_report,
)

SEED = "StopSentimentDetectionJob"


def _cases(xml: str, suite: str, operation: str = SEED) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    found = root.find(f"testsuite[@name='{operation}: {suite}']")
    assert found is not None
    return {
        (f"{case.get('classname')}::{case.get('name')}" if suite == "tests" else str(case.get("name"))): case
        for case in found.iter("testcase")
    }


def test_a_failed_test_carries_its_requests_responses_and_replays_in_system_out() -> None:
    xml = junit.write(sample_report())
    case = _cases(xml, "tests")[FAILING_TEST]
    assert [child.tag for child in case] == ["properties", "failure", "system-out"]
    assert [p.get("value") for p in case.iter("property") if p.get("name") == "clause"] == ["REQ-JOBID-PATTERN"]
    out = case.findtext("system-out") or ""
    assert out.startswith("=== REQ-JOBID-PATTERN: expected JobNotFoundException")
    assert out.count("--- request\nPOST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\n") == 2
    assert "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob" in out
    assert "Authorization: ***REDACTED***" in out
    assert '\n\n{"JobId": "x"}\n--- response\nHTTP/1.1 500\ncontent-type: text/html\n\n<html><script>' in out
    assert out.count("--- replay\ncurl -i --aws-sigv4 aws:amz:us-east-1:comprehend") == 2
    assert "curl --aws-sigv4 signs the request again" in out
    for secret in (SECRET, SESSION_TOKEN, SIGNATURE):
        assert secret not in xml


def test_a_failing_clause_carries_the_evidence_of_each_failing_test() -> None:
    cases = _cases(junit.write(sample_report()), "clauses")
    shape = cases["ERR-SHAPE"]
    assert [child.tag for child in shape] == ["properties", "failure", "system-out"]
    out = shape.findtext("system-out") or ""
    assert out.startswith(f"=== {INCIDENTAL_TEST}: error body is HTML")
    assert "--- request\nPOST / HTTP/1.1" in out
    assert cases["STOP-NOT-FOUND"].find("system-out") is None
    assert cases["AUTH-ISOLATION"].find("system-out") is None


def test_a_suite_of_tests_and_one_of_clauses_for_each_operation() -> None:
    xml = junit.write(sample_report())
    root = ET.fromstring(xml)
    tests, clauses, other_tests, other_clauses = root.findall("testsuite")
    assert (tests.get("name"), tests.get("tests"), tests.get("failures"), tests.get("skipped")) == (
        f"{SEED}: tests",
        "4",
        "1",
        "1",
    )
    assert (clauses.get("name"), clauses.get("failures")) == (f"{SEED}: clauses", "2")
    assert (other_tests.get("name"), other_tests.get("tests")) == ("StopEventsDetectionJob: tests", "1")
    assert (other_clauses.get("name"), other_clauses.get("failures")) == ("StopEventsDetectionJob: clauses", "0")
    verdicts = {c.get("name"): c.find("properties/property[@name='verdict']") for c in other_clauses.iter("testcase")}
    assert verdicts["STOP-NOT-FOUND"].get("value") == "PASS"  # type: ignore[union-attr]
    passing = _cases(xml, "tests")["contract_tests/test_a.py::test_ok"]
    assert [child.tag for child in passing] == ["properties"]
    incidental = _cases(xml, "tests")[INCIDENTAL_TEST]
    assert [child.tag for child in incidental] == ["properties", "system-out"], "a passing test's failing check"
    levels = {c.get("name"): c.find("properties/property[@name='level']") for c in clauses.iter("testcase")}
    assert levels["REQ-JOBID-PATTERN"] is not None


def test_a_failed_test_whose_evidence_the_report_left_out_says_so() -> None:
    report = sample_report()
    for clause in report["clauses"]:
        clause["evidence"] = []
    case = _cases(junit.write(report), "tests")[FAILING_TEST]
    assert (case.findtext("system-out") or "").startswith("No evidence of this test is in report.json")
    assert _cases(junit.write(report), "tests")[INCIDENTAL_TEST].find("system-out") is None


def test_characters_xml_cannot_carry_do_not_break_the_file() -> None:
    report = sample_report()
    for clause in report["clauses"]:
        for evidence in clause["evidence"]:
            for exchange in evidence["exchanges"]:
                exchange["body"] = "bad\x00byte\x1b[0m"
    out = _cases(junit.write(report), "tests")[FAILING_TEST].findtext("system-out") or ""
    assert "bad\ufffdbyte\ufffd[0m" in out
