"""The plugin for a session that runs contract tests: a thin adapter from pytest's hooks to the run's core.

``activate`` builds the ``RunContext`` (a bad option is one usage error, exit 4) and registers the hooks below and
the fixtures. Under xdist, workers run tests and the controller records their outcomes: test outcomes and clause
checks travel in ``report.user_properties``, the one channel xdist serialises.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract import __version__
from comprehend_contract.core.checks import ClauseChecks, one_line
from comprehend_contract.core.context import RunContext
from comprehend_contract.core.incomplete import Incomplete
from comprehend_contract.core.plan import Plan
from comprehend_contract.core.preflight import SetupError, check_target
from comprehend_contract.drivers import MAX_ATTEMPTS, SCENARIOS
from comprehend_contract.harness.jobs import document_characters
from comprehend_contract.harness.workspace import stop_jobs
from comprehend_contract.options import OptionError, Settings
from comprehend_contract.plugin.common import CHECKS, CONTEXT, exit_unreachable, is_contract_test
from comprehend_contract.plugin.interrupts import Interrupts
from comprehend_contract.plugin.summary import render
from comprehend_contract.reports import Redactor, build_report, write_reports
from comprehend_contract.snapshots import Snapshot, SnapshotError, compare, normalize_test
from comprehend_contract.spec import UnknownClause, catalogue
from comprehend_contract.targets import TargetUnreachable
from comprehend_contract.verdicts import CheckResult, ClauseCheck, TestOutcome, Verdict, VerdictBook

log = logging.getLogger(__name__)

EVIDENCE_EXCHANGES = 6
"""How many of a failed test's last requests and responses its evidence keeps."""


def activate(config: pytest.Config) -> None:
    """Make this session's ``RunContext`` and register the session hooks and the fixtures."""
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
        raise pytest.UsageError(f"comprehend-contract: {error}") from None
    config.stash[CONTEXT] = context
    session = ContractSession(config, context)
    config.pluginmanager.register(session, "comprehend-contract-session")
    if context.worker is None:
        session.interrupts.install()
    from comprehend_contract.plugin import fixtures

    config.pluginmanager.register(fixtures, "comprehend-contract-fixtures")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(config, context), "comprehend-contract-xdist")


def safe_name(name: str) -> str:
    """``name`` with every character but ``A-Za-z0-9._-`` replaced: fit for any file system and CI artifact."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "run"


def plan_of(context: RunContext, names: list[str]) -> Plan:
    jobs = {name: (SCENARIOS[name].jobs, SCENARIOS[name].most_jobs) for name in names}
    large = context.budgets.large_input
    documents = {
        name: (
            [c for count in SCENARIOS[name].documents(large) for c in document_characters(count)],
            [c for count in SCENARIOS[name].documents(large, most=True) for c in document_characters(count)],
        )
        for name in names
    }
    return Plan.of(names, jobs, context.budgets, MAX_ATTEMPTS, documents)


def check_cost(context: RunContext) -> None:
    """``--max-cost``: a run whose jobs could cost more (with every retry) does not start."""
    ceiling = context.settings["max_cost"]
    if ceiling is None or context.plan is None:
        return
    worst = context.plan.cost(context.price_per_unit, most=True)
    if worst > ceiling:
        raise pytest.UsageError(
            f"comprehend-contract: the run's jobs could cost ${worst:.4f} (with every retry), more than "
            f"--max-cost ${ceiling:g}: select fewer clauses (--clause), cap the jobs (--max-jobs) or raise the limit"
        )


class _XdistHooks:
    """Hands the controller's run id and coordination directory to each xdist worker; prints the workers' plan."""

    def __init__(self, config: pytest.Config, context: RunContext) -> None:
        self.config = config
        self.context = context

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["cc_run_id"] = self.context.run_id
        node.workerinput["cc_coordination"] = str(self.context.coordination.directory)

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Workers write the run's plan when they collect; the controller prints it once."""
        names = self.context.coordination.read_plan()
        if self.context.plan is not None or names is None:
            return
        self.context.plan = plan_of(self.context, names)
        _print_plan(self.config, self.context)
        check_cost(self.context)


def _print_plan(config: pytest.Config, context: RunContext) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if context.plan is not None and context.plan.scenarios and reporter is not None:
        price = context.price_per_unit if context.target.kind == "aws" or context.settings["max_cost"] else None
        reporter.write_line(context.plan.describe(context.max_jobs, price))


