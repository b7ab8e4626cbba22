"""The pytest plugin: target options, the ``clause`` marker, clause checks, verdicts and the clause summary.

Registered through the ``pytest11`` entry point, so ``pytest contract_tests`` and ``comprehend-contract run`` both
use it. It acts only on contract tests (tests under a ``contract_tests`` directory): every one must name its
clauses with ``@pytest.mark.clause(...)``, and only sessions that ran contract tests print clause verdicts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.plugin.checks import ClauseChecks, one_line
from comprehend_contract.plugin.summary import render
from comprehend_contract.reports import (
    Expectations,
    ExpectationsError,
    Redactor,
    build_report,
    load_expectations,
    write_reports,
)
from comprehend_contract.spec import UnknownClause, catalogue
from comprehend_contract.targets import OPTIONS, Target, TargetError, TargetProfile, TargetUnreachable, resolve_target
from comprehend_contract.targets.resolve import option_values
from comprehend_contract.verdicts import CheckResult, ClauseCheck, TestOutcome, Verdict, VerdictBook

EVIDENCE_EXCHANGES = 6
"""How many of a failed test's last requests and responses its evidence keeps."""

EXIT_TARGET_UNREACHABLE = 12
"""Exit status when the target's endpoint does not answer at all (distinct from pytest's own 0-5)."""

BOOK = pytest.StashKey[VerdictBook]()
MAX_JOBS = pytest.StashKey[int | None]()
COORDINATION = pytest.StashKey[Path]()
PLAN_SHOWN = pytest.StashKey[bool]()
PLANNED = pytest.StashKey[list[str]]()
OPTION_VALUES = pytest.StashKey[dict[str, Any]]()
EXPECTATIONS = pytest.StashKey[Expectations | None]()
STARTED = pytest.StashKey[dt.datetime]()
REPORT_PATHS = pytest.StashKey[list[Path]]()
TARGET = pytest.StashKey[Target]()
RUN_ID = pytest.StashKey[str]()
CHECKS = pytest.StashKey[ClauseChecks]()
PHASES = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("comprehend-contract", "comprehend-contract: the implementation under test")
    for option in OPTIONS:
        kind = "true/false" if option.kind is bool else ("SECONDS" if option.kind is float else "VALUE")
        group.addoption(
            option.flag,
            dest=f"cc_{option.name}",
            default=None,
            metavar=kind,
            help=f"{option.help} [env: {option.env}]",
        )
    group.addoption(
        "--max-jobs",
        type=int,
        default=None,
        metavar="N",
        help="start at most N jobs in this run (clauses that needed more are NOT_EXERCISED) [env: "
        "COMPREHEND_CONTRACT_MAX_JOBS]",
    )
    group.addoption(
        "--report-dir",
        default=None,
        metavar="DIR",
        help="write report.json, report.md, junit.xml and report.html to DIR/<target>-<run id>/ (default: "
        "reports) [env: COMPREHEND_CONTRACT_REPORT_DIR]",
    )
    group.addoption(
        "--expectations",
        default=None,
        metavar="FILE",
        help="a TOML file of the target's known deviations: the run passes only if every outcome matches it "
        "[env: COMPREHEND_CONTRACT_EXPECTATIONS]",
    )
    group.addoption(
        "--clause",
        action="append",
        default=[],
        metavar="ID",
        help="run only the contract tests that name this clause (repeatable; comma-separated ids too)",
    )
    group.addoption(
        "--keep-artifacts",
        action="store_true",
        default=False,
        help="keep the run's S3 objects (inputs and outputs) instead of removing them at the end "
        "[env: COMPREHEND_CONTRACT_KEEP_ARTIFACTS=true]",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "clause(*ids): the contract clauses (ids from the clause catalogue) that this contract test checks",
    )
    config.addinivalue_line(
        "markers",
        "scenario(name): the state-driving scenario (a job) whose evidence this contract test judges",
    )
    try:
        values = option_values(lambda name: config.getoption(f"cc_{name}"))
        target = resolve_target(values)
    except TargetError as error:
        raise pytest.UsageError(f"comprehend-contract: {error}") from None
    workerinput = getattr(config, "workerinput", None)
    config.stash[TARGET] = target
    config.stash[RUN_ID] = (
        workerinput["cc_run_id"]
        if workerinput and "cc_run_id" in workerinput
        else dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    )
    config.stash[BOOK] = VerdictBook(catalogue())
    config.stash[MAX_JOBS] = _max_jobs(config)
    config.stash[OPTION_VALUES] = values
    expectations_file = config.getoption("expectations") or os.environ.get("COMPREHEND_CONTRACT_EXPECTATIONS")
    try:
        config.stash[EXPECTATIONS] = load_expectations(Path(expectations_file)) if expectations_file else None
    except ExpectationsError as error:
        raise pytest.UsageError(f"comprehend-contract: {error}") from None
    config.stash[COORDINATION] = (
        Path(workerinput["cc_coordination"])
        if workerinput and "cc_coordination" in workerinput
        else Path(tempfile.mkdtemp(prefix="comprehend-contract-"))
    )
    config.pluginmanager.register(ContractSession(config), "comprehend-contract-session")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(config), "comprehend-contract-xdist")


