"""A whole run's finish, driven from recorded test records with no pytest session: plan, records, reports, gate."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from comprehend_contract.core.context import RunContext
from comprehend_contract.core.run import CostTooHigh, OverQuota, Run, marker_problems
from comprehend_contract.core.scenarios import Drive, Scenario
from comprehend_contract.options import Settings
from comprehend_contract.verdicts import CheckResult, ClauseCheck, TestRecord

SEED, EVENTS = "StopSentimentDetectionJob", "StopEventsDetectionJob"
PASSED = TestRecord("test_x.py::test_not_found[StopSentimentDetectionJob]", ("STOP-NOT-FOUND",), "passed", "", SEED)
FAILED = TestRecord(
    "test_x.py::test_completed[StopEventsDetectionJob]",
    ("STOP-COMPLETED",),
    "failed",
    "stop of a COMPLETED job: HTTP 200",
    EVENTS,
    checks=(ClauseCheck("STOP-COMPLETED", CheckResult.FAIL, "answered 200 instead of 400"),),
    attributed=True,
)


def _run(tmp_path: Path, **options: object) -> Run:
    context = RunContext.create(Settings.of(report_dir=str(tmp_path / "reports"), **options))
    return Run(context)


def test_a_run_finishes_from_its_records_alone(tmp_path: Path) -> None:
    """No pytest: records in, reports and the gate out (the same calls the pytest adapter makes)."""
    run = _run(tmp_path)
    run.plan(
        [Drive("Sentiment", Scenario.COMPLETED), Drive("Sentiment", Scenario.FAILED), Drive("Events", Scenario.FAILED)]
    )
    assert "3 job(s) to start up front for 2 job type(s): Sentiment (2), Events (1)" in run.plan_lines()[0]
    for record in (PASSED, FAILED):
        run.record(TestRecord.from_json(record.to_json()))  # as it crosses from a worker
    finished = run.finish()
    assert not finished.passed
    assert finished.report["gate"]["unexpected_failing_cells"] == [{"clause": "STOP-COMPLETED", "operation": EVENTS}]
    clauses = {clause["id"]: clause for clause in finished.report["clauses"]}
    assert clauses["STOP-NOT-FOUND"]["operations"][SEED]["verdict"] == "PASS"
    assert clauses["STOP-NOT-FOUND"]["operations"][EVENTS]["verdict"] == "NOT_EXERCISED"
    assert clauses["STOP-COMPLETED"]["operations"][EVENTS]["verdict"] == "FAIL"
    assert clauses["STOP-COMPLETED"]["verdict"] == "FAIL", "a failure on any operation is the clause's"
    assert {path.name for path in finished.paths} >= {"report.json", "report.md", "junit.xml", "report.html"}
    latest = tmp_path / "reports" / "latest" / "report.json"
    assert json.loads(latest.read_text(encoding="utf-8"))["run"]["id"] == run.context.run_id
    run.context.coordination.remove()


def test_the_gate_is_decided_once_and_passes_a_clean_run(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.record(PASSED)
    finished = run.finish()
    assert finished.passed is finished.report["gate"]["passed"] is True
    run.context.coordination.remove()


def test_an_interrupted_run_never_passes(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.record(PASSED)
    finished = run.finish(interrupted="interrupted by SIGINT before every test ran")
    assert not finished.passed
    assert finished.report["gate"]["interrupted"] == "interrupted by SIGINT before every test ran"
    clauses = {clause["id"]: clause for clause in finished.report["clauses"]}
    unrun = clauses["STOP-COMPLETED"]["operations"][SEED]
    assert unrun["verdict"] == "NOT_EXERCISED"
    assert unrun["reason"] == "not run: interrupted by SIGINT before every test ran", "not 'no test names it'"
    run.context.coordination.remove()


def test_max_cost_refuses_a_plan_above_it(tmp_path: Path) -> None:
    run = _run(tmp_path, max_cost="0.0000001")
    run.plan([Drive("TargetedSentiment", Scenario.STOP_IN_PROGRESS)])
    with pytest.raises(CostTooHigh, match="more than --max-cost"):
        run.check_cost()
    run.context.coordination.remove()


def test_every_scenario_of_a_type_at_once_stays_within_its_active_jobs_quota(tmp_path: Path) -> None:
    """What a Start over the quota gets is not documented: the run never plans one (the plan prints the quota)."""
    run = _run(tmp_path, max_cost="100")  # a priced plan: a line per type
    run.plan([Drive(job_type, scenario) for job_type in ("Sentiment", "Events") for scenario in Scenario])
    run.check_quota()
    sentiment = run.plan_lines()[1]
    assert f"at most {len(Scenario)} active at once (quota 10)" in sentiment, sentiment
    run.context.coordination.remove()


def test_a_plan_over_a_types_quota_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run(tmp_path)
    run.plan([Drive("Events", scenario) for scenario in list(Scenario)[:3]])
    assert run.context.plan is not None
    events = run.context.plan.types[0]
    over = dataclasses.replace(events, active_quota=2)
    run.context.plan = dataclasses.replace(run.context.plan, types=(over,))
    with pytest.raises(OverQuota, match=r"Events \(3 > 2\)"):
        run.check_quota()
    run.context.coordination.remove()


def test_markers_are_checked_by_name() -> None:
    (unknown,) = marker_problems("t", ("STOP-OUTPT",), ())
    assert unknown.startswith("t: unknown clause id 'STOP-OUTPT'; did you mean STOP-OUTPUT")
    (problem,) = marker_problems("t", ("STOP-OUTPUT",), ("complete",))
    assert "'complete' is not a scenario; the choices are: completed" in problem
    assert marker_problems("t", (), ()) == ["t: a contract test must name its clauses with @pytest.mark.clause(...)"]
