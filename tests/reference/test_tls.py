"""HTTPS (``ServiceConfig(tls=True)``): the self-signed certificate verifies, jobs reach the embedded S3 over it, and a
client that fails or stalls its handshake holds up no one."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from comprehend_contract.reference import ReferenceService, RunningService, ServiceConfig
from tests.reference.support import ROLE, signed_request

LIST = "ListSentimentDetectionJobs"


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningService, Path]]:
    with ReferenceService(ServiceConfig(tls=True)) as running:
        assert running.certificate is not None
        bundle = tmp_path_factory.mktemp("tls") / "reference.cert.pem"
        bundle.write_text(running.certificate)
        yield running, bundle


def client(running: RunningService, bundle: Path, service: str) -> Any:
    account = running.accounts[0]
    return boto3.session.Session().client(
        service,
        endpoint_url=running.endpoint_url,
        region_name=running.region,
        aws_access_key_id=account.access_key_id,
        aws_secret_access_key=account.secret_access_key,
        verify=str(bundle),
        config=Config(s3={"addressing_style": "path"}),
    )


def address(running: RunningService) -> tuple[str, int]:
    host, port = running.endpoint_url.removeprefix("https://").rsplit(":", 1)
    return host, int(port)


def test_the_endpoint_is_https_and_the_certificate_names_loopback(secured: tuple[RunningService, Path]) -> None:
    running, bundle = secured
    assert running.endpoint_url.startswith("https://127.0.0.1:")
    assert running.s3_endpoint_url == running.endpoint_url
    context = ssl.create_default_context(cafile=str(bundle))
    for name in ("127.0.0.1", "localhost"):
        with (
            socket.create_connection(address(running), timeout=10) as plain,
            context.wrap_socket(plain, server_hostname=name) as tls,
        ):
            assert tls.version() in ("TLSv1.2", "TLSv1.3")


def test_a_job_runs_over_tls_reading_and_writing_the_embedded_s3(secured: tuple[RunningService, Path]) -> None:
    running, bundle = secured
    s3, comprehend = client(running, bundle, "s3"), client(running, bundle, "comprehend")
    s3.create_bucket(Bucket="tls-jobs")
    s3.put_object(Bucket="tls-jobs", Key="in/docs.txt", Body=b"I love it.\nThis is awful.\n")
    job_id = comprehend.start_sentiment_detection_job(
        InputDataConfig={"S3Uri": "s3://tls-jobs/in/", "InputFormat": "ONE_DOC_PER_LINE"},
        OutputDataConfig={"S3Uri": "s3://tls-jobs/out/"},
        DataAccessRoleArn=ROLE,
        LanguageCode="en",
    )["JobId"]
    deadline = time.monotonic() + 20
    while (status := comprehend.describe_sentiment_detection_job(JobId=job_id)["SentimentDetectionJobProperties"])[
        "JobStatus"
    ] not in ("COMPLETED", "FAILED"):
        assert time.monotonic() < deadline, status
        time.sleep(0.05)
    assert status["JobStatus"] == "COMPLETED", status.get("Message")


def test_connections_are_kept_alive_over_tls(secured: tuple[RunningService, Path]) -> None:
    running, bundle = secured
    context = ssl.create_default_context(cafile=str(bundle))
    connection = http.client.HTTPSConnection(*address(running), timeout=10, context=context)
    try:
        sockets = []
        for _ in range(2):
            connection.request("POST", "/", body=b"{}", headers=signed_request(running, LIST))
            sockets.append(connection.sock)
            response = connection.getresponse()
            assert response.status == 200
            response.read()
        assert sockets[0] is sockets[1]
    finally:
        connection.close()


def test_a_failed_or_stalled_handshake_holds_up_no_one(secured: tuple[RunningService, Path]) -> None:
    running, bundle = secured
    with socket.create_connection(address(running), timeout=10) as plain_http:
        plain_http.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # HTTP on the TLS port: the handshake fails
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := plain_http.recv(65536):
                received += chunk
        assert not received.startswith(b"HTTP/"), "no answer in plain HTTP, and the connection ends"
    with socket.create_connection(address(running), timeout=10):  # connects and never speaks
        began = time.monotonic()
        answer = client(running, bundle, "comprehend").list_sentiment_detection_jobs()
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert time.monotonic() - began < 5
