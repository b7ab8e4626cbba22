"""Every answer the README promises for malformed HTTP, one case each: the status, the error it names, and which
cases get no answer at all (no request was made). None is a 5xx: a client's mistake is not the service failing."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from comprehend_contract.reference import ReferenceService, RunningService, ServiceConfig

LIST = b"X-Amz-Target: Comprehend_20171127.ListSentimentDetectionJobs\r\n"
READ_TIMEOUT = 0.5


@pytest.fixture(scope="module")
def impatient() -> Iterator[RunningService]:
    """A reference whose read timeout is half a second, so that a stalled request is answered quickly."""
    with ReferenceService(ServiceConfig(read_timeout_seconds=READ_TIMEOUT)) as running:
        yield running


def exchange(running: RunningService, data: bytes, *, stall: bool = False) -> bytes:
    """Send ``data`` on a fresh connection and read until the server closes it; ``stall``: then keep the connection
    open without sending more (the server's read timeout decides), else end the sending side at once."""
    host, port = running.endpoint_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(data)
        if not stall:
            connection.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def answer_of(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), {name.lower(): value for name, value in headers.items()}, body


def assert_json_error(raw: bytes, status: int, says: str) -> None:
    """One AWS JSON 1.1 error: the status, BadRequestException, a message that says what was wrong, then a close."""
    assert raw, "no answer"
    code, headers, body = answer_of(raw)
    assert code == status, raw[:300]
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-errortype"] == "BadRequestException"
    assert headers["connection"] == "close"
    error = json.loads(body)
    assert error["__type"] == "com.amazon.coral.service#BadRequestException"
    assert says in error["message"], error


@pytest.mark.parametrize(
    ("request_bytes", "status", "says"),
    [
        (b"GARBAGE\r\n\r\n", 400, "Bad request syntax ('GARBAGE')"),
        (b"GET / x HTTP/1.1\r\n\r\n", 400, "Bad request syntax"),
        (b"GET /\r\n\r\n", 400, "HTTP/0.9 is not supported"),
        (b"POST /\r\n\r\n", 400, "HTTP/0.9 is not supported"),
        (b"GET / HTTPS/1.1\r\n\r\n", 400, "Bad request version ('HTTPS/1.1')"),
        (b"GET / HTTP/1\r\n\r\n", 400, "Bad request version ('HTTP/1')"),
        (b"GET / HTTP/1.1.1\r\n\r\n", 400, "Bad request version"),
        (b"POST / HTTP/2.0\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 400, "HTTP version 2.0 is not supported"),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "HTTP version 2.0 is not supported"),
        (b"GET / HTTP/0.9\r\n\r\n", 400, "HTTP version 0.9 is not supported"),
        (b"POST / HTT", 400, "Bad request version ('HTT')"),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414, "URI Too Long"),
        (b"\r\n" * 101 + b"GET / HTTP/1.1\r\n\r\n", 400, "More than 100 empty lines"),
        (b"POST / HTTP/1.1\r\nBad Header Line Without Colon\r\n\r\n", 400, "Bad header line"),
        (b"POST / HTTP/1.1\r\n: empty name\r\n\r\n", 400, "Bad header line"),
        (b"POST / HTTP/1.1\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", 431, "Line too long"),
        (b"POST / HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 101 + b"\r\n", 431, "Too many headers"),
    ],
    ids=[
        "one-word", "four-words", "http-0.9-get", "http-0.9-post", "not-http", "version-without-minor",
        "version-with-two-dots", "http-2-as-text", "http-2-preface", "http-0.9-named", "request-line-cut-short",
        "request-line-over-64KiB",
        "only-empty-lines", "header-without-colon", "header-without-name", "header-over-64KiB", "over-100-headers",
    ],
)  # fmt: skip
def test_a_malformed_request_head_is_a_400_class_json_error(
    reference: RunningService, request_bytes: bytes, status: int, says: str
) -> None:
    assert_json_error(exchange(reference, request_bytes), status, says)


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"POST / HTTP/1.1\r\nHost: x\r\n" + LIST + b"Content-Length: ten\r\n\r\n", 400, "BadRequestException"),
        (b"POST / HTTP/1.1\r\nHost: x\r\n" + LIST + b"Content-Length: -5\r\n\r\n", 400, "BadRequestException"),
        (b"POST / HTTP/1.1\r\nHost: x\r\n" + LIST + b"Content-Length: 50000000\r\n\r\n{", 413,
         "RequestEntityTooLargeException"),
        (b"POST / HTTP/1.1\r\nHost: x\r\n" + LIST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
         "BadRequestException"),
        (b"POST / HTTP/1.1\r\nHost: x\r\n" + LIST + b"Content-Length: 100\r\n\r\n{", 400, "SerializationException"),
    ],
    ids=["length-not-a-number", "length-negative", "body-over-1MiB", "chunk-size-not-hex", "body-cut-short"],
)  # fmt: skip
def test_a_malformed_comprehend_body_is_a_400_class_json_error(
    reference: RunningService, request_bytes: bytes, status: int, code: str
) -> None:
    answered, headers, body = answer_of(exchange(reference, request_bytes))
    assert answered == status, body[:300]
    assert headers["x-amzn-errortype"] == code
    assert json.loads(body)["__type"].rpartition("#")[2] == code


