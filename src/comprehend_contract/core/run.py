"""One run from its plan to its gate, free of any test framework.

``Run`` is the run's lifecycle in the process that judges it (the only pytest process, or the xdist controller):
it checks the tests' markers and selects them, plans the jobs their scenarios need and checks what they could cost,
records each test's ``TestRecord``, and at the end records and compares parity snapshots, builds the report,
redacts it, writes every format and the ``latest`` link, and decides the gate, once. The pytest plugin only
translates pytest's hooks into these calls; a self-test drives a whole run's finish from recorded test records.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comprehend_contract import __version__
from comprehend_contract.core.context import RunContext
from comprehend_contract.core.inputs import document_characters
from comprehend_contract.core.jobs import JobLedger, JobRef, stop_jobs
from comprehend_contract.core.plan import Plan
from comprehend_contract.core.progress import EventKind, ProgressFeed
from comprehend_contract.core.scenarios import MAX_ATTEMPTS, SHAPES, Drive, Scenario, UnknownName
from comprehend_contract.options import OptionError
from comprehend_contract.reports import Redactor, build_report, write_reports
from comprehend_contract.snapshots import Snapshot, SnapshotError, compare
from comprehend_contract.spec import UnknownClause, catalogue
from comprehend_contract.spec.family import family
from comprehend_contract.verdicts import TestRecord, VerdictBook

log = logging.getLogger(__name__)


class CostTooHigh(OptionError):
    """``--max-cost``: the run's jobs could cost more than the user allows (with every retry)."""


class OverQuota(OptionError):
    """The run's scenarios could have more jobs of a type active at once than the type's quota."""


def plan_of(context: RunContext, drives: Iterable[Drive]) -> Plan:
    """The plan of a run whose tests need ``drives``: per job type, jobs, documents, price and the worst-case wait."""
    chosen = set(drives)
    large = context.budgets.large_input
    names = sorted({drive.scenario for drive in chosen})
    jobs = {str(name): (SHAPES[name].jobs, SHAPES[name].most_jobs) for name in names}
    documents = {
        str(name): (
            [c for count in SHAPES[name].documents(large) for c in document_characters(count)],
            [c for count in SHAPES[name].documents(large, most=True) for c in document_characters(count)],
        )
        for name in names
    }
    by_type = {job_type.name: [str(d.scenario) for d in chosen if d.job_type == job_type.name] for job_type in family()}
    prices = {job_type.name: context.price_of(job_type) for job_type in family()}
    quotas = {job_type.name: job_type.active_jobs_quota for job_type in family()}
    return Plan.of(by_type, jobs, documents, prices, context.budgets, MAX_ATTEMPTS, quotas)


def marker_problems(nodeid: str, clauses: Sequence[str], scenarios: Sequence[object]) -> list[str]:
    """What is wrong with a contract test's markers: no clause, an unknown clause id, an unknown scenario."""
    problems = []
    if not clauses:
        problems.append(f"{nodeid}: a contract test must name its clauses with @pytest.mark.clause(...)")
    for clause_id in clauses:
        try:
            catalogue().get(clause_id)
        except UnknownClause as error:
            problems.append(f"{nodeid}: {error}")
    for scenario in scenarios:
        try:
            Scenario.named(scenario)
        except UnknownName as error:
            problems.append(f"{nodeid}: scenario marker: {error}")
    return problems


@dataclass(frozen=True)
class Finished:
    """How a run ended: its report (redacted), the files written, and whether the gate passed."""

    report: dict[str, Any]
    paths: list[Path]
    passed: bool


