"""Preflight: each setup mistake is one error naming the fix (exit 4), a dead endpoint one error (exit 12), and an
endpoint that answers but is not Comprehend (a login page, another service) is told so."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest

from comprehend_contract.clients import Credentials
from comprehend_contract.core.preflight import NotComprehend, SetupError, check_target
from comprehend_contract.plugin import EXIT_TARGET_UNREACHABLE
from comprehend_contract.reference import ReferenceService, RunningService
from comprehend_contract.resources import contract_tests_dir
from comprehend_contract.spec.family import family
from comprehend_contract.targets import TargetProfile

LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>"
JSON_1_1 = "application/x-amz-json-1.1"


class Answer(NamedTuple):
    """A canned answer: status, content type, body, and any other headers."""

    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str] = {}


class CannedServer(http.server.ThreadingHTTPServer):
    """Answers every request with a login page, or with the canned answer of the operation its X-Amz-Target names."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Canned)
        self.answers = answers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Canned(http.server.BaseHTTPRequestHandler):
    server: CannedServer

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
        answer = self.server.answers.get(operation, Answer(200, "text/html; charset=utf-8", LOGIN_PAGE))
        self.send_response(answer.status)
        for name, value in {"Content-Type": answer.content_type, **answer.headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the answers, not the access log."""


def canned(answers: Mapping[str, Answer] | None = None) -> Iterator[CannedServer]:
    server = CannedServer(answers or {})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def login_page() -> Iterator[CannedServer]:
    """A web application's login page on every path: what a wrong port or a proxy answers."""
    yield from canned()


@pytest.fixture(scope="module")
def served() -> Iterator[RunningService]:
    with ReferenceService() as running:
        yield running


def profile(path: Path, endpoint: str, secret: str, bucket: str = "preflight-bucket", role: str = "") -> Path:
    role = role or "arn:aws:iam::111111111111:role/Preflight"
    path.write_text(
        f"""
endpoint_url = "{endpoint}"
region = "us-east-1"
[credentials]
access_key_id = "AKIAREFERENCEACCT001"
secret_access_key = "{secret}"
[s3]
bucket = "{bucket}"
role_arn = "{role}"
create_bucket = true
[budgets]
request_timeout_seconds = 1
""",
        encoding="utf-8",
    )
    return path


def run(target: Path | list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    suite = contract_tests_dir()
    command = [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-p", "no:cacheprovider", "-q"]
    command += ["--target", str(target)] if isinstance(target, Path) else target
    command += ["--report-dir", str(tmp_path / "reports"), "--clause", "STOP-NOT-FOUND"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def url_target(served: RunningService, **options: str) -> list[str]:
    """The options of an --endpoint-url target at ``served`` (each can be overridden)."""
    given = {
        "endpoint-url": served.endpoint_url,
        "access-key-id": served.accounts[0].access_key_id,
        "secret-access-key": served.accounts[0].secret_access_key,
        "bucket": "preflight-bucket",
        "role-arn": "arn:aws:iam::111111111111:role/Preflight",
        "create-bucket": "true",
    }
    given.update({name.replace("_", "-"): value for name, value in options.items()})
    return [part for name, value in given.items() for part in (f"--{name}", value)]


def assert_one_error(result: subprocess.CompletedProcess[str], code: int, says: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == code, output[-2000:]
    assert says in output, output[-2000:]
    assert len(output.strip().splitlines()) <= 4, f"more than one error's worth of output:\n{output}"
    assert "FAIL" not in output
    assert "Traceback" not in output


def test_wrong_secret_is_one_setup_error(served: RunningService, tmp_path: Path) -> None:
    result = run(profile(tmp_path / "p.toml", served.endpoint_url, "not-the-secret"), tmp_path)
    assert_one_error(result, pytest.ExitCode.USAGE_ERROR, "refused the run's credentials")


@pytest.mark.parametrize("create", ["true", "false"])
def test_invalid_bucket_name_is_one_setup_error(served: RunningService, tmp_path: Path, create: str) -> None:
    result = run(url_target(served, bucket="b1", create_bucket=create), tmp_path)
    assert_one_error(result, pytest.ExitCode.USAGE_ERROR, "bucket 'b1'")


def test_missing_bucket_says_how_to_create_it(served: RunningService, tmp_path: Path) -> None:
    result = run(url_target(served, bucket="no-such-bucket-here", create_bucket="false"), tmp_path)
    assert_one_error(result, pytest.ExitCode.USAGE_ERROR, "NoSuchBucket (set create_bucket")


def test_malformed_role_arn_is_one_setup_error(served: RunningService, tmp_path: Path) -> None:
    result = run(url_target(served, role_arn="arn:aws:iam::123:role/x"), tmp_path)
    assert_one_error(result, pytest.ExitCode.USAGE_ERROR, "role ARN 'arn:aws:iam::123:role/x'")


@pytest.mark.slow
def test_black_hole_endpoint_is_one_error_within_seconds(tmp_path: Path) -> None:
    """A server that accepts connections and never answers: no answer to the signed List, exit 12."""
    with socket.create_server(("127.0.0.1", 0), backlog=16) as hole:
        port = hole.getsockname()[1]
        result = run(profile(tmp_path / "p.toml", f"http://127.0.0.1:{port}", "secret"), tmp_path)
    assert_one_error(result, EXIT_TARGET_UNREACHABLE, "no answer from")


def direct_profile(endpoint: str, s3_endpoint: str | None = None, secret: str = "secret") -> TargetProfile:
    return TargetProfile(
        name="direct",
        kind="url",
        endpoint_url=endpoint,
        s3_endpoint_url=s3_endpoint or endpoint,
        region="us-east-1",
        credentials=Credentials("AKIAREFERENCEACCT001", secret),
        bucket="preflight-bucket",
        role_arn="arn:aws:iam::111111111111:role/Preflight",
        create_bucket=True,
    )


def test_an_html_endpoint_is_one_line_naming_what_came_back_and_exit_4(
    login_page: CannedServer, tmp_path: Path
) -> None:
    """The issue's case: a login page answering HTTP 200 to everything is no Comprehend, whatever its status."""
    result = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "run", "--endpoint-url", login_page.url,
         "--access-key-id", "AKIAEXAMPLE", "--secret-access-key", "x", "--bucket", "my-bucket",
         "--role-arn", "arn:aws:iam::123456789012:role/x", "--report-dir", str(tmp_path / "reports")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert result.stdout == "", "no session header, no clause verdicts, no summary"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"comprehend-contract: error: target '{login_page.url.removeprefix('http://')}': ")
    assert "does not answer as Amazon Comprehend: a signed ListSentimentDetectionJobs got HTTP 200, text/html" in line
    assert "'<!DOCTYPE html><html><head><title>Sign in</title>" in line
    assert "application/x-amz-json-1.1" in line, "says what was expected"
    assert "Check the endpoint URL (--endpoint-url" in line, "names the fix"
    assert not (tmp_path / "reports" / "latest").exists(), "no report: nothing was judged"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (
            Answer(200, JSON_1_1, b'{"Jobs": []}'),
            "not a ListSentimentDetectionJobs response: it has none of its members "
            "(SentimentDetectionJobPropertiesList, NextToken)",
        ),
        (Answer(200, JSON_1_1, b"[]"), "the body is not a JSON object"),
        (
            Answer(200, JSON_1_1, b'{"SentimentDetectionJobPropertiesList": 5}'),
            "SentimentDetectionJobPropertiesList: 5",
        ),
        (Answer(302, "text/html", b""), "HTTP 302 is neither a List answer nor an error"),
        (
            Answer(403, "text/html", b"<html>Forbidden</html>"),
            'an error answer that names no error code ("__type" or x-amzn-ErrorType)',
        ),
        (
            Answer(502, JSON_1_1, b'{"message": "bad gateway"}'),
            'an error answer that names no error code ("__type" or x-amzn-ErrorType)',
        ),
        (
            Answer(503, "text/html", b"<html>Service Unavailable</html>"),
            'an error answer that names no error code ("__type" or x-amzn-ErrorType)',
        ),
    ],
    ids=[
        "other-json",
        "json-array",
        "list-not-an-array",
        "redirect",
        "html-403",
        "error-without-type",
        "html-503-every-time",
    ],
)
def test_an_answer_that_is_not_a_list_answer_nor_an_aws_error_is_refused(answer: Answer, says: str) -> None:
    for server in canned({"ListSentimentDetectionJobs": answer}):
        with pytest.raises(NotComprehend) as refused:
            check_target(direct_profile(server.url), "run-1")
        assert says in str(refused.value)
        assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, JSON_1_1, b'{"SentimentDetectionJobPropertiesList": [], "NextToken": "abc"}'),
        Answer(200, JSON_1_1, b"{}"),
        Answer(200, "application/json", b'{"SentimentDetectionJobPropertiesList": []}'),
        Answer(200, "text/html; charset=utf-8", b'{"SentimentDetectionJobPropertiesList": []}'),
        Answer(200, JSON_1_1, b'{"SentimentDetectionJobPropertiesList": [{"SubmitTime": "not a number"}]}'),
        Answer(400, JSON_1_1, b'{"__type": "com.amazon.coral.service#UnknownOperationException", "message": "no"}'),
        Answer(500, JSON_1_1, b'{"__type": "Boom", "message": "it broke"}'),
        Answer(400, JSON_1_1, b'{"__type": "ThrottlingException", "message": "slow down"}'),
        Answer(400, JSON_1_1, b'{"message": "no"}', {"x-amzn-ErrorType": "UnknownOperationException"}),
    ],
    ids=[
        "list-with-next-token",
        "empty-list-left-out",
        "json-content-type",
        "json-labelled-html-as-moto-does",
        "job-that-breaks-a-clause",
        "unknown-operation",
        "named-500",
        "throttled-every-time",
        "error-named-in-its-header-only",
    ],
)
def test_a_list_answer_or_an_aws_error_is_comprehend_for_the_suite_to_judge(answer: Answer) -> None:
    """The preflight asks whether this is Comprehend, not whether it conforms: a label, a job's members or an error
    are the clauses' to judge (PROTO-CONTENT-TYPE, PROTO-TIMESTAMPS, ERR-INTERNAL...). Its S3 is the login page."""
    for server in canned({"ListSentimentDetectionJobs": answer}):
        with pytest.raises(SetupError) as refused:
            check_target(direct_profile(server.url), "run-1", [family().seed])
        assert "does not answer as S3" in str(refused.value), "the List answer was accepted; S3 was not"


