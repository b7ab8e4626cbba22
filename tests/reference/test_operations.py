"""The reference's operations over boto3: lifecycle, output, stop in every state, list, isolation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from comprehend_contract.clients import Credentials, RawSender, comprehend_client, s3_client
from comprehend_contract.reference import Pace, ReferenceService, ServiceConfig
from comprehend_contract.spec import TimestampForm, validator_for
from comprehend_contract.spec.lifecycle import JobStatus
from tests.reference.support import ROLE, Jobs, lines, output_records


def error_code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


def test_small_job_completes_with_one_valid_record_per_line(jobs: Jobs, s3: Any) -> None:
    job_id = jobs.start({"docs.txt": "I love it\nI hate it\nIt is a table\n"})
    assert re.fullmatch(r"[0-9a-f]{32}", job_id)
    properties = jobs.wait_end(job_id)
    assert properties["JobStatus"] == "COMPLETED"
    assert properties["EndTime"] >= properties["SubmitTime"]
    assert properties["JobArn"] == f"arn:aws:comprehend:us-east-1:111111111111:sentiment-detection-job/{job_id}"
    uri = properties["OutputDataConfig"]["S3Uri"]
    assert uri.endswith(f"/out/111111111111-TS-{job_id}/output/output.tar.gz")
    records = output_records(s3, uri)
    assert sorted(r["Line"] for r in records) == [0, 1, 2]
    assert {r["File"] for r in records} == {"docs.txt"}
    assert [r["Sentiment"] for r in sorted(records, key=lambda r: r["Line"])] == ["POSITIVE", "NEGATIVE", "NEUTRAL"]
    for record in records:
        assert validator_for("sentiment-output-record").is_valid(record), record


def test_one_doc_per_file_reads_every_object_under_the_prefix(jobs: Jobs, s3: Any) -> None:
    job_id = jobs.start(
        {"a.txt": "Wonderful.", "sub/b.txt": "Dreadful.", "c.txt": "A chair."}, input_format="ONE_DOC_PER_FILE"
    )
    properties = jobs.wait_end(job_id)
    records = output_records(s3, properties["OutputDataConfig"]["S3Uri"])
    assert sorted(r["File"] for r in records) == ["a.txt", "c.txt", "sub/b.txt"]
    assert all("Line" not in r for r in records)


def test_oversized_and_undecodable_documents_get_error_records(jobs: Jobs, s3: Any) -> None:
    job_id = jobs.start({"x.txt": b"fine\n" + b"a" * 6000 + b"\n\xff\xfe\n"})
    records = output_records(s3, jobs.wait_end(job_id)["OutputDataConfig"]["S3Uri"])
    by_line = {r["Line"]: r for r in records}
    assert by_line[1]["ErrorCode"] == "DOCUMENT_SIZE_EXCEEDED"
    assert by_line[2]["ErrorCode"] == "UNSUPPORTED_ENCODING"
    assert all(validator_for("sentiment-output-record").is_valid(r) for r in records)


def test_job_without_input_objects_fails_with_code_and_text(jobs: Jobs) -> None:
    properties = jobs.wait_end(jobs.start(None))
    assert properties["JobStatus"] == "FAILED"
    assert re.fullmatch(r"NO_INPUT_DATA: .+", properties["Message"])
    assert properties["EndTime"] >= properties["SubmitTime"]


def test_job_with_unreadable_input_fails(jobs: Jobs) -> None:
    response = jobs.comprehend.start_sentiment_detection_job(
        InputDataConfig={"S3Uri": "s3://no-such-bucket-for-the-reference/x"},
        OutputDataConfig={"S3Uri": f"s3://{jobs.bucket}/out/"},
        DataAccessRoleArn="arn:aws:iam::111111111111:role/x",
        LanguageCode="en",
    )
    properties = jobs.wait_end(response["JobId"])
    assert properties["JobStatus"] == "FAILED"
    assert properties["Message"].startswith("NO_READ_ACCESS_TO_INPUT: ")


def test_start_describe_and_list_responses_conform_to_their_schemas(jobs: Jobs, raw: RawSender) -> None:
    """The reference checks itself against the same schemas the suite uses, on the raw JSON it sends."""
    start = raw.send(
        "StartSentimentDetectionJob",
        {
            "InputDataConfig": {"S3Uri": f"s3://{jobs.bucket}/{jobs.upload({'d.txt': 'ok'})}"},
            "OutputDataConfig": {"S3Uri": f"s3://{jobs.bucket}/out/"},
            "DataAccessRoleArn": "arn:aws:iam::111111111111:role/x",
            "LanguageCode": "en",
            "JobName": "schema-check",
        },
    )
    assert start.status == 200
    assert validator_for("StartSentimentDetectionJob.response").is_valid(start.json())
    job_id = start.json()["JobId"]
    jobs.wait_end(job_id)
    for operation, body in (
        ("DescribeSentimentDetectionJob", {"JobId": job_id}),
        ("ListSentimentDetectionJobs", {"Filter": {"JobName": "schema-check"}}),
    ):
        response = raw.send(operation, body)
        assert response.status == 200
        errors = [
            e.message for e in validator_for(f"{operation}.response", TimestampForm.WIRE).iter_errors(response.json())
        ]
        assert errors == []


def test_stop_in_progress_job_writes_partial_output_and_ends_stopped(jobs: Jobs, s3: Any) -> None:
    job_id = jobs.start({"many.txt": lines(400)})
    jobs.wait_for(job_id, lambda status: status == "IN_PROGRESS")
    stop = jobs.comprehend.stop_sentiment_detection_job(JobId=job_id)
    assert stop["JobStatus"] == "STOP_REQUESTED"
    assert stop["JobId"] == job_id
    assert jobs.comprehend.stop_sentiment_detection_job(JobId=job_id)["JobStatus"] == "STOP_REQUESTED"
    properties = jobs.wait_end(job_id)
    assert properties["JobStatus"] == "STOPPED"
    records = output_records(s3, properties["OutputDataConfig"]["S3Uri"])
    line_numbers = [r["Line"] for r in records]
    assert len(line_numbers) == len(set(line_numbers)) < 400
    assert all(0 <= n < 400 for n in line_numbers)
    assert jobs.comprehend.stop_sentiment_detection_job(JobId=job_id)["JobStatus"] == "STOPPED"


def test_stop_submitted_job_ends_stopped_with_empty_output(jobs: Jobs, s3: Any) -> None:
    job_id = jobs.start({"d.txt": "hello\n"})
    assert jobs.comprehend.stop_sentiment_detection_job(JobId=job_id)["JobStatus"] == "STOP_REQUESTED"
    properties = jobs.wait_end(job_id)
    assert properties["JobStatus"] == "STOPPED"
    assert output_records(s3, properties["OutputDataConfig"]["S3Uri"]) == []


@pytest.mark.parametrize("end_state", ["COMPLETED", "FAILED"])
def test_stop_on_ended_job_is_invalid_request_and_changes_nothing(jobs: Jobs, end_state: str) -> None:
    job_id = jobs.start({"d.txt": "fine\n"} if end_state == "COMPLETED" else None)
    before = jobs.wait_end(job_id)
    assert before["JobStatus"] == end_state
    with pytest.raises(ClientError) as caught:
        jobs.comprehend.stop_sentiment_detection_job(JobId=job_id)
    assert error_code(caught.value) == "InvalidRequestException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert jobs.describe(job_id) == before


@pytest.mark.parametrize("job_id", ["0" * 32, "日本語", "a", "x" * 32])
def test_stop_on_unknown_well_formed_id_is_job_not_found(comprehend: Any, job_id: str) -> None:
    with pytest.raises(ClientError) as caught:
        comprehend.stop_sentiment_detection_job(JobId=job_id)
    assert error_code(caught.value) == "JobNotFoundException"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Value null at 'jobId' failed to satisfy constraint: Member must not be null"),
        (
            {"JobId": ""},
            "Value '' at 'jobId' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ),
        (
            {"JobId": "x" * 33},
            "at 'jobId' failed to satisfy constraint: Member must have length less than or equal to 32",
        ),
        (
            {"JobId": "a#b"},
            "Value 'a#b' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern",
        ),
    ],
)
def test_invalid_job_id_gets_validation_exception_in_aws_form(
    comprehend: Any, body: dict[str, Any], message: str
) -> None:
    with pytest.raises(ClientError) as caught:
        comprehend.stop_sentiment_detection_job(**body)
    assert error_code(caught.value) == "ValidationException"
    assert caught.value.response["Error"]["Message"].startswith("1 validation error detected: ")
    assert message in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize("job_id", [5, True, ["a"], {"a": "b"}])
def test_non_string_job_id_is_a_serialization_error(raw: Any, job_id: object) -> None:
    response = raw.send("StopSentimentDetectionJob", {"JobId": job_id})
    assert response.status == 400
    assert response.json()["__type"].endswith("SerializationException")


def test_null_job_id_is_read_as_absent(raw: Any) -> None:
    """AWS's deserializer reads a null member as absent: the missing-member ValidationException."""
    response = raw.send("StopSentimentDetectionJob", {"JobId": None})
    assert response.status == 400
    assert response.json()["__type"].endswith("ValidationException")
    assert "Value null at 'jobId' failed to satisfy constraint: Member must not be null" in response.json()["message"]


