"""``--target aws`` end to end, over TLS, through botocore's own configuration only.

The reference serves HTTPS (``serve --tls``, a self-signed certificate written beside its ready file); the run
reaches it as it would reach AWS: ``AWS_ENDPOINT_URL`` (botocore's endpoint setting, for boto3 and for the kit's raw
sender alike), ``AWS_CA_BUNDLE``, credentials and region from the environment, and empty config and credentials
files so that nothing of this machine's AWS setup takes part. The whole aws code path runs on every CI run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CLAUSES = ("STOP-NOT-FOUND", "AUTH-REQUIRED")
ONE_UNKNOWN_ID = "not test_stop_on_unknown_job or hex32"
"""STOP-NOT-FOUND's unknown ids but one: at AWS's quota of one Stop a second per type, each costs a second."""


@pytest.fixture
def served_over_tls(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """``comprehend-contract serve --tls`` in its own process: its ready document (with ``ca_bundle``)."""
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "comprehend_contract", "serve", "--tls", "--ready-file", str(ready)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"serve --tls did not become ready: {process.communicate()}")
            time.sleep(0.05)
        yield json.loads(ready.read_text())
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert not (tmp_path / "ready.json.cert.pem").exists(), "serve removes its certificate when it stops"


def aws_environment(ready: dict[str, Any], work: Path) -> dict[str, str]:
    """This process's environment without any AWS, proxy, pytest or kit setting, plus what reaches the reference
    the way a user reaches AWS."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "COMPREHEND_CONTRACT_", "PYTEST_", "BOTO_"))
        and name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    (work / "aws-config").write_text("")
    (work / "aws-credentials").write_text("")
    first = ready["accounts"][0]
    return {
        **kept,
        "AWS_CONFIG_FILE": str(work / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(work / "aws-credentials"),
        "AWS_ENDPOINT_URL": ready["endpoint_url"],
        "AWS_CA_BUNDLE": ready["ca_bundle"],
        "AWS_ACCESS_KEY_ID": first["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": first["secret_access_key"],
        "AWS_REGION": ready["region"],
        "AWS_DEFAULT_REGION": ready["region"],  # botocore reads this one; AWS_REGION is what other SDKs read
        "NO_PROXY": "127.0.0.1,localhost",
        "COMPREHEND_CONTRACT_BUCKET": "cc-aws-target-selftest",
        "COMPREHEND_CONTRACT_ROLE_ARN": "arn:aws:iam::111111111111:role/X",
        "COMPREHEND_CONTRACT_CREATE_BUCKET": "true",
        "COMPREHEND_CONTRACT_REQUESTS_PER_SECOND": "50",
        "COMPREHEND_CONTRACT_QUOTA_SHARE": "1",  # Start and Stop still at 1 a second per type, as on AWS
        "COMPREHEND_CONTRACT_JOB_TYPE": "Sentiment,Events",
        "COMPREHEND_CONTRACT_JOB_TIMEOUT": "60",
    }


@pytest.mark.slow
def test_aws_target_runs_against_a_tls_reference_through_botocore_configuration(
    served_over_tls: dict[str, Any], tmp_path: Path
) -> None:
    ready = served_over_tls
    assert str(ready["endpoint_url"]).startswith("https://127.0.0.1:")
    assert Path(ready["ca_bundle"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    reports = tmp_path / "reports"
    selected = [argument for clause in CLAUSES for argument in ("--clause", clause)]
    result = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "run", "--target", "aws", "--", "-q", *selected,
         "-k", ONE_UNKNOWN_ID, "--report-dir", str(reports)],
        env=aws_environment(ready, tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    [report_file] = [found for found in reports.glob("*/report.json") if not found.parent.is_symlink()]
    report = json.loads(report_file.read_text())
    verdicts = {clause["id"]: clause["verdict"] for clause in report["clauses"]}
    assert {clause: verdicts[clause] for clause in CLAUSES} == dict.fromkeys(CLAUSES, "PASS")
    assert report["gate"]["passed"] is True
