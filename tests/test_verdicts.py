"""Folding test outcomes and clause checks into clause verdicts."""

from __future__ import annotations

import pytest

from comprehend_contract.spec import Level, catalogue
from comprehend_contract.verdicts import (
    EXPECTED,
    CheckResult,
    ClauseCheck,
    RecordFormatError,
    TestRecord,
    Verdict,
    VerdictBook,
    expected_reasons,
)


def book(*outcomes: TestRecord) -> dict[str, Verdict]:
    verdicts = VerdictBook(catalogue())
    for outcome in outcomes:
        verdicts.record(outcome)
    return {v.clause.id: v.verdict for v in verdicts.verdicts()}


def test_any_failure_fails_the_clause_even_beside_passes() -> None:
    verdicts = book(
        TestRecord("t1", ("STOP-NOT-FOUND",), "passed"),
        TestRecord("t2", ("STOP-NOT-FOUND",), "failed", "boom"),
    )
    assert verdicts["STOP-NOT-FOUND"] is Verdict.FAIL


def test_skips_alone_are_not_exercised_never_pass() -> None:
    verdicts = book(TestRecord("t1", ("AUTH-ISOLATION",), "skipped", "not exercised: no second account"))
    assert verdicts["AUTH-ISOLATION"] is Verdict.NOT_EXERCISED


def test_clause_with_only_not_exercised_checks_in_a_passing_test_is_not_exercised() -> None:
    check = ClauseCheck("STOP-SUBMITTED", CheckResult.NOT_EXERCISED, "job never SUBMITTED when stopped")
    verdicts = book(TestRecord("t1", ("STOP-SUBMITTED",), "passed", checks=(check,)))
    assert verdicts["STOP-SUBMITTED"] is Verdict.NOT_EXERCISED


def test_unattributed_failure_fails_every_clause_of_the_test() -> None:
    verdicts = book(TestRecord("t1", ("STOP-COMPLETED", "STOP-FAILED"), "failed", "KeyError"))
    assert verdicts["STOP-COMPLETED"] is Verdict.FAIL
    assert verdicts["STOP-FAILED"] is Verdict.FAIL


def test_scores_count_by_level() -> None:
    verdicts = VerdictBook(catalogue())
    verdicts.record(TestRecord("t1", ("STOP-NOT-FOUND",), "passed"))
    verdicts.record(TestRecord("t2", ("PROTO-TIMESTAMPS",), "failed", "string"))
    scores = verdicts.scores()
    assert scores[Level.MUST][0] == 1
    assert scores[Level.SHOULD][1] == 1
    assert sum(scores[Level.MUST]) + sum(scores[Level.SHOULD]) == len(catalogue())


def test_a_test_record_survives_its_journey_between_processes() -> None:
    """The one record a worker sends the controller: every field, typed, through versioned JSON."""
    exchange = {"operation": "StopSentimentDetectionJob", "status": 500, "body": "x", "headers": {}}
    record = TestRecord(
        "contract_tests/test_a.py::test_b[x]",
        ("STOP-NOT-FOUND", "ERR-SHAPE"),
        "failed",
        "boom",
        checks=(ClauseCheck("ERR-SHAPE", CheckResult.FAIL, "no __type", exchange),),
        attributed=True,
        exchanges=(exchange,),
        duration=0.25,
        incomplete=False,
        retries=("attempt 1: HTTP 503",),
        snapshot=({"operation": "StopSentimentDetectionJob"},),
    )
    assert TestRecord.from_json(record.to_json()) == record


def test_a_record_of_another_format_is_refused_by_name() -> None:
    with pytest.raises(RecordFormatError, match="comprehend-contract-test-record/0"):
        TestRecord.from_json('{"format": "comprehend-contract-test-record/0"}')
    with pytest.raises(RecordFormatError, match="not a test record"):
        TestRecord.from_json("{nope")


def test_an_expected_failure_of_two_clauses_gives_each_clause_its_own_reason() -> None:
    """An xfailed test of two clauses: each clause's cell says its own expectation's reason, not the first one's."""
    reasons = {"REQ-JOBID-PATTERN": "rejects CJK; also ASCII", "REQ-JOBID-LENGTH": "33 accepted"}
    message = EXPECTED + expected_reasons(reasons)  # as the plugin writes it
    record = TestRecord("t1", ("REQ-JOBID-PATTERN", "REQ-JOBID-LENGTH"), "xfailed", message, "StopX")
    verdicts = VerdictBook(catalogue())
    verdicts.record(record)
    reasons = {v.clause.id: v.reason for v in verdicts.verdicts()}
    assert reasons["REQ-JOBID-LENGTH"] == "expected to fail: REQ-JOBID-LENGTH: 33 accepted"
    assert reasons["REQ-JOBID-PATTERN"] == "expected to fail: REQ-JOBID-PATTERN: rejects CJK; also ASCII"