def planned_scenarios(items: list[pytest.Item]) -> list[str]:
    """The scenarios (jobs) the selected contract tests need, in a stable order."""
    return sorted({str(marker.args[0]) for item in items for marker in item.iter_markers("scenario")})


def run_order(item: pytest.Item) -> int:
    """Property tests first: each sends dozens of requests, and started last it would keep one xdist worker busy
    while the others idle. Tests that judge a scenario's job last: the jobs run from the start of the session, and
    meanwhile every worker is free for the tests that need no job, instead of waiting for a job's evidence."""
    if item.get_closest_marker("scenario") is not None:
        return 2
    return 0 if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) else 1


def clauses_of(item: pytest.Item) -> tuple[str, ...]:
    ids: list[str] = []
    for marker in item.iter_markers("clause"):
        ids.extend(str(arg) for arg in marker.args)
    return tuple(dict.fromkeys(ids))


def _message(report: pytest.TestReport) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return one_line(str(report.longrepr[2]).removeprefix("Skipped: "))
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        # keep the test's own message, not pytest's assertion introspection after it
        return one_line(str(crash.message).split("\nassert ")[0])
    return one_line(str(report.longrepr or ""))


class ContractSession:
    """The session's hooks: marker enforcement, clause checks, verdicts, summary, reports and the exit status."""

    def __init__(self, config: pytest.Config, context: RunContext) -> None:
        self.config = config
        self.context = context
        self.worker = context.worker is not None
        self.book = VerdictBook(catalogue())
        self.pending: dict[str, dict[str, Any]] = {}
        self.report_paths: list[Path] = []
        self.report: dict[str, Any] | None = None
        self.interrupts = Interrupts(context)
        self.snapshot_tests: dict[str, list[dict[str, Any]]] = {}
        self.snapshot_clauses: dict[str, list[str]] = {}
        self.selected: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection(self, session: pytest.Session) -> None:
        """External targets get their preflight once, before any test (or xdist worker) starts: the endpoint
        answers a signed List, the credentials are accepted, the bucket takes, returns and deletes an object.
        (Here rather than at session start, so that an unreachable target is reported once, not twice.)"""
        target = self.context.target
        if target.embedded or self.worker:
            return
        try:
            check_target(target.start(), self.context.run_id)
        except TargetUnreachable as error:
            exit_unreachable(target.name, error)
        except SetupError as error:
            raise pytest.UsageError(f"comprehend-contract: target '{target.name}': {error}") from None

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        problems = []
        for item in items:
            if not is_contract_test(item):
                continue
            clauses = clauses_of(item)
            item.user_properties.append(("cc_clauses", list(clauses)))
            if not clauses:
                problems.append(f"{item.nodeid}: a contract test must name its clauses with @pytest.mark.clause(...)")
            for clause_id in clauses:
                try:
                    catalogue().get(clause_id)
                except UnknownClause as error:
                    problems.append(f"{item.nodeid}: {error}")
        if problems:
            raise pytest.UsageError("comprehend-contract: clause marker errors:\n  " + "\n  ".join(problems))
        wanted = self.context.clauses
        if wanted:
            keep = [i for i in items if not is_contract_test(i) or wanted & set(clauses_of(i))]
            dropped = [i for i in items if i not in keep]
            if dropped:
                self.config.hook.pytest_deselected(items=dropped)
                items[:] = keep
        self.selected = [item.nodeid for item in items if is_contract_test(item)]
        items.sort(key=run_order)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        names = planned_scenarios(session.items)
        self.context.plan = plan_of(self.context, names)
        if self.worker:
            self.context.coordination.write_plan(names)
        else:
            _print_plan(self.config, self.context)
            check_cost(self.context)
            self.interrupts.set_deadline(self.context.deadline_seconds)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if is_contract_test(item):
            item.stash[CHECKS] = ClauseChecks(clauses_of(item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report: pytest.TestReport = yield
        if not is_contract_test(item):
            return report
        incomplete = any(name == "cc_incomplete" for name, _ in item.user_properties)
        if report.when == "teardown" and self._snapshots_wanted() and CHECKS in item.stash and not incomplete:
            report.user_properties.append(("cc_snapshot", normalize_test(item.stash[CHECKS].exchanges)))
        if call.excinfo is not None and call.excinfo.errisinstance(Incomplete):
            # transient faults only: not exercised, and the run is incomplete (its gate cannot pass)
            reason = one_line(f"incomplete: {call.excinfo.value}")
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")
            item.user_properties.append(("cc_incomplete", True))
            report.user_properties.append(("cc_incomplete", True))
        checks = item.stash.get(CHECKS, None)
        if report.when == "call" and checks is not None:
            found: list[tuple[str, Any]] = [
                ("cc_checks", [(c.clause, c.result.value, c.detail, c.exchange) for c in checks.results])
            ]
            failures = checks.own_failures()
            if report.passed and failures:
                report.outcome = "failed"
                report.longrepr = "clause check(s) failed:\n" + "\n".join(f"  {c.clause}: {c.detail}" for c in failures)
                found.append(("cc_attributed", True))
            self._apply_expectations(item, report, checks)
            if report.failed or failures or any(c.result is CheckResult.FAIL for c in checks.results):
                found.append(("cc_exchanges", checks.exchanges[-EVIDENCE_EXCHANGES:]))
            # the report holds a copy of the item's properties: extend both, so the teardown report has them too
            item.user_properties.extend(found)
            report.user_properties.extend(found)
        return report

    def _snapshots_wanted(self) -> bool:
        return bool(self.context.settings["record_snapshot"] or self.context.settings["parity_snapshot"])

    def _apply_expectations(self, item: pytest.Item, report: pytest.TestReport, checks: ClauseChecks) -> None:
        """One story everywhere: a failure the expectations list is an xfail (with the clause and the reason), and
        a pass of a test they name as failing is an XPASS(strict) failure."""
        expectations = self.context.expectations
        if expectations is None:
            return
        nodeid, own = item.nodeid, clauses_of(item)
        if report.failed:
            attributed = [c.clause for c in checks.own_failures()]
            failed = attributed or list(own)
            reasons = [expectations.reason_for_test(nodeid, clause) for clause in failed]
            if all(reasons):
                report.outcome = "skipped"
                report.wasxfail = "; ".join(dict.fromkeys(f"{c}: {r}" for c, r in zip(failed, reasons, strict=True)))
        elif report.passed:
            named = [c for c in own if nodeid in expectations.tests_expected_to_fail(c)]
            if named:
                report.outcome = "failed"
                report.longrepr = (
                    f"[XPASS(strict)] expected to fail ({', '.join(named)}), but passed: remove it from the "
                    f"expectations ({expectations.source})"
                )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties: dict[str, Any] = dict(report.user_properties)
        if "cc_clauses" not in properties or self.worker:
            return
        phases = self.pending.setdefault(report.nodeid, {"outcome": "passed", "message": "", "duration": 0.0})
        phases["duration"] += report.duration
        if report.failed and phases["outcome"] != "failed":
            phases.update(outcome="failed", message=_message(report))
        elif hasattr(report, "wasxfail") and report.skipped:
            phases.update(outcome="xfailed", message=one_line(f"expected to fail: {report.wasxfail}"))
        elif report.skipped and phases["outcome"] == "passed":
            phases.update(outcome="skipped", message=_message(report))
        if report.when != "teardown":
            return
        del self.pending[report.nodeid]
        if "cc_snapshot" in properties:
            self.snapshot_tests[report.nodeid] = properties["cc_snapshot"]
            self.snapshot_clauses[report.nodeid] = list(properties["cc_clauses"])
        checks = tuple(
            ClauseCheck(clause, CheckResult(result), detail, exchange)
            for clause, result, detail, exchange in properties.get("cc_checks", [])
        )
        self.book.record(
            TestOutcome(
                nodeid=report.nodeid,
                clauses=tuple(properties["cc_clauses"]),
                outcome=phases["outcome"],
                message=phases["message"],
                checks=checks,
                attributed=bool(properties.get("cc_attributed")) and phases["outcome"] in ("failed", "xfailed"),
                exchanges=tuple(properties.get("cc_exchanges", [])),
                duration=float(phases.get("duration", 0.0)),
                incomplete=bool(properties.get("cc_incomplete")),
            )
        )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Write the reports, and let the verdicts (through the gate) decide the exit status.

        Without expectations a failed clause fails the run, even one that failed only in an incidental check.
        With expectations the run passes exactly when every outcome matches them.
        """
        if self.worker:
            return
        interrupted = None
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            interrupted = self.context.stop_reason or "interrupted (Ctrl-C) before every test ran"
        elif session.shouldfail or session.shouldstop:
            interrupted = f"stopped early: {session.shouldfail or session.shouldstop}"
        if not self.book and interrupted is None:
            return
        if interrupted is not None:
            self._stop_the_runs_jobs()
        parity = self._snapshot(interrupted)
        report = self._report(interrupted, parity)
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return
        if not report["gate"]["passed"] or (
            self.context.expectations is None and any(v.verdict is Verdict.FAIL for v in self.book.verdicts())
        ):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        else:
            session.exitstatus = pytest.ExitCode.OK

    def _stop_the_runs_jobs(self) -> None:
        """An interrupted run stops every job any of its processes started (workers may not have had the time)."""
        jobs = self.context.coordination.jobs()
        if not jobs or self.context.target.embedded:
            return  # an embedded target's jobs end with the processes that serve them
        try:
            stop_jobs(self.context.target.start().housekeeping_client(), jobs)
        except Exception as error:  # the run is being torn down: say so, never mask the interrupt
            log.warning("could not stop the run's jobs: %s", error)

    def _snapshot(self, interrupted: str | None) -> dict[str, Any] | None:
        """Record this run's snapshot (``--record-snapshot``) and compare it with a recorded one (the parity)."""
        settings, target = self.context.settings, self.context.target
        if not self._snapshots_wanted():
            return None
        implementation = (
            {"name": target.implementation[0], "version": target.implementation[1]} if target.implementation else None
        )
        current = Snapshot.from_normalized(
            self.snapshot_tests,
            {"target": target.name, "kind": target.kind, "implementation": implementation, "kit_version": __version__},
            clauses=self.snapshot_clauses,
            selection=sorted(self.context.clauses) or None,
        )
        if settings["record_snapshot"]:
            incomplete = [nodeid for nodeid, o in self.book.outcomes.items() if o.incomplete]
            if interrupted or incomplete:
                log.warning("no snapshot recorded: the run was %s", interrupted or "incomplete")
            else:
                try:
                    current.write(settings["record_snapshot"])
                except SnapshotError as error:
                    log.error("cannot record the snapshot: %s", error)
        if self.context.parity is None:
            return None
        selected = [nodeid for nodeid in self.selected if nodeid in self.snapshot_tests]
        comparison: dict[str, Any] = compare(self.context.parity, current, selected=selected).to_dict()
        return comparison

    def _report(self, interrupted: str | None = None, parity: dict[str, Any] | None = None) -> dict[str, Any]:
        context = self.context
        target = context.target
        report = build_report(
            self.book,
            target={
                "name": target.name,
                "kind": target.kind,
                "endpoint_url": target.endpoint_url
                or ("embedded, one per pytest process" if target.embedded else None),
                "region": target.region,
                **(
                    {"implementation": {"name": target.implementation[0], "version": target.implementation[1]}}
                    if target.implementation
                    else {}
                ),
            },
            run_id=context.run_id,
            started=context.started,
            finished=dt.datetime.now(dt.UTC),
            options=context.report_options(),
            expectations=context.expectations,
            jobs_started=context.coordination.jobs_started(),
            interrupted=interrupted,
            parity=parity,
            parity_gate=bool(context.settings["parity_gate"]),
        )
        redacted: dict[str, Any] = Redactor(list(context.secrets()))(report)
        self.report = redacted
        base = context.report_dir
        directory = base / safe_name(f"{target.name}-{context.run_id}")
        self.report_paths = write_reports(redacted, directory)
        latest = base / "latest"
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(directory.name, target_is_directory=True)
        return redacted

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.worker or not self.book:
            return
        if self.report is None:
            return
        terminalreporter.section("comprehend-contract: clause verdicts")
        render(self.report, terminalreporter.write_line)
        expectations = self.context.expectations
        if expectations is not None:
            terminalreporter.write_line(
                f"expectations: {expectations.source} ({len(expectations.deviations)} deviations)"
            )
        for path in self.report_paths:
            terminalreporter.write_line(f"report: {path}")
        terminalreporter.write_line(f"jobs started by the state drivers: {self.context.coordination.jobs_started()}")

    def pytest_unconfigure(self) -> None:
        if not self.worker:
            self.interrupts.close()
            self.context.coordination.remove()