def test_every_selected_job_type_is_asked_and_the_one_that_is_not_comprehend_is_named(served: RunningService) -> None:
    """The family's seven Lists by default, Sentiment first: here only KeyPhrases' answer is a login page."""
    listed = {
        job_type.list: Answer(200, JSON_1_1, json.dumps({job_type.list_member: []}).encode()) for job_type in family()
    }
    del listed["ListKeyPhrasesDetectionJobs"]
    for server in canned(listed):
        profile = direct_profile(server.url, served.s3_endpoint_url, served.accounts[0].secret_access_key)
        with pytest.raises(NotComprehend, match="a signed ListKeyPhrasesDetectionJobs got HTTP 200, text/html"):
            check_target(profile, "run-1")
        others = [job_type for job_type in family() if job_type.name != "KeyPhrases"]
        check_target(profile, "run-1", others)


def test_an_s3_endpoint_that_does_not_return_the_probe_is_one_error(
    served: RunningService, login_page: CannedServer, tmp_path: Path
) -> None:
    """The S3 probe compares what it reads back with what it wrote: a login page accepts every PUT."""
    path = tmp_path / "p.toml"
    profile(path, served.endpoint_url, served.accounts[0].secret_access_key)
    text = path.read_text(encoding="utf-8").replace(
        'region = "us-east-1"', f'region = "us-east-1"\ns3_endpoint_url = "{login_page.url}"'
    )
    path.write_text(text, encoding="utf-8")
    result = run(path, tmp_path)
    assert_one_error(result, pytest.ExitCode.USAGE_ERROR, f"{login_page.url} does not answer as S3: the probe object")
    assert "read back as 90 bytes '<!DOCTYPE html>" in result.stderr
    assert "Check the S3 endpoint URL (--s3-endpoint-url, or s3_endpoint_url in the profile)" in result.stderr
