"""Behaviour seams: each hook sees public values, and what it returns is what the reference does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, RawSender, Signature, s3_client
from comprehend_contract.reference import (
    AuthFailure,
    AuthFailureReason,
    Behaviour,
    Call,
    JobEnd,
    JobView,
    Proceed,
    ReferenceService,
    Response,
    RunningService,
    ServiceConfig,
    job_not_found,
)
from comprehend_contract.spec.lifecycle import END_STATES, JobStatus
from tests.reference.conftest import credentials
from tests.reference.support import ROLE, lines, output_records

START, DESCRIBE, LIST, STOP = (
    "StartSentimentDetectionJob",
    "DescribeSentimentDetectionJob",
    "ListSentimentDetectionJobs",
    "StopSentimentDetectionJob",
)


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[tuple[ReferenceService, RunningService, RawSender]]:
    service = ReferenceService(ServiceConfig(behaviour=behaviour))
    with service as running:
        yield service, running, RawSender(running.endpoint_url, running.region, credentials(running))


def start_job(running: RunningService, raw: RawSender, documents: int) -> str:
    s3 = s3_client(running.s3_endpoint_url, running.region, credentials(running))
    bucket = f"behaviour-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="in/docs.txt", Body=lines(documents))
    body = {
        "InputDataConfig": {"S3Uri": f"s3://{bucket}/in/", "InputFormat": "ONE_DOC_PER_LINE"},
        "OutputDataConfig": {"S3Uri": f"s3://{bucket}/out/"},
        "DataAccessRoleArn": ROLE,
        "LanguageCode": "en",
    }
    answer = raw.send(START, body)
    assert answer.status == 200, answer.body
    job_id: str = answer.json()["JobId"]
    return job_id


def describe(raw: RawSender, job_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = raw.send(DESCRIBE, {"JobId": job_id}).json()["SentimentDetectionJobProperties"]
    return properties


def wait_until(raw: RawSender, job_id: str, statuses: set[str], timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (properties := describe(raw, job_id))["JobStatus"] not in statuses:
        assert time.monotonic() < deadline, f"{job_id} still {properties['JobStatus']}"
        time.sleep(0.02)
    return properties


def refuse_and_record(seen: list[AuthFailure]) -> Behaviour:
    def authenticate(failure: AuthFailure) -> None:
        seen.append(failure)

    return Behaviour(authenticate=authenticate)


@pytest.mark.parametrize(
    ("how", "reason", "key_known"),
    [
        ({"signature": Signature.NONE}, AuthFailureReason.MISSING, False),
        ({"credentials": Credentials("AKIAUNKNOWNKEY000000", "secret")}, AuthFailureReason.UNKNOWN_KEY, False),
        ({"signature": Signature.CORRUPT}, AuthFailureReason.SIGNATURE_MISMATCH, True),
        ({"signature": Signature.TAMPERED_BODY}, AuthFailureReason.SIGNATURE_MISMATCH, True),
        ({"headers": {"X-Amz-Content-SHA256": "0" * 64}}, AuthFailureReason.BODY_HASH_MISMATCH, True),
        ({"signed_at": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)}, AuthFailureReason.EXPIRED, True),
        ({"signed_at": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)}, AuthFailureReason.NOT_YET_VALID, True),
        (
            {"signature": Signature.NONE, "headers": {"Authorization": "AWS4-HMAC-SHA256 nonsense"}},
            AuthFailureReason.MALFORMED,
            False,
        ),
    ],
    ids=lambda value: value.name if isinstance(value, AuthFailureReason) else None,
)
def test_authenticate_is_told_why_and_a_refusal_stays_the_reference_s(
    how: dict[str, Any], reason: AuthFailureReason, key_known: bool
) -> None:
    seen: list[AuthFailure] = []
    with serving(Behaviour()) as (_, _, raw):
        plain = raw.send(LIST, {}, **how)
    with serving(refuse_and_record(seen)) as (_, running, raw):
        hooked = raw.send(LIST, {}, **how)
    assert [(failure.reason, failure.operation) for failure in seen] == [(reason, LIST)]
    assert (seen[0].account == running.accounts[0]) is key_known
    assert (hooked.status, hooked.json()["__type"]) == (plain.status, plain.json()["__type"])


def test_authenticate_may_serve_a_refused_request_as_an_account() -> None:
    def authenticate(failure: AuthFailure) -> Any:
        return failure.account if failure.reason is AuthFailureReason.EXPIRED else None

    with serving(Behaviour(authenticate=authenticate)) as (_, _, raw):
        old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
        assert raw.send(LIST, {}, signed_at=old).status == 200
        assert raw.send(LIST, {}, signature=Signature.CORRUPT).status == 400


def test_validate_sees_the_body_as_sent_and_decides_what_the_operation_gets() -> None:
    seen: list[tuple[str, str, Any]] = []

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        seen.append((call.operation, call.account.account_id, call.body))
        if call.job_id() == "unvalidated#id":
            return dict(call.body)  # skips the schema: the handler looks the malformed id up
        return proceed(call)

    with serving(Behaviour(validate=validate)) as (_, running, raw):
        skipped = raw.send(STOP, {"JobId": "unvalidated#id"})
        checked = raw.send(STOP, {"JobId": "checked#id"})
    assert skipped.json()["__type"] == "JobNotFoundException"
    assert checked.json()["__type"].endswith("ValidationException")
    assert seen == [
        (STOP, running.accounts[0].account_id, {"JobId": "unvalidated#id"}),
        (STOP, running.accounts[0].account_id, {"JobId": "checked#id"}),
    ]


def test_operation_wraps_each_handler_with_a_read_only_view_of_the_job() -> None:
    views: list[JobView | None] = []

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        if call.operation != STOP:
            return proceed(call)
        job = call.job()
        views.append(job)
        if job is None:
            raise job_not_found("from the hook")
        return {"JobId": job.job_id, "JobStatus": "STOP_REQUESTED"}  # instead of the reference's own stop

    with serving(Behaviour(operation=carry_out)) as (service, running, raw):
        job_id = start_job(running, raw, 3)
        properties = wait_until(raw, job_id, set(END_STATES))
        stopped = raw.send(STOP, {"JobId": job_id})
        unknown = raw.send(STOP, {"JobId": "0" * 32})
        table = service.jobs.all_jobs()
    assert (stopped.status, stopped.json()["JobStatus"]) == (200, "STOP_REQUESTED")  # the hook's answer, not 400
    assert "from the hook" in unknown.json()["Message"]
    view = views[0]
    assert view is not None
    assert (view.job_id, view.status, view.account_id) == (job_id, JobStatus.COMPLETED, running.accounts[0].account_id)
    assert (view.end_time, view.output_uri) == (properties["EndTime"], properties["OutputDataConfig"]["S3Uri"])
    assert views[1] is None
    assert [job.job_id for job in table] == [job_id]
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status = JobStatus.FAILED  # type: ignore[misc]


def test_end_none_leaves_a_stopped_job_in_stop_requested() -> None:
    def end(job: JobView, planned: JobEnd) -> JobEnd | None:
        return None if job.status is JobStatus.STOP_REQUESTED else planned

    with serving(Behaviour(end=end)) as (service, running, raw):
        job_id = start_job(running, raw, 400)
        wait_until(raw, job_id, {"IN_PROGRESS"})
        assert raw.send(STOP, {"JobId": job_id}).json()["JobStatus"] == "STOP_REQUESTED"
        time.sleep(1.0)
        assert describe(raw, job_id)["JobStatus"] == "STOP_REQUESTED"
        (view,) = service.jobs.all_jobs()
    assert view.stop_requested
    assert view.history == (JobStatus.SUBMITTED, JobStatus.IN_PROGRESS, JobStatus.STOP_REQUESTED)


def test_output_uri_and_output_decide_where_and_what_a_job_writes() -> None:
    def output(job: JobView, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**record, "Seen": job.job_id} for record in records[:1]]

    behaviour = Behaviour(output_uri=lambda job: job.output_uri.replace("/output/", "/elsewhere/"), output=output)
    with serving(behaviour) as (_, running, raw):
        job_id = start_job(running, raw, 3)
        properties = wait_until(raw, job_id, set(END_STATES))
        uri = properties["OutputDataConfig"]["S3Uri"]
        records = output_records(s3_client(running.s3_endpoint_url, running.region, credentials(running)), uri)
    assert properties["JobStatus"] == "COMPLETED"
    assert uri.endswith(f"-TS-{job_id}/elsewhere/output.tar.gz")
    assert [record["Seen"] for record in records] == [job_id]


def test_respond_rewrites_status_headers_and_body_and_content_length_follows() -> None:
    def respond(response: Response) -> Response:
        if response.operation != LIST or response.error is not None:
            return response
        payload = response.json()
        return (
            dataclasses.replace(response, status=202)
            .with_json({**payload, "Extra": "x" * 100})
            .with_header("x-amzn-RequestId", None)
        )

    with serving(Behaviour(respond=respond)) as (_, _, raw):
        listed = raw.send(LIST, {})
        refused = raw.send(LIST, {}, signature=Signature.NONE)
    assert listed.status == 202
    assert listed.json()["Extra"] == "x" * 100
    assert int(listed.headers["content-length"]) == len(listed.body)
    assert "x-amzn-requestid" not in listed.headers
    assert refused.status == 400
    assert "x-amzn-requestid" in refused.headers