@dataclass
class Run:
    """The lifecycle of one run, in the process that judges it."""

    context: RunContext
    book: VerdictBook = field(init=False)
    selected: list[str] = field(default_factory=list)
    """The node ids of the contract tests the run selected (parity compares only those)."""
    finished: Finished | None = None
    lost: list[str] = field(default_factory=list)
    """The xdist workers that died during the run (their jobs and S3 folder are left to the controller)."""

    def __post_init__(self) -> None:
        self.book = VerdictBook(catalogue(), tuple(job_type.stop for job_type in self.context.job_types))

    # --- before the tests -------------------------------------------------------------------------------------

    def selects(self, clauses: Iterable[str]) -> bool:
        """Whether a test of ``clauses`` is in the run (``--clause`` selects the tests naming one of its ids)."""
        wanted = self.context.clauses
        return not wanted or bool(wanted & set(clauses))

    def plan(self, drives: Iterable[Drive]) -> Plan:
        """Plan the run's jobs (each process of the run plans the same)."""
        plan = self.context.plan = plan_of(self.context, drives)
        return plan

    def check_cost(self) -> None:
        """``--max-cost``: ``CostTooHigh`` if the planned jobs could cost more (with every retry)."""
        ceiling, plan = self.context.settings["max_cost"], self.context.plan
        worst = plan.cost(most=True) if plan is not None else 0.0
        if ceiling is not None and worst > ceiling:
            raise CostTooHigh(
                f"the run's jobs could cost ${worst:.4f} (with every retry), more than --max-cost ${ceiling:g}: "
                "select fewer clauses (--clause), cap the jobs (--max-jobs) or raise the limit"
            )

    def check_quota(self) -> None:
        """``OverQuota`` if a job type's scenarios could have more jobs active at once than its quota: what a Start
        over the quota gets is not documented, so the run never sends one."""
        over = self.context.plan.over_quota() if self.context.plan is not None else []
        if over:
            named = ", ".join(f"{p.job_type} ({p.most_active} > {p.active_quota})" for p in over)
            raise OverQuota(
                f"the run could have more jobs active at once than a type's quota allows: {named}; select fewer "
                "clauses (--clause) for that type"
            )

    def plan_lines(self) -> list[str]:
        """The plan as the run prints it before its first test (none: the run starts no job); priced for AWS, or
        when the run has a --max-cost."""
        context = self.context
        if context.plan is None or not context.plan.scenarios:
            return []
        priced = context.target.kind == "aws" or context.settings["max_cost"] is not None
        return context.plan.describe(context.max_jobs, priced=priced)

    @property
    def wants_snapshots(self) -> bool:
        """Whether tests record their normalized exchanges (``--record-snapshot`` or ``--parity-snapshot``)."""
        settings = self.context.settings
        return bool(settings["record_snapshot"] or settings["parity_snapshot"])

    # --- as the tests end -------------------------------------------------------------------------------------

    def record(self, record: TestRecord) -> None:
        self.book.record(record)

    # --- at the end -------------------------------------------------------------------------------------------

    def finish(self, interrupted: str | None = None) -> Finished:
        """Stop the jobs of an interrupted run, and of a run that lost a worker (waiting for those, as a worker's
        own end does, so that their last output lands before the dead worker's folder is emptied), record and
        compare snapshots, write the reports, decide the gate."""
        if interrupted is not None or self.lost:
            self._stop_the_runs_jobs(wait=bool(self.lost))
        if interrupted is not None:
            self.book.unrun = f"not run: {interrupted}"
        parity = self._snapshot(interrupted)
        report = self._report(interrupted, parity)
        paths = self._write(report)
        self.finished = Finished(report, paths, bool(report["gate"]["passed"]))
        return self.finished

    def _stop_the_runs_jobs(self, *, wait: bool = False) -> None:
        """Stop every job any of the run's processes started that has not ended (an interrupted worker may not have
        had the time, a dead one had none); with ``wait``, wait for them to end within the target's budgets."""
        jobs = self.context.coordination.jobs()
        if not jobs or self.context.target.embedded:
            return  # an embedded target's jobs end with the processes that serve them
        try:
            profile = self.context.target.start()
            if wait:
                ledger = JobLedger()
                for job in jobs:
                    ledger.add(JobRef.parse(job))
                stopped = ledger.stop_and_wait(profile)
            else:
                stopped = stop_jobs(profile.housekeeping_client(), [JobRef.parse(job) for job in jobs])
        except Exception as error:  # the run is being torn down: say so, never mask the interrupt
            log.warning("could not stop the run's jobs: %s", error)
            return
        shown = ", ".join(stopped) or "none"
        log.info("stopped %d of the run's %d job(s) (the others had ended or were stopping): %s", len(stopped),
                 len(jobs), shown)  # fmt: skip

    def _snapshot(self, interrupted: str | None) -> dict[str, Any] | None:
        """Record this run's snapshot (``--record-snapshot``) and compare it with a recorded one (the parity)."""
        if not self.wants_snapshots:
            return None
        settings, target = self.context.settings, self.context.target
        records = [r for r in self.book.records.values() if r.snapshot is not None]
        implementation = (
            {"name": target.implementation[0], "version": target.implementation[1]} if target.implementation else None
        )
        current = Snapshot.from_normalized(
            {r.nodeid: list(r.snapshot or ()) for r in records},
            {"target": target.name, "kind": target.kind, "implementation": implementation, "kit_version": __version__},
            clauses={r.nodeid: list(r.clauses) for r in records},
            selection=sorted(self.context.clauses) or None,
        )
        if settings["record_snapshot"]:
            incomplete = [r.nodeid for r in self.book.records.values() if r.incomplete]
            if interrupted or incomplete:
                log.warning("no snapshot recorded: the run was %s", interrupted or "incomplete")
            else:
                try:
                    current.write(settings["record_snapshot"])
                except SnapshotError as error:
                    log.error("cannot record the snapshot: %s", error)
        if self.context.parity is None:
            return None
        selected = [nodeid for nodeid in self.selected if nodeid in current.tests]
        comparison: dict[str, Any] = compare(self.context.parity, current, selected=selected).to_dict()
        return comparison

    def _report(self, interrupted: str | None, parity: dict[str, Any] | None) -> dict[str, Any]:
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
            jobs_started=len(context.coordination.jobs()),
            retried=self.retried(),
            interrupted=interrupted,
            parity=parity,
            parity_gate=bool(context.settings["parity_gate"]),
        )
        redacted: dict[str, Any] = Redactor(list(context.secrets()))(report)
        return redacted

    def retried(self) -> tuple[int, int]:
        """Transient answers every process of the run met and retried (tests and scenarios alike), and how many of
        them were throttles: what each process published as it happened."""
        events = ProgressFeed(self.context.coordination.progress_logs).read()
        transient = [event for event in events if event.kind is EventKind.TRANSIENT]
        return len(transient), sum(event.throttled for event in transient)

    def _write(self, report: dict[str, Any]) -> list[Path]:
        """Every format into ``<report dir>/<target>-<run id>/``, and ``latest`` pointing at it."""
        base = self.context.report_dir
        directory = self.context.run_directory
        paths = write_reports(report, directory)
        latest = base / "latest"
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(directory.name, target_is_directory=True)
        return paths