def test_other_account_cannot_see_or_stop_a_job(jobs: Jobs, comprehend_b: Any) -> None:
    job_id = jobs.start({"many.txt": lines(200)})
    for call in (comprehend_b.describe_sentiment_detection_job, comprehend_b.stop_sentiment_detection_job):
        with pytest.raises(ClientError) as caught:
            call(JobId=job_id)
        assert error_code(caught.value) == "JobNotFoundException"
    listed = comprehend_b.list_sentiment_detection_jobs()["SentimentDetectionJobPropertiesList"]
    assert job_id not in {job["JobId"] for job in listed}
    assert jobs.describe(job_id)["JobStatus"] in ("SUBMITTED", "IN_PROGRESS", "COMPLETED")
    jobs.comprehend.stop_sentiment_detection_job(JobId=job_id)


def test_list_filters_one_at_a_time_and_paginates(jobs: Jobs, comprehend: Any) -> None:
    name = "list-check"
    started = {jobs.start({"d.txt": "x\n"}, JobName=name) for _ in range(5)}
    seen: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = comprehend.list_sentiment_detection_jobs(Filter={"JobName": name}, MaxResults=2, **token)
        assert len(page["SentimentDetectionJobPropertiesList"]) <= 2
        seen.extend(job["JobId"] for job in page["SentimentDetectionJobPropertiesList"])
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}
    assert sorted(seen) == sorted(started)
    with pytest.raises(ClientError) as caught:
        comprehend.list_sentiment_detection_jobs(Filter={"JobName": name, "JobStatus": "COMPLETED"})
    assert error_code(caught.value) == "InvalidFilterException"
    with pytest.raises(ClientError) as caught:
        comprehend.list_sentiment_detection_jobs(NextToken="not-a-token")
    assert error_code(caught.value) == "InvalidRequestException"
    for job_id in started:
        jobs.wait_end(job_id)
    completed = comprehend.list_sentiment_detection_jobs(Filter={"JobStatus": JobStatus.COMPLETED.value})
    assert started <= {job["JobId"] for job in completed["SentimentDetectionJobPropertiesList"]}


