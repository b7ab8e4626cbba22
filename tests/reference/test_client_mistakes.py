"""A client mistake never gets a 5xx from the reference: Comprehend answers it as an AWS JSON 1.1 error, the embedded
S3 as an S3 XML error, and the server stays up.

Known cases first (each once answered 500), then a bounded, derandomized fuzz of request bodies for the four
operations, of odd HTTP and of odd S3 requests.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprehend_contract.clients import Credentials, RawSender
from comprehend_contract.reference import ReferenceService, RunningService, ServiceConfig
from tests.reference.support import ROLE

LIST = "ListSentimentDetectionJobs"
OPERATIONS = (
    "StartSentimentDetectionJob",
    "DescribeSentimentDetectionJob",
    "ListSentimentDetectionJobs",
    "StopSentimentDetectionJob",
)
FUZZ = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def running() -> Iterator[RunningService]:
    """A reference of this module's own: the fuzz starts jobs, which no other test should see."""
    with ReferenceService(ServiceConfig()) as service:
        yield service


@pytest.fixture(scope="module")
def raw(running: RunningService) -> RawSender:
    account = running.accounts[0]
    return RawSender(
        running.endpoint_url, running.region, Credentials(account.access_key_id, account.secret_access_key)
    )


def address(running: RunningService) -> tuple[str, int]:
    host, port = running.endpoint_url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def exchange(running: RunningService, data: bytes) -> bytes:
    """Write ``data`` on a fresh connection, then read until the server closes it (or stops talking)."""
    with socket.create_connection(address(running), timeout=10) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
        return b"".join(chunks)


def statuses(answer: bytes) -> list[int]:
    """The status of every response in ``answer`` (a connection may carry several)."""
    found = []
    for line in answer.split(b"\r\n"):
        if line.startswith(b"HTTP/1.") and line[8:9] == b" " and line[9:12].isdigit():
            found.append(int(line[9:12]))
    return found


def assert_alive(raw: RawSender) -> None:
    assert raw.send(LIST, {}).status == 200


@pytest.mark.parametrize(("body", "page"), [(b'{"MaxResults": 5.0}', 5), (b'{"MaxResults": 1e2}', 100)])
def test_a_whole_number_written_as_a_float_is_an_integer(raw: RawSender, body: bytes, page: int) -> None:
    """JSON has one number type, and the schema's ``integer`` is any number without a fraction (JSON Schema
    2020-12): the reference, which validates with the schema, reads 5.0 as 5, never a crash."""
    answer = raw.send(LIST, body)
    assert answer.status == 200, answer.body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"MaxResults": 5.5}', "SerializationException"),
        (b'{"MaxResults": 1e400}', "SerializationException"),
        (b'{"MaxResults": 0.0}', "ValidationException"),
        (b'{"MaxResults": 1e20}', "ValidationException"),
        (b'{"MaxResults": "5"}', "SerializationException"),
    ],
)
def test_a_max_results_that_is_no_integer_in_range_is_a_client_error(raw: RawSender, body: bytes, code: str) -> None:
    answer = raw.send(LIST, body)
    assert answer.status == 400, answer.body
    assert answer.json()["__type"].rpartition("#")[2] == code


def test_a_request_nested_too_deeply_for_validation_is_a_serialization_error(raw: RawSender) -> None:
    body = b'{"Filter": ' + b'{"a": ' * 900 + b"1" + b"}" * 900 + b"}"
    answer = raw.send(LIST, body)
    assert answer.status == 400, answer.body[:300]


@pytest.mark.parametrize(
    ("method", "path", "body", "code"),
    [
        ("POST", "/b1/a", b"x", "InvalidRequest"),
        ("PUT", "/%00/", b"x", "MalformedXML"),
        ("POST", "/reference-xml-errors?delete", b"<x", "MalformedXML"),
        ("PATCH", "/reference-xml-errors", b"", "MethodNotAllowed"),
        ("PUT", "/reference-xml-errors/k?partNumber=x&uploadId=1", b"x", "InvalidRequest"),
    ],
)
def test_an_s3_request_moto_cannot_handle_is_an_s3_xml_error(
    running: RunningService, raw: RawSender, method: str, path: str, body: bytes, code: str
) -> None:
    answer = exchange(
        running,
        f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body,
    )
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert 400 <= statuses(head)[0] < 500, answer[:300]
    assert b"Content-Type: application/xml" in head
    assert payload.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' + code.encode() + b"</Code>")
    assert b"<RequestId>" in payload
    assert_alive(raw)


