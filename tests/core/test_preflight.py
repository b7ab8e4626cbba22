"""Preflight: each setup mistake is one error naming the fix (exit 4), a dead endpoint one error (exit 12)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from comprehend_contract.plugin import EXIT_TARGET_UNREACHABLE
from comprehend_contract.reference import ReferenceService, RunningService
from comprehend_contract.resources import contract_tests_dir


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
