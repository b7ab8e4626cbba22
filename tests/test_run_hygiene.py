"""Nothing is lost: no job left running, no object left (or touched) outside the run's prefix, budgets obeyed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
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


KILLER = '''
"""Kills this pytest-xdist worker (SIGKILL, as an out-of-memory killer would), once per run (a mark file says so):
during collection (KILL_IN_COLLECTION), in a test (KILL_IN_TEST: a node id's part), just after a test's report went
to the controller (KILL_AFTER_REPORT), or just after a scenario's job started (KILL_AFTER_START: its label)."""
import os
import signal
import time
from pathlib import Path


WORKER = []  # whether this process is an xdist worker (not its controller, which may inherit a worker's variables)


def _die(where):
    mark = Path(os.environ["KILL_MARK"])
    if WORKER and not mark.exists():
        mark.write_text(where, encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)


def pytest_configure(config):
    from comprehend_contract.drivers import scenarios

    if hasattr(config, "workerinput"):
        WORKER.append(True)

    started = scenarios.Driver.start

    def start(self, documents, label):
        job_id = started(self, documents, label)
        if label == os.environ.get("KILL_AFTER_START"):
            _die(job_id)
        return job_id

    scenarios.Driver.start = start


def pytest_collection(session):
    if os.environ.get("KILL_IN_COLLECTION"):
        _die("collection")


def _named(variable, nodeid):
    part = os.environ.get(variable)
    return bool(part) and part in nodeid


def pytest_runtest_call(item):
    if _named("KILL_IN_TEST", item.nodeid):
        _die(item.nodeid)


def pytest_runtest_logfinish(nodeid, location):
    if _named("KILL_AFTER_REPORT", nodeid):
        time.sleep(1.0)  # the test's last report is on its way to the controller; xdist's "done" is not sent yet
        _die(nodeid)
'''


def run_killing_a_worker(service: Any, tmp_path: Path, how: dict[str, str], *args: str) -> Any:
    """The suite with a plugin that kills a worker once (``how``: see ``KILLER``), its bucket ``killed-bucket``;
    ``-n 2`` unless ``args`` say otherwise."""
    (tmp_path / "killer.py").write_text(KILLER, encoding="utf-8")
    write_profile(tmp_path / "target.toml", service, "killed-bucket")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "KILL_MARK": str(tmp_path / "killed"), **how}
    suite = contract_tests_dir()
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-q", "-p", "no:cacheprovider",
         "-p", "killer", "--target", str(tmp_path / "target.toml"), "--report-dir", str(tmp_path / "reports"),
         "-n", "2", *args],
        capture_output=True, text=True, timeout=300, check=False, env=env,
    )  # fmt: skip


def _report(tmp_path: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    return report


def _objects_left(service: Any) -> list[str]:
    running = service.running
    account = running.accounts[0]
    credentials = Credentials(account.access_key_id, account.secret_access_key)
    return _keys(s3_client(running.s3_endpoint_url, running.region, credentials), "killed-bucket")


def test_a_test_whose_worker_dies_is_incomplete_and_the_gate_fails(service: Any, tmp_path: Path) -> None:
    """xdist reports a test whose worker died as failed, with no record of ours: it is not judged (a crash is not
    a verdict), and the run is incomplete, so its gate cannot pass."""
    how = {"KILL_IN_TEST": "test_stop_on_unknown_job_is_job_not_found[StopSentimentDetectionJob-hex32-raw]"}
    result = run_killing_a_worker(service, tmp_path, how, "--clause", "STOP-NOT-FOUND", "--job-type", "Sentiment")
    assert (tmp_path / "killed").exists(), "the worker was not killed"
    assert result.returncode == 1, result.stdout[-3000:]
    report = _report(tmp_path)
    assert report["gate"]["passed"] is False
    assert report["gate"]["incomplete"] == [f"test_unknown_job.py::{how['KILL_IN_TEST']}"]
    test = next(t for t in report["tests"] if t["nodeid"] == report["gate"]["incomplete"][0])
    assert test["clauses"] == ["STOP-NOT-FOUND"], test
    assert test["operation"] == "StopSentimentDetectionJob"
    assert re.match(r"incomplete: not judged: worker 'gw\d' crashed while running it", test["message"]), test
    assert "gate: FAILED: 1 test(s) incomplete" in result.stdout


def test_a_worker_killed_just_after_a_test_reported_leaves_that_test_judged(service: Any, tmp_path: Path) -> None:
    """Killed between its test's last report and xdist's note that the test is done: xdist reports the test as
    crashed too, but its record came first, so it stays judged, and the run (which lost no test) passes."""
    how = {"KILL_AFTER_REPORT": "test_stop_on_unknown_job_is_job_not_found[StopSentimentDetectionJob-hex32-raw]"}
    result = run_killing_a_worker(service, tmp_path, how, "--clause", "STOP-NOT-FOUND", "--job-type", "Sentiment")
    assert (tmp_path / "killed").exists(), "the worker was not killed"
    report = _report(tmp_path)
    assert report["gate"]["incomplete"] == [], report["gate"]
    test = next(t for t in report["tests"] if how["KILL_AFTER_REPORT"] in t["nodeid"])
    assert test["outcome"] == "passed", test
    assert result.returncode == 0, result.stdout[-3000:]


def test_tests_never_run_after_the_last_worker_died_are_incomplete(service: Any, tmp_path: Path) -> None:
    """With one worker and no restart, the tests after the one it died in never run: each is incomplete (not
    left out as if the run had not selected it), so its clause is not said to have no test."""
    how = {"KILL_IN_TEST": "test_stop_on_unknown_job_is_job_not_found[StopSentimentDetectionJob-hex32-raw]"}
    args = ["--clause", "STOP-NOT-FOUND", "--job-type", "Sentiment", "-n", "1", "--max-worker-restart", "0"]
    result = run_killing_a_worker(service, tmp_path, how, *args)
    assert result.returncode != 0, result.stdout[-3000:]
    report = _report(tmp_path)
    tests = {t["nodeid"]: t for t in report["tests"]}
    assert len(tests) == 12, sorted(tests)
    never = [t for t in tests.values() if t["message"].startswith("incomplete: not run: the run lost its worker")]
    assert never, report["tests"]
    assert sorted(report["gate"]["incomplete"]) == sorted(
        nodeid for nodeid, t in tests.items() if t["outcome"] == "skipped"
    )
    assert all(t["clauses"] == ["STOP-NOT-FOUND"] for t in never), never


def test_a_run_whose_workers_died_before_any_test_still_reports(service: Any, tmp_path: Path) -> None:
    """The only worker dies as it collects and may not be replaced: the run still writes its report, which says
    why no test ran, and its gate fails."""
    args = ["--clause", "STOP-NOT-FOUND", "--job-type", "Sentiment", "-n", "1", "--max-worker-restart", "0"]
    result = run_killing_a_worker(service, tmp_path, {"KILL_IN_COLLECTION": "1"}, *args)
    assert result.returncode != 0, result.stdout[-3000:]
    report = _report(tmp_path)
    assert report["gate"]["passed"] is False
    assert "its workers died before any test ran (gw0)" in str(report["gate"]["interrupted"]), report["gate"]
    assert "workers lost: gw0 died during the run" in result.stdout


def test_a_scenario_whose_worker_dies_runs_again_elsewhere_and_its_job_is_stopped(service: Any, tmp_path: Path) -> None:
    """The worker running a scenario dies just after its job started, and xdist starts no other: a test that
    waits for the scenario in the surviving worker claims it (the dead one's lock went with it) and runs it afresh;
    at the run's end the orphaned job is stopped and waited for (its partial output lands), then the dead worker's
    S3 folder is emptied; the run finishes."""
    how = {"KILL_AFTER_START": "isolation"}
    result = run_killing_a_worker(
        service, tmp_path, how, "--clause", "TYPE-ISOLATION", "--clause", "AUTH-ISOLATION", "--job-type", "Sentiment",
        "--max-worker-restart", "0",
    )  # fmt: skip
    orphan = (tmp_path / "killed").read_text(encoding="utf-8")
    jobs = {job.job_id: job for job in service.jobs.all_jobs()}
    assert orphan in jobs, f"the orphan {orphan} is not among the jobs {sorted(jobs)}"
    assert len(jobs) == 2, f"expected the orphan and one fresh job: {sorted(jobs)}"
    assert jobs[orphan].status in END_STATES, f"the orphan was not waited for: {jobs[orphan]}"
    assert all(job.stop_requested or job.status in END_STATES for job in jobs.values()), jobs
    said = " ".join(result.stdout.split())
    assert re.search(r"workers lost: gw\d died during the run; .* emptied their S3 folders", said), said[-3000:]
    assert _objects_left(service) == []
    time.sleep(1.5)  # the fast pace's stop takes 1 s: nothing may land after the run
    assert _objects_left(service) == []
    report = _report(tmp_path)
    verdict = next(c for c in report["clauses"] if c["id"] == "TYPE-ISOLATION")["verdict"]
    if report["gate"]["incomplete"]:  # the worker died inside a test: that test is not judged
        assert result.returncode == 1, result.stdout[-3000:]
    else:
        assert result.returncode == 0, result.stdout[-3000:]
        assert verdict == "PASS", result.stdout[-3000:]


def test_a_lost_worker_s_folder_is_kept_with_keep_artifacts_and_the_run_says_so(service: Any, tmp_path: Path) -> None:
    how = {"KILL_AFTER_START": "isolation"}
    args = ["--clause", "TYPE-ISOLATION", "--job-type", "Sentiment", "--max-worker-restart", "0", "--keep-artifacts"]
    result = run_killing_a_worker(service, tmp_path, how, *args)
    said = " ".join(result.stdout.split())
    assert "kept their S3 folders (--keep-artifacts)" in said, said[-3000:]
    assert "emptied" not in said
    assert _objects_left(service), "--keep-artifacts kept nothing"
