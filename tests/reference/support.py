"""Helpers for the reference's self-tests: start jobs over fresh input, wait for them, read their output."""

from __future__ import annotations

import io
import itertools
import json
import tarfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comprehend_contract.spec.lifecycle import END_STATES

ROLE = "arn:aws:iam::111111111111:role/ComprehendDataAccess"

_prefixes = itertools.count()


@dataclass
class Jobs:
    """Starts jobs over fresh input and waits for them."""

    comprehend: Any
    s3: Any
    bucket: str

    def upload(self, files: dict[str, str | bytes]) -> str:
        prefix = f"in-{next(_prefixes)}-{uuid.uuid4().hex[:8]}/"
        for name, content in files.items():
            self.s3.put_object(Bucket=self.bucket, Key=prefix + name, Body=content)
        return prefix

    def start(
        self, files: dict[str, str | bytes] | None = None, *, input_format: str = "ONE_DOC_PER_LINE", **extra: Any
    ) -> str:
        prefix = self.upload(files) if files is not None else f"empty-{uuid.uuid4().hex[:8]}/"
        response = self.comprehend.start_sentiment_detection_job(
            InputDataConfig={"S3Uri": f"s3://{self.bucket}/{prefix}", "InputFormat": input_format},
            OutputDataConfig={"S3Uri": f"s3://{self.bucket}/out/"},
            DataAccessRoleArn=ROLE,
            LanguageCode="en",
            **extra,
        )
        job_id: str = response["JobId"]
        return job_id

    def describe(self, job_id: str) -> dict[str, Any]:
        properties: dict[str, Any] = self.comprehend.describe_sentiment_detection_job(JobId=job_id)[
            "SentimentDetectionJobProperties"
        ]
        return properties

    def wait_for(self, job_id: str, accept: Callable[[str], bool], timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            properties = self.describe(job_id)
            if accept(properties["JobStatus"]):
                return properties
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {properties['JobStatus']} after {timeout} s")
            time.sleep(0.01)

    def wait_end(self, job_id: str, timeout: float = 20.0) -> dict[str, Any]:
        return self.wait_for(job_id, lambda status: status in END_STATES, timeout)


def lines(count: int) -> str:
    """``count`` short documents, one per line, alternating in sentiment."""
    samples = ("I love this product.", "This is terrible.", "The box is brown.", "Great value but awful support.")
    return "".join(f"{samples[i % len(samples)]} ({i})\n" for i in range(count))


def output_records(s3: Any, uri: str) -> list[dict[str, Any]]:
    """The records of the ``output`` file inside the ``output.tar.gz`` at ``uri``."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    archive = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        member = tar.extractfile("output")
        assert member is not None
        return [json.loads(line) for line in member.read().decode().splitlines()]


def signed_request(
    running: Any, operation: str, body: bytes = b"{}", *, host: str | None = None, **headers: str
) -> dict[str, str]:
    """Headers of a request to ``operation`` signed by the reference's first account (botocore's signer), for a
    hand-made request on a connection the test controls (``http.client``, a raw socket)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    account = running.accounts[0]
    netloc = host or running.endpoint_url.split("://", 1)[1]
    request = AWSRequest(
        method="POST",
        url=f"{running.endpoint_url.split('://', 1)[0]}://{netloc}/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"Comprehend_20171127.{operation}",
            **headers,
        },
    )
    signer = SigV4Auth(BotoCredentials(account.access_key_id, account.secret_access_key), "comprehend", running.region)
    signer.add_auth(request)
    return {str(name): str(value) for name, value in request.headers.items()}
