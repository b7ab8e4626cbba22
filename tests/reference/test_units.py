"""Unit tests of the reference's parts: validation messages, sentiment mapping, pacing, the job table."""

from __future__ import annotations

import math

import pytest

from comprehend_contract.reference.analysis.sentiment import analyse
from comprehend_contract.reference.errors import AwsError
from comprehend_contract.reference.jobs import IllegalTransition, Job, JobTable
from comprehend_contract.reference.pacing import Pace, PaceError
from comprehend_contract.reference.validation import validate_request
from comprehend_contract.spec.family import family
from comprehend_contract.spec.lifecycle import JobStatus


def rejection(operation: str, body: object) -> AwsError:
    with pytest.raises(AwsError) as caught:
        validate_request(operation, body)
    return caught.value


def test_several_violations_are_counted_and_joined() -> None:
    error = rejection(
        "StartSentimentDetectionJob",
        {
            "InputDataConfig": {"S3Uri": "http://not-s3"},
            "OutputDataConfig": {"S3Uri": "s3://bucket/out"},
            "DataAccessRoleArn": "arn:aws:iam::111111111111:role/x",
            "LanguageCode": "xx",
        },
    )
    assert error.code == "ValidationException"
    assert error.message.startswith("2 validation errors detected: ")
    assert "Value 'http://not-s3' at 'inputDataConfig.s3Uri' failed to satisfy constraint" in error.message
    assert "Value 'xx' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set: [en," in (
        error.message
    )


def test_list_items_are_named_aws_style() -> None:
    error = rejection(
        "StartSentimentDetectionJob",
        {
            "InputDataConfig": {"S3Uri": "s3://bucket/in"},
            "OutputDataConfig": {"S3Uri": "s3://bucket/out"},
            "DataAccessRoleArn": "arn:aws:iam::111111111111:role/x",
            "LanguageCode": "en",
            "Tags": [{"Key": "k"}, {"Value": "v"}],
        },
    )
    assert "Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null" in error.message


def test_max_results_bound_reads_as_a_value_constraint() -> None:
    error = rejection("ListSentimentDetectionJobs", {"MaxResults": 501})
    assert (
        "Value '501' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 500"
        in (error.message)
    )


@pytest.mark.parametrize(("body", "kind"), [([], "an array"), ("x", "a string"), (None, "null")])
def test_non_object_body_is_a_serialization_error(body: object, kind: str) -> None:
    error = rejection("StopSentimentDetectionJob", body)
    assert error.code == "SerializationException"
    assert kind in error.message


def test_valid_request_passes() -> None:
    validate_request("StopSentimentDetectionJob", {"JobId": "日本語"})


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("I love this, it is wonderful!", "POSITIVE"),
        ("This is awful, broken and a waste of money.", "NEGATIVE"),
        ("The box is on the table.", "NEUTRAL"),
        ("The food was excellent but the service was horrible and rude.", "MIXED"),
        ("Great value but awful support.", "MIXED"),
        ("", "NEUTRAL"),
    ],
)
def test_sentiment_classes_and_scores(text: str, sentiment: str) -> None:
    result = analyse(text)
    assert result.sentiment == sentiment
    scores = result.scores()
    assert math.isclose(sum(scores.values()), 1.0, abs_tol=1e-5)
    assert all(0.0 <= score <= 1.0 for score in scores.values())
    assert max(scores, key=lambda name: scores[name]).upper() == sentiment


def test_pace_presets_scale_and_refuse_nonsense() -> None:
    fast = Pace.preset("fast")
    assert fast.lifetime(3) < 1.0
    assert fast.lifetime(300) > 1.0
    aws = Pace.preset("aws-like")
    assert 300 <= aws.lifetime(3) <= 600
    assert math.isclose(Pace.preset("aws-like", 0.01).lifetime(3), aws.lifetime(3) * 0.01)
    for bad in (0, -1, math.inf, math.nan):
        with pytest.raises(PaceError):
            Pace.preset("fast", bad)
    with pytest.raises(PaceError, match="unknown pace 'slow'"):
        Pace.preset("slow")
    with pytest.raises(PaceError, match="submitted_seconds"):
        Pace(-1, 0, 0, 0)


def _job(table: JobTable) -> Job:
    return Job("a" * 32, "111111111111", family().seed, "arn", table.next_sequence(), table.now(), {}, "s3://b/k")


def test_job_table_refuses_illegal_transitions() -> None:
    table = JobTable()
    job = _job(table)
    table.move(job, JobStatus.IN_PROGRESS)
    table.move(job, JobStatus.COMPLETED)
    with pytest.raises(IllegalTransition):
        table.move(job, JobStatus.IN_PROGRESS)
    assert job.end_time is not None
    assert job.history == [JobStatus.SUBMITTED, JobStatus.IN_PROGRESS, JobStatus.COMPLETED]


def test_stop_answers_by_state() -> None:
    table = JobTable()
    job = _job(table)
    assert table.request_stop(job) is JobStatus.STOP_REQUESTED
    assert job.wake.is_set()
    assert table.request_stop(job) is JobStatus.STOP_REQUESTED
    table.move(job, JobStatus.STOPPED)
    assert table.request_stop(job) is JobStatus.STOPPED
    finished = _job(table)
    table.move(finished, JobStatus.FAILED)
    assert table.request_stop(finished) is None
    assert finished.status is JobStatus.FAILED
