"""An interrupted run: stops its jobs, removes its objects, writes a report whose gate fails, exits 130/143.

``comprehend-contract run`` against a served reference whose jobs take seconds (aws-like pace), interrupted while
they run: by SIGINT (Ctrl-C), SIGTERM (a CI runner), SIGKILL of the command (its pytest notices), and SIGKILL of
everything (``comprehend-contract cleanup`` then finds what was left by the run id).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, comprehend_client, s3_client
from comprehend_contract.mutants.zoo import write_profile
from comprehend_contract.reference import Pace, ReferenceService, ServiceConfig

RUNNING = ("SUBMITTED", "IN_PROGRESS")
PYTEST_LAST_LINE = re.compile(r"^(=+ )?[^\n]*\b(passed|failed|deselected|no tests ran)\b[^\n]* in [0-9.]+s\b", re.M)
"""pytest's last line (``==== 1 passed in 2.10s ====``, without the rules under ``-q``): the suite has finished."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ReferenceService, Path, str]]:
    service = ReferenceService(ServiceConfig(pace=Pace.preset("aws-like", 0.02)))
    service.start()
    profile = tmp_path / "slow.toml"
    bucket = write_profile(profile, service)
    try:
        yield service, profile, bucket
    finally:
        service.close()


def start_run(service: ReferenceService, profile: Path, tmp_path: Path) -> subprocess.Popen[str]:
    """The suite, against ``service``, once its jobs have started (each stays SUBMITTED about 5 s at this pace)."""
    command = [sys.executable, "-m", "comprehend_contract", "run", "--target", str(profile)]
    command += ["--", "-q", "--report-dir", str(tmp_path / "reports"), "-m", "scenario"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_for_jobs(service, run)
    return run


def wait_for_jobs(service: ReferenceService, run: subprocess.Popen[str], count: int = 3) -> None:
    deadline = time.monotonic() + 90
    while sum(leftovers(service, "")[0].values()) < count:
        assert run.poll() is None, "the run ended before its jobs started"
        assert time.monotonic() < deadline, "the run's jobs did not start within 90 s"
        time.sleep(0.1)


def leftovers(service: ReferenceService, bucket: str) -> tuple[Counter[str], list[str]]:
    """The statuses of the served reference's jobs, and the objects in ``bucket`` (none asked for: "")."""
    running = service.running
    assert running is not None
    first = running.accounts[0]
    keys = Credentials(first.access_key_id, first.secret_access_key)
    jobs = comprehend_client(running.endpoint_url, running.region, keys).list_sentiment_detection_jobs()
    statuses = Counter(job["JobStatus"] for job in jobs["SentimentDetectionJobPropertiesList"])
    if not bucket:
        return statuses, []
    objects = s3_client(running.s3_endpoint_url, running.region, keys).list_objects_v2(Bucket=bucket)
    return statuses, [item["Key"] for item in objects.get("Contents", [])]


def orphan_log(tmp_path: Path) -> str:
    """The log of a suite whose ``run`` was killed, once the suite has finished writing it (pytest's last line)."""
    path = tmp_path / "reports" / "latest" / "run.log"
    deadline = time.monotonic() + 90
    while not (path.exists() and PYTEST_LAST_LINE.search(path.read_text(encoding="utf-8"))):
        assert time.monotonic() < deadline, "the orphaned suite did not finish within 90 s"
        time.sleep(0.2)
    return path.read_text(encoding="utf-8")


def report_of(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_cleans_up_and_does_not_pass(
    served: tuple[ReferenceService, Path, str], tmp_path: Path, signum: int, code: int
) -> None:
    service, profile, bucket = served
    run = start_run(service, profile, tmp_path)
    run.send_signal(signum)
    output, _ = run.communicate(timeout=120)
    assert run.returncode == code, output[-3000:]
    statuses, objects = leftovers(service, bucket)
    assert statuses, "no job was started before the interrupt: the test proves nothing"
    assert not set(statuses) & set(RUNNING), f"jobs left running: {statuses}"
    assert objects == [], f"objects left under the run prefix: {objects}"
    report = report_of(tmp_path)
    assert report["gate"]["passed"] is False
    assert f"interrupted by {signal.Signals(signum).name}" in report["gate"]["interrupted"]


@pytest.mark.slow
def test_killed_command_leaves_its_suite_to_clean_up(
    served: tuple[ReferenceService, Path, str], tmp_path: Path
) -> None:
    """SIGKILL to ``comprehend-contract run``: its pytest process notices and ends the run as interrupted."""
    service, profile, bucket = served
    run = start_run(service, profile, tmp_path)
    run.kill()
    run.communicate(timeout=30)
    orphan_log(tmp_path)
    statuses, objects = leftovers(service, bucket)
    assert statuses, "no job was started before the kill: the test proves nothing"
    assert not set(statuses) & set(RUNNING), f"jobs left running: {statuses}"
    assert objects == []
    assert "has gone away" in report_of(tmp_path)["gate"]["interrupted"]


@pytest.mark.slow
def test_a_killed_commands_suite_writes_to_its_log_not_to_the_terminal(
    served: tuple[ReferenceService, Path, str], tmp_path: Path
) -> None:
    """The shell has its prompt back once ``run`` is killed: the orphaned suite's cleanup goes to ``run.log``.

    One clause and one type, whose only test waits for a job to run (SUBMITTED for about 5 s at this pace), so that
    no test can end, and print, between the kill and the suite noticing it (at most half a second)."""
    service, profile, bucket = served
    terminal = tmp_path / "terminal.txt"
    command = [sys.executable, "-m", "comprehend_contract", "run", "--target", str(profile), "--clause",
               "STOP-IN-PROGRESS", "--job-type", "Sentiment", "--report-dir", str(tmp_path / "reports")]  # fmt: skip
    with terminal.open("w", encoding="utf-8") as stream:
        run = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, text=True)
        wait_for_jobs(service, run, count=1)
        before_the_kill = terminal.read_text(encoding="utf-8")
        run.kill()
        run.wait(timeout=30)
    log = orphan_log(tmp_path)
    assert terminal.read_text(encoding="utf-8") == before_the_kill, "the orphaned suite wrote to the terminal"
    first = log.splitlines()[0]
    assert first.startswith("comprehend-contract: "), log[:300]
    assert "comprehend-contract run (pid " in first
    assert "has gone away" in first
    assert "stopped 1 of the run's 1 job(s)" in log, log
    assert re.search(r"removed \d+ object\(s\) under s3://" + re.escape(bucket), log), log
    assert "gate: FAILED: comprehend-contract run, which started this run, has gone away" in log
    assert "report: " in log
    statuses, objects = leftovers(service, bucket)
    assert not set(statuses) & set(RUNNING), f"jobs left running: {statuses}"
    assert objects == []


@pytest.mark.slow
def test_cleanup_finds_what_a_killed_run_left_by_its_run_id(
    served: tuple[ReferenceService, Path, str], tmp_path: Path
) -> None:
    """SIGKILL to everything (a lost runner): the run id is all that is left, and enough."""
    service, profile, bucket = served
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--target", str(profile)]
    command += ["--report-dir", str(tmp_path / "reports"), "-m", "scenario", "-s", "--log-cli-level=CRITICAL"]
    from comprehend_contract.resources import contract_tests_dir

    suite = contract_tests_dir()
    temporary = {**os.environ, "TMPDIR": str(tmp_path)}  # what a killed run cannot remove stays in the test's own
    run = subprocess.Popen([*command, str(suite), "--rootdir", str(suite)], start_new_session=True, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=temporary)  # fmt: skip
    wait_for_jobs(service, run)
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate(timeout=30)
    statuses, objects = leftovers(service, bucket)
    assert set(statuses) & set(RUNNING), f"nothing left running to clean up: {statuses}"
    run_ids = {key.split("/")[1].removeprefix("run-") for key in objects}
    assert len(run_ids) == 1, objects
    cleaned = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "cleanup", "--run-id", run_ids.pop(), "--target", str(profile)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert "stopped" in cleaned.stdout
    statuses, objects = leftovers(service, bucket)
    assert not set(statuses) & set(RUNNING), f"jobs left running after cleanup: {statuses}"
    assert objects == [], objects
