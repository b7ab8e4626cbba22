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
         "--clause", "STOP-NOT-FOUND", "--clause", "REQ-JOBID-LENGTH", "--clause", "ERR-SHAPE"],
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
