"""HTTP/1.1 persistent connections: a connection carries request after request, and closes where it must.

A connection closes after a request whose body cannot be found or is refused unread (over 1 MiB, a malformed
chunked body), after ``Connection: close`` and after HTTP/1.0; otherwise it stays open, whatever the application
left unread of a body it had no use for.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any

import pytest

from comprehend_contract.reference import ReferenceService, RunningService, ServiceConfig
from tests.reference.support import signed_request

LIST = "ListSentimentDetectionJobs"
DESCRIBE = "DescribeSentimentDetectionJob"


def address(running: RunningService) -> tuple[str, int]:
    host, port = running.endpoint_url.split("://", 1)[1].rsplit(":", 1)
    return host, int(port)


def read_until_closed(connection: socket.socket, timeout: float = 10.0) -> bytes:
    """Everything the server sends until it closes the connection (or ``timeout`` passes)."""
    connection.settimeout(timeout)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = connection.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
    raise AssertionError(f"the server did not close the connection within {timeout} s: {b''.join(chunks)[:300]!r}")


def test_two_requests_on_one_connection_get_two_answers(reference: RunningService) -> None:
    connection = http.client.HTTPConnection(*address(reference), timeout=10)
    try:
        answers = []
        sockets = []
        for operation, body in ((LIST, b"{}"), (DESCRIBE, b'{"JobId": "no-such-job"}')):
            connection.request("POST", "/", body=body, headers=signed_request(reference, operation, body))
            sockets.append(connection.sock)
            response = connection.getresponse()
            answers.append((response.status, json.loads(response.read()), response.getheader("Connection")))
            assert not response.will_close
        assert sockets[0] is sockets[1], "the second request went over the first one's connection"
    finally:
        connection.close()
    assert answers[0][0] == 200
    assert "SentimentDetectionJobPropertiesList" in answers[0][1]
    assert answers[1][0] == 400
    assert answers[1][1]["__type"] == "JobNotFoundException"
    assert [answer[2] for answer in answers] == [None, None], "no Connection: close on a kept-alive connection"


def _raw_request(running: RunningService, operation: str, body: bytes, **headers: str) -> bytes:
    signed = signed_request(running, operation, body, **headers)
    lines = "".join(f"{name}: {value}\r\n" for name, value in signed.items())
    host = running.endpoint_url.split("://", 1)[1]
    return f"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n{lines}\r\n".encode() + body


def test_pipelined_requests_are_answered_in_order(reference: RunningService) -> None:
    """Two requests in one write: the body boundary is found exactly, so the second is read as a request."""
    first = _raw_request(reference, DESCRIBE, b'{"JobId": "first"}')
    second = _raw_request(reference, DESCRIBE, b'{"JobId": "second"}', Connection="close")
    with socket.create_connection(address(reference), timeout=10) as connection:
        connection.sendall(first + second)
        received = read_until_closed(connection)
    assert received.count(b"HTTP/1.1 400 ") == 2, received
    assert received.index(b"'first'") < received.index(b"'second'")
    assert received.count(b"Connection: close") == 1, "only the answer to the request that asked for it says so"


def test_a_body_the_application_did_not_read_is_skipped_and_the_connection_kept(reference: RunningService) -> None:
    """S3's ListBuckets has no use for a body: the server reads past it to the next request."""
    describe = _raw_request(reference, DESCRIBE, b'{"JobId": "after-the-body"}', Connection="close")
    with socket.create_connection(address(reference), timeout=10) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world" + describe)
        received = read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b"ListAllMyBucketsResult" in received
    assert b"HTTP/1.1 400 " in received
    assert b"after-the-body" in received


def test_a_well_formed_chunked_body_is_read_and_the_connection_kept(reference: RunningService) -> None:
    body = b'{"JobId": "chunked"}'
    signed = signed_request(reference, DESCRIBE, body)
    head = "".join(f"{name}: {value}\r\n" for name, value in signed.items())
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:])) + b"0\r\n\r\n"
    then = _raw_request(reference, LIST, b"{}", Connection="close")
    with socket.create_connection(address(reference), timeout=10) as connection:
        host = reference.endpoint_url.split("://", 1)[1]
        connection.sendall(f"POST / HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n{head}\r\n".encode())
        connection.sendall(chunked)
        connection.sendall(then)
        received = read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 400 ")
    assert b"JobNotFoundException" in received
    assert b"'chunked'" in received
    assert b"HTTP/1.1 200 " in received, "the next request on the connection was answered"


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob\r\n"
            b"Content-Length: 2000000\r\n\r\n{",
            413,
            b"RequestEntityTooLargeException",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            400,
            b"BadRequestException",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n4\r\n{}{}XX0\r\n\r\n",
            400,
            b"BadRequestException",
        ),
    ],
    ids=["over-1-MiB", "bad-chunk-size", "missing-chunk-CRLF"],
)
def test_a_body_that_cannot_be_read_is_answered_then_the_connection_closes(
    reference: RunningService, request_bytes: bytes, status: int, code: bytes
) -> None:
    with socket.create_connection(address(reference), timeout=10) as connection:
        connection.sendall(request_bytes)
        received = read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 %d " % status), received[:200]
    assert b"Connection: close\r\n" in received
    assert b"x-amzn-ErrorType: " + code in received


@pytest.mark.parametrize(
    ("version", "extra"), [("HTTP/1.1", "Connection: close\r\n"), ("HTTP/1.0", "")], ids=["close", "http-1.0"]
)
def test_a_request_that_asks_to_close_is_answered_then_closed(
    reference: RunningService, version: str, extra: str
) -> None:
    with socket.create_connection(address(reference), timeout=10) as connection:
        connection.sendall(f"GET / {version}\r\nHost: x\r\n{extra}\r\n".encode())
        received = read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b"Connection: close\r\n" in received


def test_closing_the_service_ends_its_idle_kept_alive_connections() -> None:
    service = ReferenceService(ServiceConfig())
    running = service.start()
    connection = http.client.HTTPConnection(*address(running), timeout=10)
    try:
        connection.request("GET", "/")
        response: Any = connection.getresponse()
        response.read()
        assert not response.will_close
        began = time.monotonic()
        service.close()
        assert connection.sock is not None
        assert read_until_closed(connection.sock, timeout=5) == b""
        assert time.monotonic() - began < 5, "an idle connection outlived the service"
    finally:
        connection.close()
        service.close()
