"""Many clients starting, stopping and describing at once never corrupt the reference's state."""

from __future__ import annotations

import itertools
import random
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from comprehend_contract.clients import Credentials, comprehend_client, s3_client
from comprehend_contract.reference import ReferenceService
from comprehend_contract.spec import validator_for
from comprehend_contract.spec.lifecycle import END_STATES, TRANSITIONS, JobStatus, may_follow
from tests.reference.support import ROLE, lines, output_records

JOBS = 60
SEED = 20261128


@pytest.fixture(scope="module")
def service() -> Iterator[ReferenceService]:
    service = ReferenceService()
    service.start()
    yield service
    service.close()


@pytest.mark.slow
def test_sixty_concurrent_jobs_stopped_at_random_moments(service: ReferenceService) -> None:
    running = service.running
    assert running is not None
    account = running.accounts[0]
    keys = Credentials(account.access_key_id, account.secret_access_key)
    s3 = s3_client(running.s3_endpoint_url, running.region, keys)
    bucket = f"concurrency-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    rng = random.Random(SEED)
    plans = [(n, rng.randint(1, 200), rng.uniform(0, 0.8)) for n in range(JOBS)]
    for n, documents, _ in plans:
        s3.put_object(Bucket=bucket, Key=f"in/{n}/docs.txt", Body=lines(documents))
    local = threading.local()

    def client() -> Any:
        if not hasattr(local, "client"):
            local.client = comprehend_client(running.endpoint_url, running.region, keys, max_attempts=1)
        return local.client

    observed: dict[str, list[str]] = {}
    observed_lock = threading.Lock()

    def observe(job_id: str, status: str) -> None:
        with observed_lock:
            observed.setdefault(job_id, []).append(status)

    def drive(plan: tuple[int, int, float]) -> tuple[str, int]:
        n, documents, stop_after = plan
        job_id = client().start_sentiment_detection_job(
            InputDataConfig={"S3Uri": f"s3://{bucket}/in/{n}/", "InputFormat": "ONE_DOC_PER_LINE"},
            OutputDataConfig={"S3Uri": f"s3://{bucket}/out/"},
            DataAccessRoleArn=ROLE,
            LanguageCode="en",
        )["JobId"]
        deadline = time.monotonic() + stop_after
        while time.monotonic() < deadline:
            properties = client().describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"]
            observe(job_id, properties["JobStatus"])
            time.sleep(0.05)
        try:
            answered = client().stop_sentiment_detection_job(JobId=job_id)["JobStatus"]
        except ClientError as error:
            answered = error.response["Error"]["Code"]
        assert answered in ("STOP_REQUESTED", "STOPPED", "InvalidRequestException")
        while True:
            status = client().describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"][
                "JobStatus"
            ]
            observe(job_id, status)
            if status in END_STATES:
                return job_id, documents
            time.sleep(0.05)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(drive, plans))

    assert len({job_id for job_id, _ in results}) == JOBS
    listed = client().list_sentiment_detection_jobs(MaxResults=500)["SentimentDetectionJobPropertiesList"]
    assert {job_id for job_id, _ in results} <= {job["JobId"] for job in listed}, "a job was lost"
    for job_id, sequence in observed.items():
        for earlier, later in itertools.pairwise(sequence):
            assert may_follow(JobStatus(earlier), JobStatus(later)), f"{job_id}: saw {earlier} then {later}"
    for job in service.jobs.all_jobs():
        for earlier, later in itertools.pairwise(job.history):
            assert later in TRANSITIONS[earlier], f"{job.job_id}: {job.history}"
    ends = {}
    for job_id, documents in results:
        properties = client().describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"]
        ends[properties["JobStatus"]] = ends.get(properties["JobStatus"], 0) + 1
        records = output_records(s3, properties["OutputDataConfig"]["S3Uri"])
        line_numbers = [record["Line"] for record in records]
        assert len(line_numbers) == len(set(line_numbers)), f"{job_id}: duplicate records"
        assert all(0 <= line < documents for line in line_numbers)
        assert all(validator_for("sentiment-output-record").is_valid(record) for record in records)
        if properties["JobStatus"] == "COMPLETED":
            assert len(records) == documents
    assert ends.get("STOPPED", 0) > 0, ends
