"""Parity: one changed field of one answer is exactly one difference, named by test, exchange and field."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from comprehend_contract.snapshots import Comparison, Difference, Snapshot, compare, render_markdown
from comprehend_contract.spec import validator_for
from tests.snapshots.support import (
    CLAUSES,
    LIFECYCLE,
    MISSING_JOB_ID,
    MOTO,
    REFERENCE,
    UNKNOWN_HEX,
    body_of,
    mutated,
    recording,
    set_body,
)

RECORDED = recording(11)


def snapshot(run: dict[str, list[dict[str, Any]]], source: dict[str, Any] = REFERENCE, **options: Any) -> Snapshot:
    return Snapshot.from_exchanges(run, source, clauses=CLAUSES, **options)


def test_a_snapshot_compared_with_another_run_of_the_same_implementation_has_no_difference() -> None:
    comparison = compare(snapshot(RECORDED), snapshot(recording(12, polls=3, transient=True)))
    assert comparison.differences == ()
    assert comparison.score == 1.0
    assert len(comparison.identical) == len(RECORDED)


def _status_404(exchange: dict[str, Any]) -> None:
    exchange["status"] = 404


def _code(exchange: dict[str, Any]) -> None:
    set_body(exchange, {**body_of(exchange), "__type": "ResourceNotFoundException"})


def _namespace(exchange: dict[str, Any]) -> None:
    set_body(exchange, {**body_of(exchange), "__type": "com.amazonaws.comprehend#JobNotFoundException"})


def _submit_time_iso(exchange: dict[str, Any]) -> None:
    body = body_of(exchange)
    body["SentimentDetectionJobProperties"]["SubmitTime"] = "2026-11-29T04:14:43.987046+00:00"
    set_body(exchange, body)


def _job_status(exchange: dict[str, Any]) -> None:
    set_body(exchange, {**body_of(exchange), "JobStatus": "STOPPED"})


def _extra_member(exchange: dict[str, Any]) -> None:
    set_body(exchange, {**body_of(exchange), "Reason": "none"})


def _content_type(exchange: dict[str, Any]) -> None:
    exchange["headers"]["content-type"] = "application/json"


def _no_request_id(exchange: dict[str, Any]) -> None:
    del exchange["headers"]["x-amzn-requestid"]


def _message(exchange: dict[str, Any]) -> None:
    set_body(exchange, {**body_of(exchange), "Message": "The specified job was not found."})


MUTATIONS: list[tuple[str, str, int, Callable[[dict[str, Any]], None], str, str]] = [
    # (name, test, index of the exchange changed (in the recording and in the snapshot alike), change, field, message)
    (
        "status",
        UNKNOWN_HEX,
        0,
        _status_404,
        "status",
        "the recorded implementation answered 400 JobNotFoundException, this one 404 JobNotFoundException",
    ),
    (
        "error code",
        UNKNOWN_HEX,
        0,
        _code,
        "error_code",
        "the recorded implementation answered 400 JobNotFoundException, this one 400 ResourceNotFoundException",
    ),
    (
        "namespace",
        UNKNOWN_HEX,
        0,
        _namespace,
        "body.__type",
        'response member __type: recorded `"JobNotFoundException"`, '
        'now `"com.amazonaws.comprehend#JobNotFoundException"`',
    ),
    (
        "member type",
        LIFECYCLE,
        4,
        _submit_time_iso,
        "body.SentimentDetectionJobProperties.SubmitTime",
        "response member SentimentDetectionJobProperties.SubmitTime: recorded `<timestamp:number>`, "
        "now `<timestamp:string>`",
    ),
    (
        "member value",
        LIFECYCLE,
        3,
        _job_status,
        "body.JobStatus",
        'response member JobStatus: recorded `"STOP_REQUESTED"`, now `"STOPPED"`',
    ),
    (
        "added member",
        LIFECYCLE,
        0,
        _extra_member,
        "body.Reason",
        'response member Reason: absent in the recorded answer, now `"none"`',
    ),
    (
        "header",
        UNKNOWN_HEX,
        0,
        _content_type,
        "headers.content-type",
        'header Content-Type: recorded `"application/x-amz-json-1.1"`, now `"application/json"`',
    ),
    (
        "request id",
        UNKNOWN_HEX,
        0,
        _no_request_id,
        "headers.x-amzn-requestid",
        "header x-amzn-RequestId: recorded `<request-id>`, now absent",
    ),
    (
        "message",
        UNKNOWN_HEX,
        0,
        _message,
        "body.Message",
        "response member Message: recorded `\"Could not find job with id '<job-1>' in this account.\"`, "
        'now `"The specified job was not found."`',
    ),
]


@pytest.mark.parametrize(
    ("test", "index", "change", "field", "message"),
    [pytest.param(*rest, id=name) for name, *rest in MUTATIONS],
)
def test_one_changed_field_of_one_answer_is_exactly_one_difference(
    test: str, index: int, change: Callable[[dict[str, Any]], None], field: str, message: str
) -> None:
    current = mutated(RECORDED, test, index, change)
    differences = list(compare(snapshot(RECORDED), snapshot(current)).differences)
    assert len(differences) == 1, [d.message for d in differences]
    (difference,) = differences
    exchange = index - 1 if test == LIFECYCLE and index > 1 else index  # its two Describes of a running job are one
    assert (difference.test, difference.exchange, difference.field) == (test, exchange, field)
    assert difference.message == message


def test_a_job_id_of_another_form_is_one_difference_where_it_first_appears() -> None:
    """Every later request, ARN and message repeats it as `<job-1>`: the form is judged once."""
    old, new = body_of(RECORDED[LIFECYCLE][0])["JobId"], "57c5ff67-215a-499a-aa80-40f4d94e42f1"
    current = json.loads(json.dumps(RECORDED).replace(old, new))
    (difference,) = list(compare(snapshot(RECORDED), snapshot(current)).differences)
    assert (difference.test, difference.exchange, difference.field) == (LIFECYCLE, 0, "new_job_ids.<job-1>")
    assert difference.message == (
        "job id `<job-1>` (first seen in this exchange): recorded 32 hex digits, now UUID (36 characters)"
    )


def test_an_exchange_only_one_side_made_is_one_difference_each() -> None:
    current = snapshot(RECORDED)
    fewer = {**current.tests, LIFECYCLE: current.tests[LIFECYCLE][:-1]}
    differences = list(compare(current, Snapshot(REFERENCE, fewer, current.clauses)).differences)
    assert [(d.test, d.exchange, d.current_exchange, d.field) for d in differences] == [
        (LIFECYCLE, 3, None, "exchange")
    ]
    assert differences[0].message.startswith("recorded but not made now: DescribeSentimentDetectionJob (raw)")
    assert "(recorded 4 exchange(s), now 3)" in differences[0].message
    more = {**current.tests, LIFECYCLE: (*current.tests[LIFECYCLE], current.tests[LIFECYCLE][-1])}
    (extra,) = list(compare(current, Snapshot(REFERENCE, more, current.clauses)).differences)
    assert (extra.exchange, extra.current_exchange, extra.field) == (None, 4, "exchange")
    assert extra.message.startswith("made now but not recorded: ")


def test_tests_only_one_side_ran_are_differences_unless_the_run_did_not_select_them() -> None:
    recorded = snapshot(RECORDED)
    current = snapshot({test: RECORDED[test] for test in RECORDED if test != UNKNOWN_HEX})
    (missing,) = list(compare(recorded, current).differences)
    assert (missing.test, missing.field, missing.exchange) == (UNKNOWN_HEX, "test", None)
    assert missing.message.startswith("not run now: ")

    (new,) = list(compare(current, recorded).differences)
    assert new.message.startswith("not recorded: ")

    by_selection = compare(recorded, current, selected=set(current.tests))
    assert by_selection.differences == ()
    assert by_selection.not_compared == (UNKNOWN_HEX,)
    assert by_selection.score == 1.0

    selected_clauses = snapshot(
        {test: RECORDED[test] for test in RECORDED if "STOP-NOT-FOUND" in CLAUSES[test]}, selection=["STOP-NOT-FOUND"]
    )
    by_clause = compare(recorded, selected_clauses)
    assert by_clause.differences == ()
    assert set(by_clause.not_compared) == {test for test in RECORDED if "STOP-NOT-FOUND" not in CLAUSES[test]}
    assert len(by_clause.compared) == 2


def test_the_score_is_identical_tests_over_compared_tests() -> None:
    current = mutated(RECORDED, UNKNOWN_HEX, 0, _status_404)
    comparison = compare(snapshot(RECORDED), snapshot(current))
    assert comparison.differing == (UNKNOWN_HEX,)
    assert comparison.score == pytest.approx((len(RECORDED) - 1) / len(RECORDED))


def test_moto_against_the_reference_names_codes_id_forms_timestamps_and_html_pages() -> None:
    comparison = compare(snapshot(RECORDED), snapshot(recording(13, moto=True), MOTO))
    messages = {(d.test, d.field): d.message for d in comparison.differences}
    assert messages[(UNKNOWN_HEX, "error_code")] == (
        "the recorded implementation answered 400 JobNotFoundException, this one 400 ResourceNotFoundException"
    )
    assert messages[(LIFECYCLE, "new_job_ids.<job-1>")].endswith("recorded 32 hex digits, now UUID (36 characters)")
    assert messages[(LIFECYCLE, "body.SentimentDetectionJobProperties.SubmitTime")] == (
        "response member SentimentDetectionJobProperties.SubmitTime: recorded `<timestamp:number>`, "
        "now `<timestamp:string>`"
    )
    assert messages[(LIFECYCLE, "body.SentimentDetectionJobProperties.EndTime")].endswith(
        "absent in the recorded answer, now `null`"
    )
    assert messages[(MISSING_JOB_ID, "status")] == (
        "the recorded implementation answered 400 ValidationException, "
        "this one 500 with a body that is not JSON (text/html; charset=utf-8)"
    )
    assert comparison.score == 0.0


def test_a_comparison_is_json_the_schema_accepts_and_reads_back() -> None:
    comparison = compare(snapshot(RECORDED), snapshot(recording(13, moto=True), MOTO))
    document = json.loads(json.dumps(comparison.to_dict()))
    parity = {"$ref": "https://comprehend-contract.example/schemas/snapshot.json#/$defs/Parity"}
    validator = validator_for("snapshot")
    assert list(validator.evolve(schema=parity).iter_errors(document)) == []
    again = Comparison.from_dict(document)
    assert again.differences == comparison.differences
    assert again.score == comparison.score
    absent = next(d for d in again.differences if d.field == "headers.x-amzn-requestid")
    assert absent.to_dict()["absent"] == "current"


def test_markdown_groups_differences_by_clause_then_test_and_shows_html_as_text() -> None:
    comparison = compare(snapshot(RECORDED), snapshot(recording(13, moto=True), MOTO))
    text = render_markdown(comparison)
    assert text.startswith("# Parity of moto (moto 5.2.5, kit 0.1.0) with the snapshot of reference")
    assert "## STOP-NOT-FOUND\n\n### `" + UNKNOWN_HEX + "`\n" in text
    assert "## LIFE-DESCRIBE-SCHEMA, PROTO-TIMESTAMPS\n" in text
    assert text.index("## REQ-JOBID-REQUIRED") < text.index("## STOP-NOT-FOUND")
    outside_code = re.sub(r"`` .*? ``|`[^`]*`", "", text)
    assert re.search(r"(?<!\\)<", outside_code) is None, "raw HTML outside code spans"
    assert '`"<!doctype html>' in text
    assert "- exchange #1: the recorded implementation answered 400 JobNotFoundException" in text
    capped = render_markdown(comparison, max_per_test=1)
    assert "more difference(s)" in capped
    regrouped = render_markdown(comparison, {UNKNOWN_HEX: ["STOP-NOT-FOUND"]}, heading_level=2)
    assert regrouped.startswith("## Parity of moto")
    assert "### STOP-NOT-FOUND\n" in regrouped
    assert "### (tests without a known clause)\n" in regrouped


def test_markdown_of_identical_snapshots_says_so() -> None:
    text = render_markdown(compare(snapshot(RECORDED), snapshot(RECORDED)))
    assert f"Parity: {len(RECORDED)}/{len(RECORDED)} tests answer identically (100%)" in text


def test_difference_is_a_value() -> None:
    one = Difference("t", 0, "status", 400, 404, "m", current_exchange=0)
    assert Difference.from_dict(one.to_dict()) == one
