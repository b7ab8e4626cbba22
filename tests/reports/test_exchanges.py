"""Each exchange as people read it, and its replay: a one-line curl with the exact body and headers, no secret."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from comprehend_contract.reports.exchanges import reproduction, request_text, response_text
from tests.reports.support import EXCHANGE

TARGET = {"endpoint_url": "http://127.0.0.1:1", "region": "eu-west-1"}
AWKWARD_BODY = '{"JobId": "it\'s\n$(touch /tmp/pwned) `x` \\"q\\" é \\u0000"}'
"""A raw body with a quote, a line break, shell syntax, backslashes and non-ASCII: all must reach the wire as is."""


def arguments(command: str, env: dict[str, str] | None = None) -> list[str]:
    """The arguments bash passes to curl when it runs ``command`` (curl replaced by a function that prints them)."""
    printed = subprocess.run(
        ["bash", "-c", "curl() { printf '%s\\0' \"$@\"; }\n" + command],
        capture_output=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
    ).stdout
    return printed.decode().split("\0")[:-1]


def test_the_replay_is_one_line_that_bash_turns_into_the_exact_body_and_headers() -> None:
    exchange = {**EXCHANGE, "request": AWKWARD_BODY}
    replay = reproduction(exchange, TARGET)
    assert "\n" not in replay.command
    env = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s3cr3t", "AWS_SESSION_TOKEN": "tok"}
    args = arguments(replay.command, env)
    assert args[args.index("--data-binary") + 1] == AWKWARD_BODY
    assert args[args.index("--aws-sigv4") + 1] == "aws:amz:eu-west-1:comprehend"
    assert args[args.index("--user") + 1] == "AKIDEXAMPLE:s3cr3t", "credentials come from the reader's environment"
    headers = [args[i + 1] for i, arg in enumerate(args) if arg == "-H"]
    assert headers == [
        "X-Amz-Security-Token: tok",
        "Content-Type: application/x-amz-json-1.1",
        "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob",
    ]
    assert args[-1] == "http://127.0.0.1:1/"
    assert not os.path.exists("/tmp/pwned")


def test_the_replay_leaves_out_every_signing_header_and_says_curl_signs_again() -> None:
    replay = reproduction(EXCHANGE, TARGET)
    for secret_bearing in ("Authorization", "X-Amz-Date", "REDACTED", "Signature=", "Credential="):
        assert secret_bearing not in replay.command
    assert "--aws-sigv4" in replay.command


def test_an_unsigned_request_is_replayed_unsigned_and_a_badly_signed_one_says_so() -> None:
    unsigned = reproduction({**EXCHANGE, "refusal": "unsigned"}, TARGET)
    assert "--aws-sigv4" not in unsigned.command
    assert "--user" not in unsigned.command
    corrupt = reproduction({**EXCHANGE, "refusal": "corrupt-signature"}, TARGET)
    assert "--aws-sigv4" in corrupt.command
    assert any("deliberately signed wrong (corrupt-signature)" in note for note in corrupt.notes)


def test_a_boto3_exchange_shows_the_headers_botocore_sends() -> None:
    exchange = {**EXCHANGE, "transport": "boto3", "request_headers": {}}
    text = request_text(exchange)
    assert text.startswith("POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\n")
    assert "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob" in text
    assert text.endswith('\n\n{"JobId": "x"}')
    assert "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob" in arguments(
        reproduction(exchange, TARGET).command
    )


@pytest.mark.parametrize(
    ("target", "url"),
    [
        ({"endpoint_url": None, "region": "ap-south-1"}, "https://comprehend.ap-south-1.amazonaws.com/"),
        ({"endpoint_url": "http://localhost:4599/", "region": "us-east-1"}, "http://localhost:4599/"),
        ({"endpoint_url": "embedded, one per pytest process", "region": "us-east-1"}, "http://set.example/"),
    ],
)
def test_the_replay_goes_to_the_run_s_endpoint(target: dict[str, Any], url: str) -> None:
    args = arguments(reproduction(EXCHANGE, target).command, {"ENDPOINT_URL": "http://set.example"})
    assert args[-1] == url


def test_the_response_reads_as_an_http_message() -> None:
    assert response_text(EXCHANGE).startswith("HTTP/1.1 500\ncontent-type: text/html\n\n<html>")


class Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Recorder.seen.append((self.command, self.path, dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def recorder() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_replay_run_by_curl_sends_the_exact_request_signed_again(recorder: str) -> None:
    """With curl installed, the replay really runs: the server sees the same body and headers, newly signed."""
    exchange = {**EXCHANGE, "request": AWKWARD_BODY}
    command = reproduction(exchange, {"endpoint_url": recorder, "region": "eu-west-1"}).command
    env = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s3cr3t", "AWS_SESSION_TOKEN": "tok"}
    if shutil.which("curl") is None:
        assert arguments(command, env)[-1] == recorder + "/"
        return
    subprocess.run(["bash", "-c", command], check=True, capture_output=True, timeout=30, env={**os.environ, **env})
    ((method, path, headers, body),) = Recorder.seen
    assert (method, path) == ("POST", "/")
    assert body == AWKWARD_BODY.encode()
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["X-Amz-Target"] == "Comprehend_20171127.StopSentimentDetectionJob"
    assert headers["X-Amz-Security-Token"] == "tok"
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/eu-west-1/comprehend/aws4_request" in headers["Authorization"]
