"""The validator factory: Unicode-correct patterns, one compiled validator per schema, no remote refs."""

from __future__ import annotations

import pytest

from comprehend_contract.spec import TimestampForm, UnknownSchema, validator_for

STOP_REQUEST = "StopSentimentDetectionJob.request"

ACCEPTED_JOB_IDS = [
    "abc",
    "日本語",
    "٣٤",
    "a b",
    "x" * 32,
    "a_b.c:d/e=f+g-h%i@j",
    "\U0001d400" * 32,
    "日" * 32,
    "\u3000",
]
REJECTED_JOB_IDS = ["", "x" * 33, "a#b", "a\tb", "😀", "a,b", 5, None, "abc\n", "日" * 33, True, ["a"], {"a": 1}]


@pytest.mark.parametrize("job_id", ACCEPTED_JOB_IDS, ids=repr)
def test_stop_request_accepts_job_id(job_id: str) -> None:
    """'Pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-%@]*)$' with its Unicode meaning; length in code points."""
    errors = [error.message for error in validator_for(STOP_REQUEST).iter_errors({"JobId": job_id})]
    assert errors == []


@pytest.mark.parametrize("job_id", REJECTED_JOB_IDS, ids=repr)
def test_stop_request_rejects_job_id(job_id: object) -> None:
    assert not validator_for(STOP_REQUEST).is_valid({"JobId": job_id})


def test_stop_request_requires_job_id() -> None:
    errors = list(validator_for(STOP_REQUEST).iter_errors({}))
    assert [error.validator for error in errors] == ["required"]


def test_validator_is_built_once_and_reused() -> None:
    assert validator_for(STOP_REQUEST) is validator_for(STOP_REQUEST)


def test_unknown_schema_name_names_the_known_ones() -> None:
    with pytest.raises(UnknownSchema, match=r"known schemas: .*StopSentimentDetectionJob\.request"):
        validator_for("StopSentimentDetectionJob.requests")


DESCRIBE = {
    "SentimentDetectionJobProperties": {
        "JobId": "0123456789abcdef0123456789abcdef",
        "JobStatus": "COMPLETED",
        "SubmitTime": 1700000000.5,
        "EndTime": "2023-11-14T22:13:20.500Z",
    }
}


def test_wire_timestamps_must_be_numbers() -> None:
    """PROTO-TIMESTAMPS: the wire form is epoch seconds as a JSON number."""
    errors = list(validator_for("DescribeSentimentDetectionJob.response").iter_errors(DESCRIBE))
    assert [list(error.absolute_path) for error in errors] == [["SentimentDetectionJobProperties", "EndTime"]]


def test_lenient_timestamps_accept_iso_strings_but_not_garbage() -> None:
    lenient = validator_for("DescribeSentimentDetectionJob.response", TimestampForm.LENIENT)
    assert lenient.is_valid(DESCRIBE)
    garbage = {"SentimentDetectionJobProperties": {**DESCRIBE["SentimentDetectionJobProperties"], "EndTime": "soon"}}
    assert not lenient.is_valid(garbage)


def test_lenient_form_changes_only_timestamps() -> None:
    lenient = validator_for("DescribeSentimentDetectionJob.response", TimestampForm.LENIENT)
    bad_id = {"SentimentDetectionJobProperties": {"JobId": "a#b", "SubmitTime": 1.0}}
    assert not lenient.is_valid(bad_id)


@pytest.mark.parametrize(
    ("record", "valid"),
    [
        (
            {
                "File": "in.txt",
                "Line": 0,
                "Sentiment": "POSITIVE",
                "SentimentScore": {"Positive": 0.9, "Negative": 0.0, "Neutral": 0.1, "Mixed": 0.0},
            },
            True,
        ),
        ({"File": "doc.txt", "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "boom"}, True),
        ({"File": "in.txt", "Line": 0, "Sentiment": "POSITIVE"}, False),
        (
            {
                "File": "in.txt",
                "Sentiment": "HAPPY",
                "SentimentScore": {"Positive": 0.9, "Negative": 0.0, "Neutral": 0.1, "Mixed": 0.0},
            },
            False,
        ),
        (
            {
                "File": "in.txt",
                "Line": -1,
                "Sentiment": "NEUTRAL",
                "SentimentScore": {"Positive": 0.1, "Negative": 0.0, "Neutral": 0.9, "Mixed": 0.0},
            },
            False,
        ),
        (
            {
                "File": "in.txt",
                "Sentiment": "NEUTRAL",
                "SentimentScore": {"Positive": 0.1, "Negative": 0.0, "Neutral": 0.9, "Mixed": 0.0},
                "ErrorCode": "X",
                "ErrorMessage": "both at once",
            },
            False,
        ),
    ],
)
def test_output_record_schema(record: dict[str, object], valid: bool) -> None:
    """LIFE-OUTPUT-RECORD: a sentiment record or an error record, never a mix."""
    assert validator_for("sentiment-output-record").is_valid(record) is valid


@pytest.mark.parametrize(
    ("body", "valid"),
    [
        ({"__type": "JobNotFoundException", "message": "no such job"}, True),
        (
            {
                "__type": "com.amazonaws.comprehend#InvalidRequestException",
                "Message": "x",
                "Reason": "INVALID_DOCUMENT",
            },
            True,
        ),
        ({"message": "no type"}, False),
        ({"__type": "JobNotFoundException"}, False),
        ({"__type": "JobNotFoundException", "message": 5}, False),
        ({"__type": "", "message": "empty type"}, False),
    ],
)
def test_error_schema(body: dict[str, object], valid: bool) -> None:
    """ERR-SHAPE: '__type' names the error and a string message is present."""
    assert validator_for("error").is_valid(body) is valid