@pytest.mark.parametrize(
    "request_bytes",
    [b"", b"\r\n", b"\r\n\r\n", b"\r\n" * 100],
    ids=["nothing", "one-empty-line", "two-empty-lines", "100-empty-lines"],
)
def test_a_connection_that_ends_before_a_request_line_gets_no_answer(
    reference: RunningService, request_bytes: bytes
) -> None:
    """No request was made, so there is nothing to answer: the server closes the connection."""
    assert exchange(reference, request_bytes) == b""


def test_empty_lines_before_a_request_line_are_skipped(reference: RunningService) -> None:
    """RFC 9112 section 2.2: a server SHOULD ignore at least one empty line received before the request line."""
    request = b"\r\n\r\nPOST / HTTP/1.1\r\nHost: x\r\n" + LIST + b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    status, headers, _ = answer_of(exchange(reference, request))
    assert status == 400
    assert headers["x-amzn-errortype"] == "MissingAuthenticationTokenException", "the request was not read"


def test_headers_that_stop_arriving_get_a_408(impatient: RunningService) -> None:
    started = time.monotonic()
    answer = exchange(impatient, b"POST / HTTP/1.1\r\nHost: x\r\n", stall=True)
    assert_json_error(answer, 408, f"did not arrive within {READ_TIMEOUT:g} s")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "framing",
    [b"Content-Length: 10\r\n\r\n{}", b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n"],
    ids=["length", "chunked"],
)
def test_a_body_that_stops_arriving_gets_a_408(impatient: RunningService, framing: bytes) -> None:
    answer = exchange(impatient, b"POST / HTTP/1.1\r\nHost: x\r\n" + LIST + framing, stall=True)
    assert_json_error(answer, 408, "did not arrive within the server's read timeout")


@pytest.mark.parametrize("request_bytes", [b"", b"POST / HTT"], ids=["silent", "request-line-cut-short"])
def test_a_connection_silent_before_a_request_line_is_closed_without_an_answer(
    impatient: RunningService, request_bytes: bytes
) -> None:
    assert exchange(impatient, request_bytes, stall=True) == b""


@pytest.mark.parametrize(
    ("request_line", "status", "code"),
    [
        (b"POST /malformed-http-bucket?delete HTTP/1.1", 411, "MissingContentLength"),
        (b"PUT /malformed-http-bucket?tagging HTTP/1.1", 411, "MissingContentLength"),
        (b"BREW /malformed-http-bucket HTTP/1.1", 405, "MethodNotAllowed"),
    ],
    ids=["post-without-length", "put-without-length", "unknown-method"],
)
def test_the_embedded_s3_answers_malformed_http_with_an_s3_xml_error(
    reference: RunningService, request_line: bytes, status: int, code: str
) -> None:
    """What moto answers in plain text (its 411 is labelled XML but is not) is an S3 XML error, as S3's own."""
    exchange(reference, b"PUT /malformed-http-bucket HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    answered, headers, body = answer_of(exchange(reference, request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert answered == status, body[:300]
    assert headers["content-type"] == "application/xml"
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' + code.encode() + b"</Code>")


def test_an_s3_body_that_stops_arriving_is_an_s3_xml_400(impatient: RunningService) -> None:
    exchange(impatient, b"PUT /malformed-http-bucket HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    request = b"PUT /malformed-http-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"
    answered, headers, body = answer_of(exchange(impatient, request, stall=True))
    assert answered == 400, body[:300]
    assert headers["content-type"] == "application/xml"
    assert b"<Code>InvalidRequest</Code>" in body
