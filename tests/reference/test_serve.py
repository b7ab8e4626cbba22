"""``comprehend-contract serve``: ready line and file, clean stop on SIGINT/SIGTERM, clear errors for bad flags."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from comprehend_contract.clients import Credentials, comprehend_client


def _serve(tmp_path: Path, *flags: str) -> tuple[subprocess.Popen[str], dict[str, object]]:
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "comprehend_contract", "serve", "--ready-file", str(ready), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"serve did not become ready: {process.communicate()}")
        time.sleep(0.05)
    return process, json.loads(ready.read_text())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_writes_ready_file_answers_and_stops_cleanly(tmp_path: Path, signum: int) -> None:
    process, ready = _serve(tmp_path, "--pace", "aws-like", "--time-scale", "0.01")
    try:
        assert set(ready) == {"endpoint_url", "s3_endpoint_url", "region", "accounts"}
        accounts = ready["accounts"]
        assert isinstance(accounts, list)
        assert len(accounts) >= 2
        assert str(ready["endpoint_url"]).startswith("http://127.0.0.1:")
        first = accounts[0]
        client = comprehend_client(
            str(ready["endpoint_url"]),
            str(ready["region"]),
            Credentials(first["access_key_id"], first["secret_access_key"]),
        )
        assert client.list_sentiment_detection_jobs()["SentimentDetectionJobPropertiesList"] == []
    finally:
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.splitlines()[0].startswith("comprehend-contract reference ready: Comprehend at http://127.0.0.1:")
    assert "Traceback" not in err
    assert not (tmp_path / "ready.json").exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--port", "70000"], "port 70000 is outside 0..65535"),
        (["--pace", "slow"], "invalid choice: 'slow'"),
        (["--time-scale", "-1"], "must be a finite number greater than 0"),
        (["--submitted-seconds", "soon"], "is not a number of seconds"),
        (["--s3-endpoint-url", "localhost:9000"], "is not an http(s) URL"),
        (["--ready-file", "/no/such/dir/ready.json"], "directory /no/such/dir does not exist"),
        (["--faults", "internal:rate=2"], "--faults: fault rate 2.0 is not between 0 and 1"),
        (["--faults", "boom"], "--faults: fault kind 'boom' is not one of internal, throttle, unavailable, delay"),
        (["--faults", "reset:when=later"], "--faults: fault when 'later' is not one of before, after"),
        (["--faults", "latency:seconds=x"], "--faults: fault rule 'latency:seconds=x': seconds 'x' is not a number"),
    ],
)
def test_serve_bad_flag_is_one_clear_error(flags: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "serve", *flags], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_is_one_clear_error(tmp_path: Path) -> None:
    process, ready = _serve(tmp_path)
    try:
        port = str(ready["endpoint_url"]).rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "comprehend_contract", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_serve_tls_writes_its_certificate_beside_the_ready_file_and_answers_https(tmp_path: Path) -> None:
    process, ready = _serve(tmp_path, "--tls")
    certificate = tmp_path / "ready.json.cert.pem"
    try:
        assert str(ready["endpoint_url"]).startswith("https://127.0.0.1:")
        assert ready["s3_endpoint_url"] == ready["endpoint_url"]
        assert ready["ca_bundle"] == str(certificate)
        accounts = ready["accounts"]
        assert isinstance(accounts, list)
        client = boto3.session.Session().client(
            "comprehend",
            endpoint_url=str(ready["endpoint_url"]),
            region_name=str(ready["region"]),
            aws_access_key_id=accounts[0]["access_key_id"],
            aws_secret_access_key=accounts[0]["secret_access_key"],
            verify=str(certificate),
        )
        assert client.list_sentiment_detection_jobs()["SentimentDetectionJobPropertiesList"] == []
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert f"certificate {certificate}" in out.splitlines()[0]
    assert not certificate.exists()
