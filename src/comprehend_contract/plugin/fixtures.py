"""The contract suite's fixtures: the target, clients for its accounts, the run's workspace and job ledger, the
scenario board and each test's ``checks``, ``api`` and ``evidence``. Registered by ``plugin.session.activate``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from comprehend_contract.clients import Credentials, RawSender, comprehend_client, s3_client
from comprehend_contract.core.checks import ClauseChecks, observe
from comprehend_contract.core.context import RunContext
from comprehend_contract.core.evidence import Evidence
from comprehend_contract.core.jobs import JobLedger
from comprehend_contract.core.pacing import Pacer
from comprehend_contract.core.scenarios import Drive, Scenario
from comprehend_contract.drivers import Driver, ScenarioBoard
from comprehend_contract.harness.api import Api, BotoTransport
from comprehend_contract.harness.workspace import Workspace, process_prefix
from comprehend_contract.plugin.common import CHECKS, CONTEXT
from comprehend_contract.spec.family import JobType, family
from comprehend_contract.targets import TargetProfile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """How the suite calls as one account of the target: raw signed HTTP and boto3."""

    credentials: Credentials
    raw: RawSender
    boto: BotoTransport


def _caller(context: RunContext, target: TargetProfile, credentials: Credentials) -> Caller:
    """Both senders under the run's retry policy, request timeout and pacing (the run's rate, each operation's
    share of its quota); each transient answer they meet is published for the progress display as it comes."""
    budgets = target.budgets
    pace = Pacer(context.coordination, budgets)
    client = comprehend_client(
        target.endpoint_url, target.region, credentials, max_attempts=1, timeout=budgets.request_timeout_seconds
    )
    raw = RawSender(
        client.meta.endpoint_url,
        target.region,
        credentials,
        timeout=budgets.request_timeout_seconds,
        retry=budgets.retry_policy(),
        before_send=pace,
        on_transient=context.progress.transient,
    )
    return Caller(credentials, raw, BotoTransport(client, budgets.retry_policy(), pace, context.progress.transient))


@pytest.fixture(autouse=True)
def job_type(request: pytest.FixtureRequest) -> JobType:
    """The job type whose operations the test judges: the plugin makes each contract test once per type the run
    selects (``pytest_generate_tests``), which gives this argument its value."""
    found: JobType = getattr(request, "param", family().seed)
    return found


@pytest.fixture(scope="session")
def run_context(request: pytest.FixtureRequest) -> RunContext:
    """This run's core: settings, run id, coordination directory, target, plan."""
    return request.config.stash[CONTEXT]


@pytest.fixture(scope="session")
def target(run_context: RunContext) -> Iterator[TargetProfile]:
    """The implementation under test, started (embedded) or connected to (external) once per pytest process."""
    chosen = run_context.target
    profile = chosen.start()
    try:
        yield profile
    finally:
        chosen.close()


@pytest.fixture
def checks(request: pytest.FixtureRequest) -> ClauseChecks:
    """The current contract test's clause checks (``with checks.clause("ID"): assert ...``)."""
    found: ClauseChecks | None = request.node.stash.get(CHECKS, None)
    if found is None:
        raise pytest.UsageError(f"{request.node.nodeid}: the checks fixture is only for contract tests")
    return found


@pytest.fixture(scope="session")
def callers(run_context: RunContext, target: TargetProfile) -> tuple[Caller, Caller | None]:
    """The target's first account, and its second (AUTH-ISOLATION) if it has one."""
    second = _caller(run_context, target, target.second_credentials) if target.second_credentials else None
    return _caller(run_context, target, target.credentials), second


@pytest.fixture(scope="session")
def ledger(run_context: RunContext, target: TargetProfile, workspace: Workspace) -> Iterator[JobLedger]:
    """Jobs this process started; those still running at the end are stopped, and waited for (briefly) so that
    their last output lands before the workspace is emptied (this fixture ends before ``workspace`` does)."""
    jobs = JobLedger(run_context.coordination.record_job)
    yield jobs
    stopped = jobs.stop_and_wait(target)
    if stopped:
        log.warning("stopped %d job(s) still running at the end of the run: %s", len(stopped), ", ".join(stopped))