MEMBERS = (
    "JobId", "InputDataConfig", "OutputDataConfig", "DataAccessRoleArn", "LanguageCode", "JobName",
    "ClientRequestToken", "VolumeKmsKeyId", "VpcConfig", "Tags", "S3Uri", "InputFormat", "KmsKeyId",
    "DocumentReaderConfig", "SecurityGroupIds", "Subnets", "Key", "Value", "Filter", "JobStatus", "SubmitTimeBefore",
    "SubmitTimeAfter", "NextToken", "MaxResults",
)  # fmt: skip
PLAUSIBLE = (
    "s3://fuzz-bucket/in/", "s3://fuzz-bucket/out/", ROLE, "en", "ONE_DOC_PER_LINE", "ONE_DOC_PER_FILE",
    "COMPLETED", "IN_PROGRESS", "0123456789abcdef0123456789abcdef", "eyJhZnRlciI6IDF9", "eyJhZnRlciI6ICJ4In0=",
    "job-name", "sg-12345678", "subnet-1234", "",
)  # fmt: skip
VALID = {
    "StartSentimentDetectionJob": {
        "InputDataConfig": {"S3Uri": "s3://fuzz-bucket/in/", "InputFormat": "ONE_DOC_PER_LINE"},
        "OutputDataConfig": {"S3Uri": "s3://fuzz-bucket/out/"},
        "DataAccessRoleArn": ROLE,
        "LanguageCode": "en",
    },
    "DescribeSentimentDetectionJob": {"JobId": "0123456789abcdef0123456789abcdef"},
    "ListSentimentDetectionJobs": {"Filter": {"JobStatus": "COMPLETED"}, "MaxResults": 5},
    "StopSentimentDetectionJob": {"JobId": "0123456789abcdef0123456789abcdef"},
}
"""A valid request of each operation: the fuzz changes one member of it, so that most requests get past the parts
of validation they do not touch and reach the operation."""
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.integers(min_value=-2, max_value=600).map(float)  # whole numbers written as floats: 5.0
    | st.floats(allow_nan=False)
    | st.sampled_from(PLAUSIBLE)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(MEMBERS) | st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=10,
)


@st.composite
def one_member_changed(draw: st.DrawFn, operation: str) -> bytes:
    """The operation's valid request with one member (top-level or one level down) set to any JSON value."""
    request: dict[str, Any] = json.loads(json.dumps(VALID[operation]))
    where = request
    key = draw(st.sampled_from(list(request)) | st.sampled_from(MEMBERS))
    if isinstance(where.get(key), dict) and draw(st.booleans()):
        where = where[key]
        key = draw(st.sampled_from(list(where)) | st.sampled_from(MEMBERS))
    where[key] = draw(scalars | json_values)
    return json.dumps(request).encode()


def bodies(operation: str) -> st.SearchStrategy[bytes]:
    changed = one_member_changed(operation)
    return (
        changed
        | changed
        | changed
        | st.dictionaries(st.sampled_from(MEMBERS) | st.text(max_size=6), json_values, max_size=5).map(
            lambda value: json.dumps(value).encode()
        )
        | json_values.map(lambda value: json.dumps(value).encode())
        | st.binary(max_size=64)
        | st.sampled_from([b'{"MaxResults": 1e999}', b'{"MaxResults": -0.0}', b'{"JobId": "\\ud800"}', b"{" * 50])
    )


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_request_body_gets_a_server_error(raw: RawSender, operation: str, data: st.DataObject) -> None:
    body = data.draw(bodies(operation), label="body")
    answer = raw.send(operation, body)
    assert answer.status < 500, (answer.status, answer.body[:300])
    if answer.status >= 400:
        assert answer.json() is not None, answer.body[:300]


