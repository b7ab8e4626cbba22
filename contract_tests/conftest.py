"""Fixtures of the contract suite: clients for the target's accounts, the run's S3 workspace, shared jobs.

The target itself (``target``), the run id (``run_id``) and clause checks (``checks``) come from the
comprehend-contract pytest plugin.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from comprehend_contract.clients import Credentials, RawSender, comprehend_client, s3_client
from comprehend_contract.harness.api import Api, BotoTransport, Exchange
from comprehend_contract.harness.jobs import StoppedJob, many_lines, start_request
from comprehend_contract.harness.workspace import JobLedger, Workspace
from comprehend_contract.plugin.checks import ClauseChecks
from comprehend_contract.targets import TargetProfile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Account:
    """The clients of one account of the target."""

    credentials: Credentials
    raw: RawSender
    boto: BotoTransport


def _account(target: TargetProfile, credentials: Credentials) -> Account:
    endpoint = target.endpoint_url or f"https://comprehend.{target.region}.amazonaws.com"
    client = comprehend_client(target.endpoint_url, target.region, credentials, max_attempts=1)
    return Account(credentials, RawSender(endpoint, target.region, credentials), BotoTransport(client))


@pytest.fixture(scope="session")
def account_a(target: TargetProfile) -> Account:
    return _account(target, target.credentials)


@pytest.fixture(scope="session")
def account_b(target: TargetProfile) -> Account | None:
    return _account(target, target.second_credentials) if target.second_credentials else None


@pytest.fixture(scope="session")
def ledger(target: TargetProfile, account_a: Account) -> Iterator[JobLedger]:
    """Jobs this process started; those still running at the end are stopped."""
    jobs = JobLedger()
    yield jobs
    stopped = jobs.stop_running(account_a.boto.client)
    if stopped:
        log.warning("stopped %d job(s) still running at the end of the run: %s", len(stopped), ", ".join(stopped))


@pytest.fixture(scope="session")
def workspace(request: pytest.FixtureRequest, target: TargetProfile, run_id: str) -> Iterator[Workspace]:
    """This process's S3 folder, ``<prefix>run-<run id>/<worker>/``; emptied at the end unless --keep-artifacts."""
    s3 = s3_client(target.s3_endpoint_url, target.region, target.credentials)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    space = Workspace(s3, target.bucket, f"{target.prefix}run-{run_id}/{worker}/")
    if target.create_bucket:
        space.ensure_bucket()
    yield space
    if not request.config.getoption("keep_artifacts"):
        space.remove_all()


@pytest.fixture
def api(checks: ClauseChecks, account_a: Account, ledger: JobLedger) -> Api:
    """Calls as the target's first account, each response checked in passing."""
    return Api(checks, account_a.raw, account_a.boto, ledger)


@pytest.fixture
def api_b(checks: ClauseChecks, account_b: Account | None, ledger: JobLedger) -> Api:
    """Calls as the target's second account (AUTH-ISOLATION); not exercised without one."""
    if account_b is None:
        pytest.skip("not exercised: the target profile has no second account (second_credentials)")
    return Api(checks, account_b.raw, account_b.boto, ledger)


@pytest.fixture(scope="session")
def stopped_job(target: TargetProfile, account_a: Account, workspace: Workspace, ledger: JobLedger) -> StoppedJob:
    """One job started and stopped at once (retried with a fresh job if it ended before the stop landed).

    Shared by the response-syntax tests: each looks at the same successful stop.
    """
    attempts = []
    for _ in range(3):
        folder = workspace.input_folder({"docs.txt": many_lines(400)}, "stop-me")
        start = account_a.raw.send("StartSentimentDetectionJob", start_request(target, folder))
        body = start.json()
        if start.status != 200 or not isinstance(body, dict) or not isinstance(body.get("JobId"), str):
            pytest.skip(f"not exercised: StartSentimentDetectionJob failed: HTTP {start.status} {start.body[:200]!r}")
        job_id = body["JobId"]
        ledger.add(job_id)
        response = account_a.raw.send("StopSentimentDetectionJob", {"JobId": job_id})
        stop = Exchange(
            "StopSentimentDetectionJob", "raw", {"JobId": job_id}, response.status, response.headers, response.body
        )
        if response.status == 200:
            return StoppedJob(job_id, stop)
        attempts.append(stop.describe())
        time.sleep(0.1)
    pytest.skip(f"not exercised: no job could be stopped while running ({'; '.join(attempts)})")
