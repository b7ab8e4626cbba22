"""Nothing is lost: no job left running, no object left (or touched) outside the run's prefix, budgets obeyed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, s3_client
from comprehend_contract.mutants.zoo import write_profile
from comprehend_contract.reference import (
    Behaviour,
    Call,
    FaultPlan,
    Proceed,
    ReferenceService,
    ServiceConfig,
    invalid_request,
)
from comprehend_contract.resources import contract_tests_dir
from comprehend_contract.spec.lifecycle import END_STATES, JobStatus


def run(profile: Path, report_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    suite = contract_tests_dir()
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-q", "-p", "no:cacheprovider",
         "--target", str(profile), "--report-dir", str(report_dir), *args],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def run_against(config: ServiceConfig, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The suite against a reference of ``config``, served in this process for that run, reports under
    ``tmp_path/reports``."""
    service = ReferenceService(config)
    service.start()
    try:
        profile = tmp_path / "target.toml"
        write_profile(profile, service)
        return run(profile, tmp_path / "reports", *args)
    finally:
        service.close()


@pytest.fixture
def service() -> Any:
    reference = ReferenceService()
    reference.start()
    yield reference
    reference.close()


def _keys(s3: Any, bucket: str) -> list[str]:
    return [obj["Key"] for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


@pytest.mark.parametrize("keep", [False, True], ids=["cleaned", "keep-artifacts"])
def test_run_stops_its_jobs_and_removes_only_its_own_objects(service: Any, tmp_path: Path, keep: bool) -> None:
    running = service.running
    account = running.accounts[0]
    s3 = s3_client(
        running.s3_endpoint_url, running.region, Credentials(account.access_key_id, account.secret_access_key)
    )
    bucket = f"hygiene-{'keep' if keep else 'clean'}-bucket"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="someone-else/precious.txt", Body=b"not the suite's")
    s3.put_object(Bucket=bucket, Key="comprehend-contract/not-a-run/also-precious.txt", Body=b"nor this")
    profile = tmp_path / "hygiene.toml"
    write_profile(profile, service, bucket)
    result = run(profile, tmp_path / "reports", "--clause", "STOP-OUTPUT", "--clause", "STOP-SUBMITTED",
                 *(["--keep-artifacts"] if keep else []))  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    left = _keys(s3, bucket)
    assert "someone-else/precious.txt" in left
    assert "comprehend-contract/not-a-run/also-precious.txt" in left
    run_keys = [key for key in left if key.startswith("comprehend-contract/run-")]
    assert bool(run_keys) is keep, left
    for job in service.jobs.all_jobs():
        assert job.status in END_STATES or job.status is JobStatus.STOP_REQUESTED, f"{job.job_id} left {job.status}"


def test_max_jobs_caps_the_run_and_the_rest_is_not_exercised(service: Any, tmp_path: Path) -> None:
    profile = tmp_path / "capped.toml"
    write_profile(profile, service)
    result = run(profile, tmp_path / "reports", "-m", "scenario", "--max-jobs", "2")
    assert "comprehend-contract plan: 42 job(s) to start up front for 7 job type(s)" in result.stdout
    assert "capped at 2 by --max-jobs" in result.stdout
    report = json.loads((tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["jobs_started"] == 2
    assert len(service.jobs.all_jobs()) == 2
    reasons = [c["reason"] for c in report["clauses"] if c["verdict"] == "NOT_EXERCISED"]
    assert any("--max-jobs allows no further job" in reason for reason in reasons), reasons
    assert not [c["id"] for c in report["clauses"] if c["verdict"] == "FAIL"]


def test_a_start_that_gets_no_job_is_not_counted_as_a_job_started(tmp_path: Path) -> None:
    """A target that refuses every Start: the drivers tried, but no job exists, and the summary says so."""

    def refuse_starts(call: Call, proceed: Proceed) -> dict[str, Any]:
        if call.operation == "StartSentimentDetectionJob":
            raise invalid_request("no jobs today")
        return proceed()

    config = ServiceConfig(behaviour=Behaviour(operation=refuse_starts))
    result = run_against(config, tmp_path, "-m", "scenario", "--clause", "STOP-COMPLETED")
    lines = [line for line in result.stdout.splitlines() if line.startswith("jobs the run started: ")]
    assert lines, result.stdout[-3000:]
    assert re.fullmatch(r"jobs the run started: 0 \(the state drivers sent [1-9]\d* Start request\(s\)\)", lines[0])
    report = json.loads((tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["jobs_started"] == 0


def test_transient_answers_are_retried_counted_in_the_report_and_never_judged(tmp_path: Path) -> None:
    """A target that throttles half its requests: the gate still passes, and report.json, report.md and the
    terminal say how many transient answers the run rode through."""
    config = ServiceConfig(faults=FaultPlan.of(["throttle:rate=0.5"], seed=3))
    result = run_against(config, tmp_path, "--clause", "STOP-NOT-FOUND", "--job-type", "Sentiment")
    assert result.returncode == 0, result.stdout[-3000:]
    report = json.loads((tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    retried = report["run"]["transient_retried"]
    assert retried["answers"] >= 2, retried
    assert retried["throttles"] == retried["answers"], "every transient answer here was a throttle"
    assert f"transient answers retried, never judged: {retried['answers']} (" in result.stdout
    markdown = (tmp_path / "reports" / "latest" / "report.md").read_text(encoding="utf-8")
    assert f"Transient answers retried (never judged): {retried['answers']}," in markdown
