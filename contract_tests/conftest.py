"""Fixtures of the contract suite: clients for the target's accounts, the run's S3 workspace, shared jobs.

The target itself (``target``), the run id (``run_id``), clause checks (``checks``), the coordination directory
and the plan come from the comprehend-contract pytest plugin.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from comprehend_contract.clients import Credentials, RawSender, comprehend_client, s3_client
from comprehend_contract.drivers import Evidence, ScenarioBoard
from comprehend_contract.drivers.scenarios import MAX_ATTEMPTS, Driver
from comprehend_contract.harness.api import Api, BotoTransport, observe
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
    keep = request.config.getoption("keep_artifacts") or os.environ.get(
        "COMPREHEND_CONTRACT_KEEP_ARTIFACTS", ""
    ).lower() in (
        "1",
        "true",
        "yes",
    )
    if not keep:
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
def board(
    target: TargetProfile,
    account_a: Account,
    account_b: Account | None,
    workspace: Workspace,
    ledger: JobLedger,
    coordination_dir: Path,
    max_jobs: int | None,
    planned_scenarios_of_run: list[str],
) -> Iterator[ScenarioBoard]:
    """The run's scenarios: every planned one starts now, concurrently, once for the whole run."""
    s3 = s3_client(target.s3_endpoint_url, target.region, target.credentials)

    def make_driver(evidence: Evidence, aborted: Callable[[], bool]) -> Driver:
        return Driver(
            target,
            account_a.raw,
            s3,
            workspace,
            ledger,
            scenarios.reserve_job,
            scenarios.facts,
            evidence,
            raw_b=account_b.raw if account_b else None,
            aborted=aborted,
        )

    scenarios = ScenarioBoard(coordination_dir, max_jobs, make_driver)
    scenarios.start(planned_scenarios_of_run)
    yield scenarios
    scenarios.close()


@pytest.fixture
def evidence(
    request: pytest.FixtureRequest, board: ScenarioBoard, target: TargetProfile, checks: ClauseChecks
) -> Evidence:
    """The evidence of the test's ``scenario`` marker; every response in it gets the in-passing checks."""
    marker = request.node.get_closest_marker("scenario")
    if marker is None:
        raise pytest.UsageError(f"{request.node.nodeid}: the evidence fixture needs @pytest.mark.scenario(name)")
    budgets = target.budgets
    worst = MAX_ATTEMPTS * budgets.leave_submitted_seconds + 2 * budgets.job_timeout_seconds + 30
    found = board.result(str(marker.args[0]), timeout=worst)
    for exchange in found.all_exchanges():
        observe(checks, exchange)
    found.judged = checks.exchanges  # the steps a test judges become the latest exchanges of its evidence
    return found


@pytest.fixture(scope="session", autouse=True)
def start_scenarios_up_front(request: pytest.FixtureRequest, planned_scenarios_of_run: list[str]) -> None:
    """Jobs start when the session does, not when the first test that judges them runs."""
    if planned_scenarios_of_run:
        request.getfixturevalue("board")