request_lines = st.tuples(
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", "post", ""]),
    st.sampled_from(["/", "//", "/b1", "/b1/a", "*", "http://x/", "/%00", "/%zz", "/a b", "/\u00e9"]),
    st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1", "HTTPS/1.1", "HTTP/1.1.1", ""]),
)
header_lines = st.lists(
    st.sampled_from(
        [
            "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob",
            "X-Amz-Target: Comprehend_20171127.",
            "Authorization: AWS4-HMAC-SHA256 Credential=AKIAREFERENCEACCT001/20260101/us-east-1/comprehend/"
            "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
            "X-Amz-Date: 20260101T000000Z",
            "Content-Length: 0",
            "Content-Length: 5",
            "Content-Length: -1",
            "Content-Length: 1e3",
            "Content-Length: 99999999999",
            "Content-Length: 3, 4",
            "Transfer-Encoding: chunked",
            "Transfer-Encoding: gzip",
            "Expect: 100-continue",
            "Connection: keep-alive",
            "Content-Type: application/x-amz-json-1.1",
            "Host: ",
            " folded continuation",
            "No colon here",
            ": empty name",
        ]
    ),
    max_size=5,
)
payloads = st.sampled_from([b"", b"{}", b"hello", b"0\r\n\r\n", b"5\r\nhello\r\n0\r\n\r\n", b"zz\r\n", b"\xff" * 10])


@FUZZ
@given(line=request_lines, headers=header_lines, payload=payloads)
def test_no_odd_http_gets_a_server_error(
    running: RunningService, raw: RawSender, line: tuple[str, str, str], headers: list[str], payload: bytes
) -> None:
    head = " ".join(part for part in line if part)
    data = (head + "\r\n" + "".join(f"{header}\r\n" for header in headers) + "\r\n").encode() + payload
    answer = exchange(running, data)
    assert all(status < 500 for status in statuses(answer)), answer[:400]
    assert_alive(raw)


SUBRESOURCES = (
    "acl", "tagging", "uploads", "uploadId=x", "partNumber=x", "partNumber=1", "delete", "versioning", "policy",
    "cors", "lifecycle", "website", "list-type=2", "list-type=9", "max-keys=abc", "versionId=x", "location",
    "encryption", "notification", "object-lock", "retention", "legal-hold", "restore", "select", "select-type=2",
    "continuation-token=%%", "prefix=\u00e9", "x-id=Nope",
)  # fmt: skip
s3_paths = st.tuples(
    st.sampled_from(["fuzz-bucket", "Fuzz_Bucket", "fu", "%00", "\u00e9t\u00e9", "a" * 70, ".."]),
    st.sampled_from(["", "k", "a/b", "%00", "\u00e9", "?"]),
    st.lists(st.sampled_from(SUBRESOURCES), max_size=3),
)
s3_bodies = st.sampled_from(
    [b"", b"x", b"<x", b"<Delete><Object><Key>k</Key></Object></Delete>", b"{}", b"<Tagging><TagSet/></Tagging>"]
)


@FUZZ
@given(
    method=st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS"]),
    where=s3_paths,
    body=s3_bodies,
)
def test_no_odd_s3_request_gets_a_server_error(
    running: RunningService, raw: RawSender, method: str, where: tuple[str, str, list[str]], body: bytes
) -> None:
    bucket, key, query = where
    target = f"/{bucket}/{key}" + ("?" + "&".join(query) if query else "")
    data = (
        f"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    answer = exchange(running, data)
    head = answer.partition(b"\r\n\r\n")[0]
    found = statuses(head)
    assert found, answer[:300]
    assert found[0] < 500, answer[:400]
    if found[0] >= 400 and method != "HEAD":
        assert b"xml" in head.lower() or b"application/x-amz-json-1.1" in head, answer[:400]


def test_the_server_survives_the_fuzz(raw: RawSender, running: Any) -> None:
    assert_alive(raw)
