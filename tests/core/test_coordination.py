"""The run's shared directory: one budget, first-writer facts, one claim per scenario, statuses seen by all."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from comprehend_contract.core.checks import ClauseChecks, judge_transition
from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.exchange import Exchange
from comprehend_contract.verdicts import CheckResult


def test_facts_are_shared_and_first_writer_wins(tmp_path: Path) -> None:
    first, second = Coordination(tmp_path), Coordination(tmp_path)
    first.learn("stays_submitted", "never left SUBMITTED within 10 s")
    second.learn("stays_submitted", "another reason")
    assert second.fact("stays_submitted") == "never left SUBMITTED within 10 s"
    assert first.fact("missing") is None


def _reserve(directory: str, count: int) -> int:
    shared = Coordination(Path(directory))
    return sum(shared.reserve_job(5) for _ in range(count))


def test_the_job_budget_holds_across_processes(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        granted = pool.starmap(_reserve, [(str(tmp_path), 4), (str(tmp_path), 4)])
    assert sum(granted) == 5
    assert Coordination(tmp_path).jobs_started() == 5


def test_a_scenario_is_claimed_once(tmp_path: Path) -> None:
    first, second = Coordination(tmp_path), Coordination(tmp_path)
    lock = first.claim_scenario("completed")
    assert lock is not None
    assert second.claim_scenario("completed") is None, "claimed while the first holds it"
    first.write_scenario("completed", "{}")
    lock.release()
    assert second.claim_scenario("completed") is None, "claimed after its evidence was written"
    assert second.read_scenario("completed") == "{}"


def describe(job_id: str, status: str) -> Exchange:
    body = f'{{"SentimentDetectionJobProperties": {{"JobId": "{job_id}", "JobStatus": "{status}"}}}}'
    return Exchange("DescribeSentimentDetectionJob", "raw", {"JobId": job_id}, 200, {}, body.encode())


def _observe(directory: str, status: str, sent: float, received: float) -> list[tuple[str, str]]:
    """One worker's observation of job j1, judged against the run's other observations."""
    checks = ClauseChecks(("LIFE-TRANSITIONS",))
    judge_transition(checks, Coordination(Path(directory)), describe("j1", status), sent, received)
    return [(check.result.value, check.detail) for check in checks.results]


def test_an_illegal_transition_seen_only_across_two_workers_is_caught(tmp_path: Path) -> None:
    """Worker 1 sees COMPLETED, worker 2 later sees IN_PROGRESS: neither alone saw a transition."""
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        first = pool.apply(_observe, (str(tmp_path), "COMPLETED", 100.0, 100.5))
        second = pool.apply(_observe, (str(tmp_path), "IN_PROGRESS", 101.0, 101.2))
    assert first == [], "the first observation has nothing to be judged against"
    assert [result for result, _ in second] == [CheckResult.FAIL.value]
    assert "seen COMPLETED, then IN_PROGRESS" in second[0][1]


@pytest.mark.parametrize(
    ("earlier", "later", "result"),
    [
        (("IN_PROGRESS", 1.0, 2.0), ("COMPLETED", 3.0, 4.0), CheckResult.PASS),
        (("COMPLETED", 1.0, 2.0), ("SUBMITTED", 3.0, 4.0), CheckResult.FAIL),
        (("COMPLETED", 3.0, 4.0), ("IN_PROGRESS", 1.0, 2.0), CheckResult.PASS),
        (("IN_PROGRESS", 3.0, 4.0), ("COMPLETED", 1.0, 2.0), CheckResult.FAIL),
    ],
    ids=["forward", "backward", "recorded-late-legal", "recorded-late-illegal"],
)
def test_observations_are_ordered_by_when_they_were_made(
    tmp_path: Path, earlier: tuple[str, float, float], later: tuple[str, float, float], result: CheckResult
) -> None:
    shared = Coordination(tmp_path)
    checks = ClauseChecks(("LIFE-TRANSITIONS",))
    judge_transition(checks, shared, describe("j1", earlier[0]), earlier[1], earlier[2])
    judge_transition(checks, shared, describe("j1", later[0]), later[1], later[2])
    assert [check.result for check in checks.results] == [result]


def test_overlapping_observations_are_not_compared(tmp_path: Path) -> None:
    """Two answers in flight at once may show the job in either order: nothing to judge."""
    shared = Coordination(tmp_path)
    checks = ClauseChecks(("LIFE-TRANSITIONS",))
    judge_transition(checks, shared, describe("j1", "COMPLETED"), 1.0, 3.0)
    judge_transition(checks, shared, describe("j1", "IN_PROGRESS"), 2.0, 4.0)
    assert checks.results == []