def test_client_request_token_makes_start_idempotent(jobs: Jobs) -> None:
    first = jobs.start({"d.txt": "x\n"}, ClientRequestToken="token-1")
    second = jobs.start({"d.txt": "x\n"}, ClientRequestToken="token-1")
    assert first == second


def test_start_with_unusable_s3_uri_is_invalid_request(jobs: Jobs) -> None:
    with pytest.raises(ClientError) as caught:
        jobs.comprehend.start_sentiment_detection_job(
            InputDataConfig={"S3Uri": "see s3://bucket-name/x"},
            OutputDataConfig={"S3Uri": f"s3://{jobs.bucket}/out/"},
            DataAccessRoleArn="arn:aws:iam::111111111111:role/x",
            LanguageCode="en",
        )
    assert error_code(caught.value) == "InvalidRequestException"


def test_a_new_job_is_answered_submitted_even_when_it_leaves_submitted_at_once() -> None:
    """Start answers the job's status when it was registered: the answer does not race the job's own thread."""
    pace = Pace(submitted_seconds=0, startup_seconds=0, per_document_seconds=0, finalize_seconds=0, stop_seconds=0)
    with ReferenceService(ServiceConfig(pace=pace)) as running:
        account = running.accounts[0]
        keys = Credentials(account.access_key_id, account.secret_access_key)
        s3 = s3_client(running.s3_endpoint_url, running.region, keys)
        s3.create_bucket(Bucket="instant")
        jobs = Jobs(comprehend_client(running.endpoint_url, running.region, keys), s3, "instant")
        answers = []
        for _ in range(10):
            prefix = jobs.upload({"docs.txt": "Fine.\n"})
            answers.append(
                jobs.comprehend.start_sentiment_detection_job(
                    InputDataConfig={"S3Uri": f"s3://instant/{prefix}", "InputFormat": "ONE_DOC_PER_LINE"},
                    OutputDataConfig={"S3Uri": "s3://instant/out/"},
                    DataAccessRoleArn=ROLE,
                    LanguageCode="en",
                )["JobStatus"]
            )
    assert answers == ["SUBMITTED"] * 10