class _XdistHooks:
    """Hands the controller's run id to each xdist worker, so that all of them write under one run prefix."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["cc_run_id"] = self.config.stash[RUN_ID]
        node.workerinput["cc_coordination"] = str(self.config.stash[COORDINATION])

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Workers write the run's plan when they collect; the controller prints it once."""
        plan_file = self.config.stash[COORDINATION] / "plan.json"
        if self.config.stash.get(PLAN_SHOWN, False) or not plan_file.exists():
            return
        self.config.stash[PLAN_SHOWN] = True
        _print_plan(self.config, json.loads(plan_file.read_text(encoding="utf-8")))


def _max_jobs(config: pytest.Config) -> int | None:
    value = config.getoption("max_jobs")
    if value is None and os.environ.get("COMPREHEND_CONTRACT_MAX_JOBS"):
        try:
            value = int(os.environ["COMPREHEND_CONTRACT_MAX_JOBS"])
        except ValueError:
            raise pytest.UsageError("comprehend-contract: COMPREHEND_CONTRACT_MAX_JOBS is not a whole number") from None
    if value is not None and value < 0:
        raise pytest.UsageError(f"comprehend-contract: option --max-jobs: {value} is negative")
    return int(value) if value is not None else None


def planned_scenarios(items: list[pytest.Item]) -> list[str]:
    """The scenarios (jobs) the selected contract tests need, in a stable order."""
    return sorted({str(marker.args[0]) for item in items for marker in item.iter_markers("scenario")})


def _print_plan(config: pytest.Config, names: list[str]) -> None:
    from comprehend_contract.drivers.scenarios import MAX_ATTEMPTS, SCENARIOS

    if not names:
        return
    budgets = config.stash[TARGET].budgets
    jobs = sum(SCENARIOS[name].jobs for name in names)
    worst_jobs = sum(SCENARIOS[name].jobs for name in names) + (MAX_ATTEMPTS - 1) * 2
    cap = config.stash[MAX_JOBS]
    worst = MAX_ATTEMPTS * budgets.leave_submitted_seconds + budgets.job_timeout_seconds
    capped = f", capped at {cap} by --max-jobs" if cap is not None else ""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    line = (
        f"comprehend-contract plan: {jobs} job(s) to start up front ({', '.join(names)}), up to {worst_jobs} "
        f"with retries{capped}; all run concurrently; worst-case wait {worst:g} s"
    )
    if reporter is not None:
        reporter.write_line(line)


