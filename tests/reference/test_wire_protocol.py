"""The reference's AWS JSON 1.1 surface over raw HTTP: bad bodies, bad targets, bad HTTP never hurt it."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from comprehend_contract.clients import RawSender
from comprehend_contract.reference import RunningService
from comprehend_contract.spec import validator_for

STOP = "StopSentimentDetectionJob"


def assert_aws_error(response: Any, status: int, code: str) -> None:
    """A well-formed AWS JSON 1.1 error: status, JSON body naming the error, request id, content type."""
    assert response.status == status, response.body
    body = response.json()
    assert validator_for("error").is_valid(body), body
    assert body["__type"].rpartition("#")[2] == code
    assert response.headers["x-amzn-errortype"] == code
    assert response.headers["x-amzn-requestid"]
    assert response.headers["content-type"] == "application/x-amz-json-1.1"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"42", b"null", b'{"JobId": NaN}', b"\xff\xfe"])
def test_body_that_is_not_a_json_object_is_a_serialization_error(raw: RawSender, body: bytes) -> None:
    assert_aws_error(raw.send(STOP, body), 400, "SerializationException")


def test_deeply_nested_json_is_a_serialization_error_not_a_crash(raw: RawSender) -> None:
    assert_aws_error(raw.send(STOP, b"[" * 100_000 + b"]" * 100_000), 400, "SerializationException")


@pytest.mark.parametrize("target", ["Comprehend_20171127.StopEverything", "DynamoDB_20120810.ListTables", ""])
def test_unknown_target_is_unknown_operation(raw: RawSender, target: str) -> None:
    assert_aws_error(raw.send(None, b"{}", amz_target=target), 400, "UnknownOperationException")


def test_get_request_is_unknown_operation(raw: RawSender) -> None:
    assert_aws_error(raw.send(STOP, b"", method="GET"), 400, "UnknownOperationException")


def test_success_carries_request_id_and_content_type(raw: RawSender) -> None:
    response = raw.send("ListSentimentDetectionJobs", {})
    assert response.status == 200
    assert response.headers["content-type"] == "application/x-amz-json-1.1"
    assert response.headers["x-amzn-requestid"]


def test_body_over_the_limit_is_refused_before_it_is_read(reference: RunningService) -> None:
    """The server answers 413 on the declared length alone: the client never sends the bytes."""
    host, port = reference.endpoint_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob\r\n"
            b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 50000000\r\n\r\n{"
        )
        head = connection.recv(65536)
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"RequestEntityTooLargeException" in head or b"x-amzn-ErrorType: RequestEntityTooLargeException" in head


def test_truncated_body_gets_an_aws_error(raw: RawSender) -> None:
    response = raw.send_bytes(
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob\r\n"
        b'Content-Length: 100\r\n\r\n{"JobId"'
    )
    assert response is not None
    assert response.status == 400
    assert response.json() is not None
    assert "__type" in response.json()


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Comprehend_20171127.X\r\nBad Header Line Without Colon\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nX-Amz-Target: Comprehend_20171127.X\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\nX-Amz-Target: Comprehend_20171127.X\r\n\r\n",
    ],
    ids=["bad-request-line", "header-without-colon", "huge-header", "negative-length", "non-numeric-length"],
)
def test_malformed_http_gets_a_json_error_and_the_server_survives(raw: RawSender, request_bytes: bytes) -> None:
    response = raw.send_bytes(request_bytes)
    if response is not None:
        assert 400 <= response.status < 500
        body = response.json()
        assert body is not None, response.body[:200]
        assert "__type" in body
    assert raw.send("ListSentimentDetectionJobs", {}).status == 200


def test_non_comprehend_request_reaches_the_embedded_s3(reference: RunningService) -> None:
    assert reference.s3_endpoint_url == reference.endpoint_url