@pytest.fixture(scope="session")
def workspace(run_context: RunContext, target: TargetProfile) -> Iterator[Workspace]:
    """This process's S3 folder, ``<prefix>run-<run id>/<worker>/``; emptied at the end unless --keep-artifacts."""
    s3 = s3_client(target.s3_endpoint_url, target.region, target.credentials)
    prefix = process_prefix(target.prefix, run_context.run_id, run_context.worker)
    space = Workspace(s3, target.bucket, prefix, run_context.run_id)
    if target.create_bucket:
        space.ensure_bucket()
    yield space
    if not run_context.keep_artifacts:
        removed = space.remove_all()
        log.info("removed %d object(s) under s3://%s/%s", removed, target.bucket, prefix)


@pytest.fixture
def api(
    run_context: RunContext,
    checks: ClauseChecks,
    callers: tuple[Caller, Caller | None],
    ledger: JobLedger,
    job_type: JobType,
) -> Api:
    """Calls as the target's first account, to the test's job type's operations, each response checked in passing."""
    first = callers[0]
    return Api(checks, first.raw, first.boto, ledger, run_context.coordination, job_type)


@pytest.fixture(scope="session")
def board(
    request: pytest.FixtureRequest,
    run_context: RunContext,
    target: TargetProfile,
    callers: tuple[Caller, Caller | None],
    workspace: Workspace,
    ledger: JobLedger,
) -> Iterator[ScenarioBoard]:
    """The run's scenarios: every planned one starts now, concurrently, once for the whole run."""
    s3 = s3_client(target.s3_endpoint_url, target.region, target.credentials)
    first, second = callers

    def make_driver(drive: Drive, evidence: Evidence, aborted: Callable[[], bool]) -> Driver:
        return Driver(
            target,
            family().get(drive.job_type),
            first.raw,
            s3,
            workspace,
            ledger,
            run_context.coordination,
            run_context.max_jobs,
            evidence,
            other_account=second.raw if second else None,
            aborted=aborted,
            progress=run_context.progress,
        )

    scenarios = ScenarioBoard(run_context.coordination, make_driver, run_context.progress)
    if run_context.plan is not None:
        scenarios.start(Drive(job_type, Scenario.named(name)) for job_type, name in run_context.plan.scenarios)
    yield scenarios
    scenarios.close(interrupted=getattr(request.session, "exitstatus", None) == pytest.ExitCode.INTERRUPTED)


@pytest.fixture
def evidence(
    request: pytest.FixtureRequest,
    run_context: RunContext,
    board: ScenarioBoard,
    checks: ClauseChecks,
    job_type: JobType,
) -> Evidence:
    """The evidence of the test's ``scenario`` marker for its job type; every response in it gets the in-passing
    checks."""
    marker = request.node.get_closest_marker("scenario")
    if marker is None:
        raise pytest.UsageError(f"{request.node.nodeid}: the evidence fixture needs @pytest.mark.scenario(name)")
    plan = run_context.plan
    drive = Drive(job_type.name, Scenario.named(marker.args[0]))
    found = board.result(drive, timeout=plan.worst_wait if plan else 0.0)
    for exchange in found.exchanges:
        observe(checks, exchange)
    found.judged = checks.exchanges  # the steps a test judges become the latest exchanges of its evidence
    return found


@pytest.fixture(scope="session", autouse=True)
def start_scenarios_up_front(request: pytest.FixtureRequest, run_context: RunContext) -> None:
    """Jobs start when the session does, not when the first test that judges them runs."""
    if run_context.plan is not None and run_context.plan.scenarios:
        request.getfixturevalue("board")
