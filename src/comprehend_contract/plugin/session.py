"""The pytest session adapter: pytest's hooks translated into the run's lifecycle (``core.run.Run``), nothing more.

``activate`` builds the ``RunContext`` (a bad option is one line, ``RunRefused``, exit 4) and the ``Run``, and registers
the hooks below and the fixtures. The process that runs a test turns what pytest says of it into one
``TestRecord``, which crosses to the process that judges the run (the xdist controller) as one versioned JSON entry
of the teardown report's ``user_properties``, the one channel xdist serialises.
"""

from __future__ import annotations

import atexit
import functools
import gc
import logging
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.clients import s3_client
from comprehend_contract.core.checks import ClauseChecks, one_line
from comprehend_contract.core.context import RunContext
from comprehend_contract.core.incomplete import Incomplete
from comprehend_contract.core.preflight import SetupError, check_target
from comprehend_contract.core.run import Run, marker_problems
from comprehend_contract.core.scenarios import ENDING_ORDER, Drive, Scenario
from comprehend_contract.harness.workspace import Workspace, process_prefix
from comprehend_contract.options import OptionError, Settings
from comprehend_contract.plugin.common import (
    CHECKS,
    CONTEXT,
    EXIT_TARGET_UNREACHABLE,
    is_contract_test,
    refuse,
)
from comprehend_contract.plugin.interrupts import Interrupts
from comprehend_contract.plugin.progress import ProgressDisplay
from comprehend_contract.plugin.summary import render
from comprehend_contract.snapshots import normalize_test
from comprehend_contract.spec.family import JobType, family
from comprehend_contract.targets import TargetUnreachable
from comprehend_contract.verdicts import EXPECTED, CheckResult, TestRecord, expected_reasons

RECORD_PROPERTY = "comprehend_contract.record"
"""The key of the ``user_properties`` entry that carries a test's ``TestRecord``."""
EVIDENCE_EXCHANGES = 6
"""How many of a failed test's last requests and responses its evidence keeps."""

log = logging.getLogger(__name__)


def activate(config: pytest.Config) -> None:
    """Make this session's ``RunContext`` and ``Run``, and register the session hooks and the fixtures."""
    workerinput: dict[str, Any] = getattr(config, "workerinput", {})
    try:
        settings = Settings.read(lambda name: config.getoption(f"cc_{name}"))
        context = RunContext.create(
            settings,
            run_id=workerinput.get("cc_run_id"),
            directory=Path(workerinput["cc_coordination"]) if "cc_coordination" in workerinput else None,
            worker=workerinput.get("workerid"),
        )
    except OptionError as error:
        refuse(str(error))
    config.stash[CONTEXT] = context
    _exit_without_collecting()
    session = ContractSession(config, Run(context))
    config.pluginmanager.register(session, "comprehend-contract-session")
    if context.worker is None:
        session.interrupts.install()
        session.progress = ProgressDisplay.for_run(config, context)
        if session.progress is not None:
            config.pluginmanager.register(session.progress, "comprehend-contract-progress")
            session.interrupts.orphaned = session.progress.abandon
    from comprehend_contract.plugin import fixtures

    config.pluginmanager.register(fixtures, "comprehend-contract-fixtures")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(session), "comprehend-contract-xdist")


@functools.cache
def _exit_without_collecting() -> None:
    """At interpreter exit, freeze the garbage collector's objects (``gc.freeze``) so that CPython's last
    collection skips them: the process is ending and the OS takes its memory back. That collection, over a run's
    objects, took most of a second per process, and xdist waits for every worker to exit. Registered once."""
    atexit.register(gc.freeze)


class _XdistHooks:
    """Hands the controller's run id and coordination directory to each xdist worker; plans once workers collect."""

    def __init__(self, session: ContractSession) -> None:
        self.session = session

    def pytest_configure_node(self, node: Any) -> None:
        context = self.session.run.context
        node.workerinput["cc_run_id"] = context.run_id
        node.workerinput["cc_coordination"] = str(context.coordination.directory)

    def pytest_testnodedown(self, node: Any, error: object | None) -> None:
        """A worker that dies (a crash, a kill) leaves tests unrun, jobs running and its S3 folder full: at the end
        the controller records those tests incomplete, stops and waits for the run's jobs, and empties that folder."""
        if error is not None:
            self.session.run.lost.append(str(node.gateway.id))

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Workers write the run's scenarios when they collect; the controller plans from them once."""
        names = self.session.run.context.coordination.read_plan()
        if self.session.run.context.plan is None and names is not None:
            self.session.planned([Drive.parse(name) for name in names])