def is_contract_test(item: pytest.Item) -> bool:
    return "contract_tests" in Path(str(item.path)).parts


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
    """The per-session part of the plugin: marker enforcement, clause checks, verdicts, summary, exit status.

    Under xdist, workers run tests and the controller records their reports: test outcomes and clause checks
    travel in ``report.user_properties``, the one channel xdist serialises.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.worker = hasattr(config, "workerinput")
        self.book = config.stash[BOOK]
        self.pending: dict[str, dict[str, Any]] = {}

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """External targets are probed once, before any test (or xdist worker) starts."""
        self.config.stash[STARTED] = dt.datetime.now(dt.UTC)
        target = self.config.stash[TARGET]
        if target.embedded or self.worker or not self._runs_contract_tests():
            return
        try:
            target.start()
        except TargetUnreachable as error:
            pytest.exit(f"comprehend-contract: target '{target.name}' is unreachable: {error}", EXIT_TARGET_UNREACHABLE)

    def _runs_contract_tests(self) -> bool:
        paths = [str(arg) for arg in self.config.args] or [str(self.config.rootpath)]
        return any("contract_tests" in path for path in paths)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        names = planned_scenarios(session.items)
        self.config.stash[PLANNED] = names
        if self.worker:
            plan_file = self.config.stash[COORDINATION] / "plan.json"
            partial = plan_file.with_name(f"plan.{os.getpid()}.partial")
            partial.write_text(json.dumps(names), encoding="utf-8")
            partial.replace(plan_file)
        else:
            _print_plan(self.config, names)

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
        wanted = {c.strip() for option in self.config.getoption("clause") for c in option.split(",") if c.strip()}
        for clause_id in wanted:
            try:
                catalogue().get(clause_id)
            except UnknownClause as error:
                raise pytest.UsageError(f"comprehend-contract: option --clause: {error}") from None
        if wanted:
            keep = [i for i in items if not is_contract_test(i) or wanted & set(clauses_of(i))]
            dropped = [i for i in items if i not in keep]
            if dropped:
                self.config.hook.pytest_deselected(items=dropped)
                items[:] = keep

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if is_contract_test(item):
            item.stash[CHECKS] = ClauseChecks(clauses_of(item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report: pytest.TestReport = yield
        if not is_contract_test(item):
            return report
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
            if report.failed or failures or any(c.result is CheckResult.FAIL for c in checks.results):
                found.append(("cc_exchanges", checks.exchanges[-EVIDENCE_EXCHANGES:]))
            # the report holds a copy of the item's properties: extend both, so the teardown report has them too
            item.user_properties.extend(found)
            report.user_properties.extend(found)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties: dict[str, Any] = dict(report.user_properties)
        if "cc_clauses" not in properties or self.worker:
            return
        phases = self.pending.setdefault(report.nodeid, {"outcome": "passed", "message": "", "duration": 0.0})
        phases["duration"] += report.duration
        if report.failed and phases["outcome"] != "failed":
            phases.update(outcome="failed", message=_message(report))
        elif report.skipped and phases["outcome"] == "passed":
            phases.update(outcome="skipped", message=_message(report))
        if report.when != "teardown":
            return
        del self.pending[report.nodeid]
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
                attributed=bool(properties.get("cc_attributed")) and phases["outcome"] == "failed",
                exchanges=tuple(properties.get("cc_exchanges", [])),
                duration=float(phases.get("duration", 0.0)),
            )
        )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Write the reports, and let the verdicts (through the gate) decide the exit status.

        Without expectations a failed clause fails the run, even one that failed only in an incidental check.
        With expectations the run passes exactly when every outcome matches them.
        """
        if self.worker or not self.book:
            return
        report = self._report()
        if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
            return
        if self.config.stash[EXPECTATIONS] is not None:
            session.exitstatus = pytest.ExitCode.OK if report["gate"]["passed"] else pytest.ExitCode.TESTS_FAILED
        elif any(v.verdict is Verdict.FAIL for v in self.book.verdicts()):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _report(self) -> dict[str, Any]:
        config = self.config
        target = config.stash[TARGET]
        values = config.stash[OPTION_VALUES]
        secret_options = {option.name for option in OPTIONS if option.secret}
        options = {name: value for name, value in values.items() if value is not None}
        options.update(max_jobs=config.stash[MAX_JOBS], keep_artifacts=config.getoption("keep_artifacts"))
        count_file = config.stash[COORDINATION] / "jobs.count"
        report = build_report(
            self.book,
            target={
                "name": target.name,
                "kind": target.kind,
                "endpoint_url": target.endpoint_url
                or ("embedded, one per pytest process" if target.embedded else None),
                "region": target.region,
            },
            run_id=config.stash[RUN_ID],
            started=config.stash.get(STARTED, dt.datetime.now(dt.UTC)),
            finished=dt.datetime.now(dt.UTC),
            options=options,
            expectations=config.stash[EXPECTATIONS],
            jobs_started=int(count_file.read_text(encoding="utf-8")) if count_file.exists() else 0,
        )
        secrets = [*target.secrets(), *(str(values[name]) for name in secret_options if values.get(name))]
        redacted: dict[str, Any] = Redactor(secrets)(report)
        report = redacted
        base = Path(config.getoption("report_dir") or os.environ.get("COMPREHEND_CONTRACT_REPORT_DIR") or "reports")
        directory = base / f"{target.name}-{config.stash[RUN_ID]}"
        config.stash[REPORT_PATHS] = write_reports(report, directory)
        latest = base / "latest"
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(directory.name, target_is_directory=True)
        return report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.worker or not self.book:
            return
        terminalreporter.section("comprehend-contract: clause verdicts")
        render(self.book, self.config.stash[TARGET].name, terminalreporter.write_line)
        expectations = self.config.stash[EXPECTATIONS]
        if expectations is not None:
            terminalreporter.write_line(
                f"expectations: {expectations.source} ({len(expectations.deviations)} deviations)"
            )
        for path in self.config.stash.get(REPORT_PATHS, []):
            terminalreporter.write_line(f"report: {path}")
        count_file = self.config.stash[COORDINATION] / "jobs.count"
        started = int(count_file.read_text(encoding="utf-8")) if count_file.exists() else 0
        terminalreporter.write_line(f"jobs started by the state drivers: {started}")

    def pytest_unconfigure(self) -> None:
        if not self.worker:
            shutil.rmtree(self.config.stash[COORDINATION], ignore_errors=True)


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[TargetProfile]:
    """The implementation under test, started (embedded) or connected to (external) once per pytest process."""
    chosen = request.config.stash[TARGET]
    try:
        profile = chosen.start()
    except TargetUnreachable as error:
        pytest.exit(f"comprehend-contract: target '{chosen.name}' is unreachable: {error}", EXIT_TARGET_UNREACHABLE)
    try:
        yield profile
    finally:
        chosen.close()


