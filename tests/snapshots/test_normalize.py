"""Normalization: two runs against one implementation give one snapshot, and what differs between them is gone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from comprehend_contract.snapshots import Snapshot, normalize_test
from comprehend_contract.snapshots.normalize import TEXT_LIMIT
from tests.snapshots.support import (
    CLAUSES,
    EXPIRED,
    FAULT,
    LIFECYCLE,
    MISSING_JOB_ID,
    ORDINARY,
    REFERENCE,
    REFUSED_START,
    UNKNOWN_HEX,
    UNKNOWN_WORDS,
    Recorder,
    recording,
)


def snapshot(run: dict[str, list[dict[str, Any]]]) -> Snapshot:
    return Snapshot.from_exchanges(run, REFERENCE, clauses=CLAUSES)


@pytest.mark.parametrize("moto", [False, True], ids=["reference-style", "moto-style"])
def test_two_recordings_that_differ_only_in_volatile_values_give_the_same_snapshot(moto: bool) -> None:
    """Ids, times, request ids, bucket, run id, worker, counters, tokens, polls and retried throttles all differ."""
    first = recording(1, moto=moto, polls=1)
    second = recording(2, moto=moto, polls=4, transient=True)
    assert json.dumps(first) != json.dumps(second)
    assert snapshot(first).dumps() == snapshot(second).dumps()


def test_a_snapshot_keeps_nothing_of_the_run() -> None:
    recorder = Recorder(7)
    text = snapshot(recorder.run()).dumps()
    for volatile in (recorder.run_id, recorder.bucket, recorder.account, f"/{recorder.worker}/", "Signature=", "AKIA"):
        assert volatile not in text


def test_job_ids_are_numbered_in_order_of_first_appearance_and_arns_keep_their_shape() -> None:
    entries = normalize_test(recording(3)[LIFECYCLE])
    start, describe = entries[0], entries[1]
    assert start["body"] == {
        "JobArn": "arn:aws:comprehend:us-east-1:<account>:sentiment-detection-job/<job-1>",
        "JobId": "<job-1>",
        "JobStatus": "SUBMITTED",
    }
    assert start["new_job_ids"] == {"<job-1>": "32 hex digits"}
    assert "new_job_ids" not in describe
    properties = describe["body"]["SentimentDetectionJobProperties"]
    assert properties["SubmitTime"] == "<timestamp:number>"
    assert properties["DataAccessRoleArn"] == "arn:aws:iam::<account>:role/<role>"
    assert properties["InputDataConfig"]["S3Uri"] == "s3://<bucket>/<run>/in-progress-1-<n>/"
    assert properties["OutputDataConfig"]["S3Uri"] == "s3://<bucket>/<run>/in-progress-1-<n>-output/"
    assert properties["JobName"] == "cc-<run>-in-progress-1"
    assert start["request"]["ClientRequestToken"] == "<token-1>"
    assert start["request_headers"] == {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "Comprehend_20171127.StartSentimentDetectionJob",
    }


def test_timestamps_keep_their_json_type_visible() -> None:
    moto = normalize_test(recording(3, moto=True)[LIFECYCLE])
    properties = moto[1]["body"]["SentimentDetectionJobProperties"]
    assert properties["SubmitTime"] == "<timestamp:string>"
    assert properties["EndTime"] is None
    assert moto[0]["new_job_ids"] == {"<job-1>": "UUID (36 characters)"}


def test_polls_are_recorded_once_per_answer() -> None:
    """A Describe repeated with the same answer is one entry: a running job is SUBMITTED or IN_PROGRESS as timing
    has it, so a read shows either as one placeholder; a change of state (a Stop) is a new entry."""
    entries = normalize_test(recording(3, polls=5)[LIFECYCLE])
    statuses = [
        (e["operation"], e["body"].get("JobStatus") or e["body"]["SentimentDetectionJobProperties"]["JobStatus"])
        for e in entries
    ]
    assert statuses == [
        ("StartSentimentDetectionJob", "SUBMITTED"),
        ("DescribeSentimentDetectionJob", "<SUBMITTED|IN_PROGRESS>"),
        ("StopSentimentDetectionJob", "STOP_REQUESTED"),
        ("DescribeSentimentDetectionJob", "STOP_REQUESTED"),
    ]


def test_transient_answers_and_retry_notes_are_dropped() -> None:
    entries = normalize_test(recording(3, transient=True)[FAULT])
    assert [e["status"] for e in entries] == [500, 400]
    assert all("retries" not in e and "transient" not in e for e in entries)


def test_error_answers_keep_code_raw_type_message_and_the_headers_that_matter() -> None:
    run = recording(4)
    unknown = normalize_test(run[UNKNOWN_HEX])[0]
    assert unknown["error_code"] == "JobNotFoundException"
    assert unknown["body"] == {
        "Message": "Could not find job with id '<job-1>' in this account.",
        "__type": "JobNotFoundException",
    }
    assert unknown["headers"] == {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-errortype": "JobNotFoundException",
        "x-amzn-requestid": "<request-id>",
    }
    missing = normalize_test(run[MISSING_JOB_ID])[0]
    assert missing["error_code"] == "ValidationException"
    assert missing["body"]["__type"] == "com.amazon.coral.validate#ValidationException"


def test_ids_the_suite_chose_are_kept_and_random_ones_replaced() -> None:
    run = recording(5)
    assert normalize_test(run[UNKNOWN_WORDS])[0]["request"] == {"JobId": "job-that-never-was"}
    assert normalize_test(run[EXPIRED])[0]["request"] == {"JobId": "x" * 32}
    fault = normalize_test(run[FAULT])
    assert fault[0]["request"] == {"JobId": "<job-1>"}
    assert fault[0]["new_job_ids"] == {"<job-1>": "'cc-fault-500-' + 19 hex digits"}
    ordinary = normalize_test(run[ORDINARY])
    assert ordinary[1]["request"] == {"JobId": "a#b"}


def test_generated_names_and_messages_are_normalized_like_members() -> None:
    run = recording(6)
    refused = normalize_test(run[REFUSED_START])
    assert refused[0]["request"]["JobName"] == "cc-<run>-refused-<hex-1>"
    assert refused[0]["refusal"] == "unsigned"
    assert refused[1]["request"] == {"Filter": {"JobName": "cc-<run>-refused-<hex-1>"}}
    expired = normalize_test(run[EXPIRED])[0]["body"]["message"]
    assert expired == (
        "Signature expired: <timestamp> is now earlier than <timestamp> (<timestamp> - 15 min.) "
        "at <endpoint>; string to sign hash <hash>"
    )


def test_an_unfiltered_list_records_no_jobs_of_the_run() -> None:
    """Which jobs it shows depends on what else the run did (and in which process), not on the target."""
    listing = normalize_test(recording(8)[ORDINARY])[-1]
    assert listing["body"] == {"SentimentDetectionJobPropertiesList": "<array>"}
    assert "new_job_ids" not in listing


def test_a_body_that_is_not_json_is_kept_as_text_and_cut() -> None:
    moto = normalize_test(recording(3, moto=True)[MISSING_JOB_ID])[0]
    assert "body" not in moto
    assert moto["text"].startswith("<!doctype html>")
    assert moto["error_code"] is None
    assert "x-amzn-requestid" not in moto["headers"]
    long = dict(recording(3, moto=True)[MISSING_JOB_ID][0], body="x" * (TEXT_LIMIT + 50))
    assert normalize_test([long])[0]["text"] == "x" * TEXT_LIMIT + "... (50 more characters)"


def test_a_raw_body_that_is_not_a_json_object_is_kept_as_sent() -> None:
    exchange = dict(recording(3)[UNKNOWN_WORDS][0], request='{"JobId": "abc"')
    assert normalize_test([exchange])[0]["request"] == '{"JobId": "abc"'