def clauses_of(item: pytest.Item) -> tuple[str, ...]:
    ids: list[str] = []
    for marker in item.iter_markers("clause"):
        ids.extend(str(arg) for arg in marker.args)
    return tuple(dict.fromkeys(ids))


def _unjudged(nodeid: str, identity: dict[str, Any], message: str) -> TestRecord:
    """The record of a selected test that sent none (its worker died): incomplete, with the clauses and operation
    its worker wrote at collection (``_identity``)."""
    clauses, operation = tuple(identity.get("clauses", ())), str(identity.get("operation", ""))
    return TestRecord(nodeid, clauses, "skipped", message, operation, incomplete=True)


def _identity(item: pytest.Item) -> dict[str, Any]:
    """What the controller needs to account for a test that sends no record: its clauses and operation."""
    job_type = job_type_of(item)
    return {"clauses": list(clauses_of(item)), "operation": job_type.stop if job_type is not None else ""}


def scenarios_of(item: pytest.Item) -> list[object]:
    return [marker.args[0] if marker.args else None for marker in item.iter_markers("scenario")]


def job_type_of(item: pytest.Item) -> JobType | None:
    """The job type a contract test judges (its ``job_type`` parameter), if it has one."""
    found = getattr(getattr(item, "callspec", None), "params", {}).get("job_type")
    return found if isinstance(found, JobType) else None


def drives_of(items: list[pytest.Item]) -> list[Drive]:
    """The (job type, scenario) pairs the items judge, each once."""
    found = {
        Drive(job_type.name, Scenario.named(name))
        for item in items
        if (job_type := job_type_of(item)) is not None
        for name in scenarios_of(item)
    }
    return sorted(found, key=str)


def run_order(item: pytest.Item) -> tuple[int, int]:
    """Property tests first: each sends dozens of requests, and started last it would keep one xdist worker busy
    while the others idle. Tests that judge a scenario's job last: the jobs run from the start of the session, and
    meanwhile every worker is free for the tests that need no job, instead of waiting for a job's evidence. Among
    those, in the order their scenarios are expected to end (``ENDING_ORDER``; a test of several, by its last)."""
    scenarios = [marker.args[0] for marker in item.iter_markers("scenario") if marker.args]
    if scenarios:
        return 2, max(ENDING_ORDER.index(Scenario(scenario)) for scenario in scenarios)
    return (0 if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) else 1), 0


def interleaved(items: list[pytest.Item]) -> list[pytest.Item]:
    """``items`` in ``run_order``, the job types taken in turn within each class (Sentiment's first test, then the
    next type's first, ...): consecutive requests then go to different operations, whose quotas a paced run
    (``--quota-share``) keeps one by one, so one type's tests never queue behind each other while the others wait."""
    seen: dict[tuple[tuple[int, int], str], int] = {}
    order = {job_type.name: index for index, job_type in enumerate(family())}
    keys: dict[int, tuple[tuple[int, int], int, int]] = {}
    for item in items:
        callspec = getattr(item, "callspec", None)
        job_type = callspec.params.get("job_type") if callspec is not None else None
        name = getattr(job_type, "name", "")
        kind = run_order(item)
        rank = seen[kind, name] = seen.get((kind, name), -1) + 1
        keys[id(item)] = (kind, rank, order.get(name, -1))
    return sorted(items, key=lambda item: keys[id(item)])