@pytest.fixture(scope="session")
def run_id(request: pytest.FixtureRequest) -> str:
    """This run's id, shared by every xdist worker: the run's S3 objects live under ``<prefix>run-<id>/``."""
    return request.config.stash[RUN_ID]


@pytest.fixture(scope="session")
def coordination_dir(request: pytest.FixtureRequest) -> Path:
    """A directory shared by every process of this run (xdist workers included), removed when it ends."""
    return request.config.stash[COORDINATION]


@pytest.fixture(scope="session")
def planned_scenarios_of_run(request: pytest.FixtureRequest) -> list[str]:
    """The scenarios the selected contract tests need (the plan printed at the start of the run)."""
    planned: list[str] = request.config.stash.get(PLANNED, [])
    return list(planned)


@pytest.fixture(scope="session")
def max_jobs(request: pytest.FixtureRequest) -> int | None:
    """``--max-jobs``: how many jobs the whole run may start (None: no cap)."""
    return request.config.stash[MAX_JOBS]


@pytest.fixture
def checks(request: pytest.FixtureRequest) -> ClauseChecks:
    """The current contract test's clause checks (``with checks.clause("ID"): assert ...``)."""
    found: ClauseChecks | None = request.node.stash.get(CHECKS, None)
    if found is None:
        raise pytest.UsageError(f"{request.node.nodeid}: the checks fixture is only for contract tests")
    return found
