"""Secrets never reach the terminal: exchanges are redacted when they are captured, so tracebacks, ``-l`` locals
and reprs hold no secret key, session token or request signature (reports are redacted again as a whole)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from comprehend_contract.resources import contract_tests_dir

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLESECRET"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue0123456789abcdef"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.mark.slow
def test_failures_with_locals_show_no_secret(moto_url: str, tmp_path: Path) -> None:
    """moto fails these clauses, so pytest prints long tracebacks with every frame's locals."""
    profile = tmp_path / "leaky.toml"
    profile.write_text(
        f'endpoint_url = "{moto_url}"\nregion = "us-east-1"\n'
        f'[credentials]\naccess_key_id = "AKIAEXAMPLEREDACTION"\nsecret_access_key = "{SECRET}"\n'
        f'session_token = "{TOKEN}"\n'
        '[s3]\nbucket = "redaction-bucket"\nrole_arn = "arn:aws:iam::123456789012:role/Redaction"\n'
        "create_bucket = true\n[budgets]\njob_timeout_seconds = 5\nleave_submitted_seconds = 2\n",
        encoding="utf-8",
    )
    suite = contract_tests_dir()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-p", "no:cacheprovider",
         "--target", str(profile), "--report-dir", str(tmp_path / "reports"), "-l", "--tb=long", "-vv",
         "--clause", "STOP-NOT-FOUND", "--clause", "REQ-JOBID-LENGTH", "--clause", "ERR-SHAPE", "--job-type", "Events"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, output[-3000:]
    assert "FAILED" in output, "no failure was printed: the test proves nothing"
    assert " = " in output, "no locals were printed: the test proves nothing"
    for secret in (SECRET, TOKEN):
        assert secret not in output, f"a secret reached the terminal: ...{output[output.index(secret) - 300 :][:600]}"
    signature = re.search(r"Signature=[0-9a-f]{64}", output)
    assert signature is None, f"a request signature reached the terminal: {output[signature.start() - 200 :][:400]}"
    for path in (tmp_path / "reports" / "latest").iterdir():
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text
        assert TOKEN not in text, f"the session token is in {path.name}"


SHORT_SECRET = "Zq7"
"""A secret under the length the redactor replaces by value: only its name can hide it."""


def test_secret_options_are_redacted_by_name_whatever_their_length() -> None:
    from comprehend_contract.reports import REDACTED, Redactor

    document = {
        "options": {"secret_access_key": "x", "second_secret_access_key": "ab", "bucket": "x", "region": None},
        "exchanges": [{"note": "secret_access_key = x, session_token: t"}],
    }
    redacted = Redactor(["x"])(document)
    assert redacted["options"] == {
        "secret_access_key": REDACTED,
        "second_secret_access_key": REDACTED,
        "bucket": "x",
        "region": None,
    }
    assert redacted["exchanges"][0]["note"] == f"secret_access_key = {REDACTED}, session_token: {REDACTED}"


def test_the_run_records_secret_options_redacted_and_never_shows_them() -> None:
    from comprehend_contract.core.context import RunContext
    from comprehend_contract.options import Settings
    from comprehend_contract.reports import REDACTED

    settings = Settings.of(
        endpoint_url="http://127.0.0.1:1",
        access_key_id="AKIAEXAMPLE",
        secret_access_key=SHORT_SECRET,
        second_access_key_id="AKIAEXAMPLE2",
        second_secret_access_key="b",
        bucket="some-bucket",
        role_arn="arn:aws:iam::123456789012:role/x",
    )
    assert SHORT_SECRET not in repr(settings)
    context = RunContext.create(settings)
    try:
        options = context.report_options()
        assert options["secret_access_key"] == REDACTED
        assert options["second_secret_access_key"] == REDACTED
        assert options["access_key_id"] == "AKIAEXAMPLE"
        assert SHORT_SECRET not in repr(context)
    finally:
        context.coordination.remove()


@pytest.mark.slow
def test_a_short_secret_option_reaches_no_report_snapshot_or_traceback(moto_url: str, tmp_path: Path) -> None:
    """``--secret-access-key Zq7`` (moto takes any secret): failures with locals, every report and the snapshot."""
    suite = contract_tests_dir()
    snapshot = tmp_path / "moto.snapshot.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-p", "no:cacheprovider",
         "--endpoint-url", moto_url, "--access-key-id", "AKIAEXAMPLESHORT", "--secret-access-key", SHORT_SECRET,
         "--bucket", "short-secret-bucket", "--role-arn", "arn:aws:iam::123456789012:role/Redaction",
         "--create-bucket", "true", "--report-dir", str(tmp_path / "reports"), "--record-snapshot", str(snapshot),
         "-l", "--tb=long", "-vv", "--clause", "STOP-NOT-FOUND", "--clause", "REQ-JOBID-LENGTH",
         "--job-type", "Events"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert "FAILED" in output, "no failure was printed: the test proves nothing"
    assert " = " in output, "no locals were printed: the test proves nothing"
    assert SHORT_SECRET not in output, (
        f"the secret reached the terminal: {output[output.index(SHORT_SECRET) - 300 :][:600]}"
    )
    written = [*(tmp_path / "reports" / "latest").iterdir(), snapshot]
    assert {path.name for path in written} >= {"report.json", "report.md", "junit.xml", "report.html", snapshot.name}
    for path in written:
        assert SHORT_SECRET not in path.read_text(encoding="utf-8"), f"the secret is in {path.name}"
    report = (tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8")
    assert '"secret_access_key": "***REDACTED***"' in report