def _message(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return one_line(str(report.longrepr[2]).removeprefix("Skipped: "))
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        # keep the test's own message, not pytest's assertion introspection after it
        return one_line(str(crash.message).split("\nassert ")[0])
    return one_line(str(report.longrepr or ""))


def _group_message(group: BaseExceptionGroup[BaseException]) -> str:
    """A failure of several (Hypothesis's distinct failures) said by its first: what a reader needs, where
    "ExceptionGroup: Hypothesis found 2 distinct failures" says nothing of what failed."""
    first: BaseException = group
    while isinstance(first, BaseExceptionGroup) and first.exceptions:
        first = first.exceptions[0]
    said = str(first).split("\nassert ")[0]
    count = len(group.exceptions)
    several = f"{count} distinct failures; the first" if count > 1 else "a failure"
    return one_line(f"{several}: {type(first).__name__}: {said}")


@dataclass
class _Phases:
    """What pytest said of one test so far, phase by phase (setup, call, teardown), in the process that ran it."""

    outcome: str = "passed"
    message: str = ""
    duration: float = 0.0
    incomplete: bool = False
    attributed: bool = False

    def add(self, report: pytest.TestReport) -> None:
        self.duration += report.duration
        if report.failed and self.outcome != "failed":
            self.outcome, self.message = "failed", _message(report)
        elif hasattr(report, "wasxfail") and report.skipped:
            # kept whole (each clause's reason is cut already): each clause's cell says its own part
            self.outcome, self.message = "xfailed", EXPECTED + " ".join(str(report.wasxfail).split())
        elif report.skipped and self.outcome == "passed":
            self.outcome, self.message = "skipped", _message(report)


PHASES: pytest.StashKey[_Phases] = pytest.StashKey()


class ContractSession:
    """The session's hooks, each a translation into the run's lifecycle."""

    def __init__(self, config: pytest.Config, run: Run) -> None:
        self.config = config
        self.run = run
        self.worker = run.context.worker is not None
        self.interrupts = Interrupts(run.context)
        self.progress: ProgressDisplay | None = None
        """The progress display of the run's jobs (the controller's, unless ``--progress none``)."""

    def planned(self, drives: list[Drive]) -> None:
        """The controller's plan: made, printed, priced against --max-cost, the run's deadline set, and the
        progress display told what to expect."""
        self.run.plan(drives)
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and self.config.get_terminal_writer().width_of_current_line:
            reporter.write("\n")  # the line xdist rewrites in place on a terminal (``ready: 2/2 workers``) stays whole
        for line in self.run.plan_lines():
            if reporter is not None:
                reporter.write_line(line)
        try:
            self.run.check_cost()
            self.run.check_quota()
        except OptionError as error:
            refuse(str(error))
        self.interrupts.set_deadline(self.run.context.deadline_seconds)
        if self.progress is not None and self.run.context.plan is not None:
            self.progress.start(self.run.context.plan)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """External targets get their preflight once, before pytest's header, the collection and any xdist worker:
        the endpoint answers each type's signed List as Comprehend does, the credentials are accepted, the bucket
        takes, returns and deletes an object. A refusal is one line (``RunRefused``), exit 4, or 12 if nothing
        answers."""
        target = self.run.context.target
        if target.embedded or self.worker:
            return
        try:
            check_target(target.start(), self.run.context.run_id, self.run.context.job_types)
        except TargetUnreachable as error:
            refuse(
                f"target '{target.name}' is unreachable: {error}. Check that the implementation is running and that "
                "its endpoint URL (--endpoint-url, or endpoint_url in the profile) is right.",
                EXIT_TARGET_UNREACHABLE,
            )
        except SetupError as error:
            refuse(f"target '{target.name}': {error}")

    @pytest.hookimpl(tryfirst=True)
    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Every contract test is made once for each job type the run judges (its id: the type's Stop operation,
        first, StopSentimentDetectionJob first); the autouse fixture ``job_type`` puts it in every test's closure."""
        if "job_type" in metafunc.fixturenames and is_contract_test(metafunc.definition):
            types = self.run.context.job_types
            metafunc.parametrize("job_type", types, ids=[job_type.stop for job_type in types])

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        contract = [item for item in items if is_contract_test(item)]
        problems = [p for item in contract for p in marker_problems(item.nodeid, clauses_of(item), scenarios_of(item))]
        if problems:
            refuse("marker errors:\n  " + "\n  ".join(problems))
        dropped = [item for item in contract if not self.run.selects(clauses_of(item))]
        if dropped:
            self.config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if item not in dropped]
        self.run.selected = [item.nodeid for item in items if is_contract_test(item)]
        items[:] = interleaved(items)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        drives = drives_of([item for item in session.items if is_contract_test(item)])
        if self.worker:
            self.run.plan(drives)
            self.run.context.coordination.write_plan([str(drive) for drive in drives])
            self.run.context.coordination.write_tests(
                {item.nodeid: _identity(item) for item in session.items if is_contract_test(item)}
            )
        else:
            self.planned(drives)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if is_contract_test(item):
            item.stash[CHECKS] = ClauseChecks(clauses_of(item))
            item.stash[PHASES] = _Phases()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report: pytest.TestReport = yield
        phases = item.stash.get(PHASES, None)
        if phases is None:
            return report
        checks = item.stash[CHECKS]
        if call.excinfo is not None and call.excinfo.errisinstance(Incomplete):
            # transient faults only: not exercised, and the run is incomplete (its gate cannot pass)
            reason = one_line(f"incomplete: {call.excinfo.value}")
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")
            phases.incomplete = True
        if report.when == "call":
            failures = checks.own_failures()
            if report.passed and failures:
                report.outcome = "failed"
                report.longrepr = "clause check(s) failed:\n" + "\n".join(f"  {c.clause}: {c.detail}" for c in failures)
                phases.attributed = True
            self._apply_expectations(item, report, checks)
        phases.add(report)
        if report.when == "call" and report.failed and call.excinfo is not None:
            group = call.excinfo.value
            if isinstance(group, BaseExceptionGroup) and phases.message.startswith(type(group).__name__):
                phases.message = _group_message(group)
        if report.when == "teardown":
            report.user_properties.append((RECORD_PROPERTY, self._record(item, phases, checks).to_json()))
        return report

    def _record(self, item: pytest.Item, phases: _Phases, checks: ClauseChecks) -> TestRecord:
        """The one record of a finished test."""
        failed = phases.outcome in ("failed", "xfailed") or any(c.result is CheckResult.FAIL for c in checks.results)
        evidence = [exchange.to_dict() for exchange in checks.exchanges[-EVIDENCE_EXCHANGES:]] if failed else []
        snapshot = None
        if self.run.wants_snapshots and not phases.incomplete:
            snapshot = tuple(normalize_test([exchange.to_dict() for exchange in checks.exchanges]))
        job_type = job_type_of(item)
        return TestRecord(
            nodeid=item.nodeid,
            clauses=clauses_of(item),
            operation=job_type.stop if job_type is not None else "",
            outcome=phases.outcome,
            message=phases.message,
            checks=tuple(checks.results),
            attributed=phases.attributed and phases.outcome in ("failed", "xfailed"),
            exchanges=tuple(evidence),
            duration=phases.duration,
            incomplete=phases.incomplete,
            retries=checks.retries(),
            snapshot=snapshot,
        )

    def _apply_expectations(self, item: pytest.Item, report: pytest.TestReport, checks: ClauseChecks) -> None:
        """One story everywhere: a failure the expectations list is an xfail (with the clause and the reason), and
        a pass of a test they name as failing is an XPASS(strict) failure."""
        expectations = self.run.context.expectations
        if expectations is None:
            return
        nodeid, own = item.nodeid, clauses_of(item)
        job_type = job_type_of(item)
        operation = job_type.stop if job_type is not None else ""
        if report.failed:
            failed = [c.clause for c in checks.own_failures()] or list(own)
            reasons = [expectations.reason_for_test(nodeid, clause, operation) for clause in failed]
            if all(reasons):
                report.outcome = "skipped"
                report.wasxfail = expected_reasons({c: one_line(str(r)) for c, r in zip(failed, reasons, strict=True)})
        elif report.passed:
            named = [c for c in own if expectations.expected_to_fail(nodeid, c, operation)]
            if named:
                report.outcome = "failed"
                report.longrepr = (
                    f"[XPASS(strict)] expected to fail ({', '.join(named)} on {operation}), but passed: remove it "
                    f"from the expectations ({expectations.source})"
                )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.worker:
            return
        if report.when not in ("setup", "call", "teardown") and report.failed:
            if report.nodeid not in self.run.book.records:  # killed after its record came: it was judged
                self.run.record(self._crashed(report))
            return
        if report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name == RECORD_PROPERTY:
                self.run.record(TestRecord.from_json(str(value)))

    def _crashed(self, report: pytest.TestReport) -> TestRecord:
        """The record of a test whose process died while running it (pytest-xdist reports it as failed, with no
        phase and no record of ours): not judged, and the run is incomplete, so its gate cannot pass."""
        died = str(report.longrepr).partition(" while ")[0]  # "worker 'gw1' crashed while running '<node id>'"
        identity = self.run.context.coordination.read_tests().get(report.nodeid, {})
        return _unjudged(report.nodeid, identity, one_line(f"incomplete: not judged: {died} while running it"))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Finish the run (reports, gate), and let the gate decide the exit status of a run that ran its tests."""
        if self.worker:
            return
        interrupted = None
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            interrupted = self.run.context.stop_reason or "interrupted (Ctrl-C) before every test ran"
        elif session.shouldfail or session.shouldstop:
            interrupted = f"stopped early: {session.shouldfail or session.shouldstop}"
        if self.run.lost:
            self._record_tests_never_run()
            if not self.run.book and interrupted is None:
                interrupted = f"its workers died before any test ran ({', '.join(self.run.lost)})"
        if not self.run.book and interrupted is None:
            return
        finished = self.run.finish(interrupted)
        self._empty_lost_workspaces()
        if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            session.exitstatus = pytest.ExitCode.OK if finished.passed else pytest.ExitCode.TESTS_FAILED

    def _record_tests_never_run(self) -> None:
        """A run that lost workers may never run some of its selected tests (xdist gives up on them when it may
        start no other worker): each is recorded incomplete, not left out as if the run had not selected it."""
        said = f"incomplete: not run: the run lost its worker(s) {', '.join(self.run.lost)} before this test ran"
        for nodeid, identity in self.run.context.coordination.read_tests().items():
            if nodeid not in self.run.book.records:
                self.run.record(_unjudged(nodeid, identity, said))

    def _lost_said(self) -> str:
        """What the run did about the workers it lost."""
        context = self.run.context
        if context.target.embedded:
            return "died during the run; the jobs they started ended with their embedded references"
        kept = "kept their S3 folders (--keep-artifacts)" if context.keep_artifacts else "emptied their S3 folders"
        return (
            f"died during the run; at its end the run stopped its jobs still running, waited for them and {kept}. "
            f"A job a worker started as it died may be unrecorded: `comprehend-contract cleanup --run-id "
            f"{context.run_id}` with the run's target finds the run's jobs by name."
        )

    def _empty_lost_workspaces(self) -> None:
        """Empty the S3 folder of each worker that died (a live one empties its own), unless --keep-artifacts."""
        context = self.run.context
        if not self.run.lost or context.keep_artifacts or context.target.embedded:
            return
        target = context.target.start()
        s3 = s3_client(target.s3_endpoint_url, target.region, target.credentials)
        for worker in self.run.lost:
            prefix = process_prefix(target.prefix, context.run_id, worker)
            try:
                removed = Workspace(s3, target.bucket, prefix, context.run_id).remove_all()
            except Exception as error:  # the run is ending: say so, never mask its verdicts
                log.warning("could not empty s3://%s/%s (worker %s died): %s", target.bucket, prefix, worker, error)
                continue
            log.info("removed %d object(s) under s3://%s/%s (worker %s died)", removed, target.bucket, prefix, worker)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        finished = self.run.finished
        if self.worker or finished is None:
            return
        terminalreporter.section("comprehend-contract: clause verdicts")
        render(finished.report, terminalreporter.write_line)
        expectations = self.run.context.expectations
        if expectations is not None:
            terminalreporter.write_line(
                f"expectations: {expectations.source} ({len(expectations.deviations)} deviations)"
            )
        for path in finished.paths:
            terminalreporter.write_line(f"report: {path}")
        coordination = self.run.context.coordination
        started, attempted = len(coordination.jobs()), coordination.jobs_started()
        if started == attempted:
            said = "all by the state drivers"
        else:  # fewer: Starts that got no job; more: requests the target should have refused that started a job
            said = f"the state drivers sent {attempted} Start request(s)"
        terminalreporter.write_line(f"jobs the run started: {started} ({said})")
        if self.run.lost:
            for line in textwrap.wrap(f"workers lost: {', '.join(self.run.lost)} {self._lost_said()}", 118):
                terminalreporter.write_line(line, red=True)
        retried = finished.report["run"].get("transient_retried") or {}
        if retried.get("answers"):
            terminalreporter.write_line(
                f"transient answers retried, never judged: {retried['answers']} ({retried['throttles']} throttles)"
            )

    def pytest_unconfigure(self) -> None:
        if not self.worker:
            self.interrupts.close()
            self.run.context.coordination.remove()
