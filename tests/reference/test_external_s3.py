"""--s3-endpoint-url: the reference's jobs read and write another S3 (here a separate moto server)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, comprehend_client, s3_client
from comprehend_contract.reference import ReferenceService, ServiceConfig
from comprehend_contract.reference.http import is_comprehend_request
from tests.reference.support import ROLE, output_records


@pytest.fixture(scope="module")
def external_s3() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_jobs_use_the_external_s3_and_the_edge_port_serves_comprehend_only(external_s3: str) -> None:
    with ReferenceService(ServiceConfig(s3_endpoint_url=external_s3)) as running:
        assert running.s3_endpoint_url == external_s3
        account = running.accounts[0]
        keys = Credentials(account.access_key_id, account.secret_access_key)
        s3: Any = s3_client(external_s3, running.region, keys)
        s3.create_bucket(Bucket="external-s3-bucket")
        s3.put_object(Bucket="external-s3-bucket", Key="in/docs.txt", Body="I love it\nI hate it\n")
        comprehend = comprehend_client(running.endpoint_url, running.region, keys)
        job_id = comprehend.start_sentiment_detection_job(
            InputDataConfig={"S3Uri": "s3://external-s3-bucket/in/", "InputFormat": "ONE_DOC_PER_LINE"},
            OutputDataConfig={"S3Uri": "s3://external-s3-bucket/out/"},
            DataAccessRoleArn=ROLE,
            LanguageCode="en",
        )["JobId"]
        deadline = time.monotonic() + 20
        while True:
            properties = comprehend.describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"]
            if properties["JobStatus"] in ("COMPLETED", "FAILED") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert properties["JobStatus"] == "COMPLETED", properties
        assert len(output_records(s3, properties["OutputDataConfig"]["S3Uri"])) == 2
        edge_s3: Any = s3_client(running.endpoint_url, running.region, keys)
        with pytest.raises(Exception, match="404"):
            edge_s3.list_buckets()


def test_requests_are_dispatched_by_target_header_or_signing_service() -> None:
    assert is_comprehend_request({"HTTP_X_AMZ_TARGET": "Comprehend_20171127.ListSentimentDetectionJobs"})
    signed = "AWS4-HMAC-SHA256 Credential=AKIA/20261128/us-east-1/{}/aws4_request, SignedHeaders=host, Signature=00"
    assert is_comprehend_request({"HTTP_AUTHORIZATION": signed.format("comprehend")})
    assert not is_comprehend_request({"HTTP_AUTHORIZATION": signed.format("s3")})
    assert not is_comprehend_request({})
