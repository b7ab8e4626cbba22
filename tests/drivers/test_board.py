"""The scenario board: each scenario once per run across processes, the job budget, shared facts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.evidence import Evidence
from comprehend_contract.drivers import board as board_module
from comprehend_contract.drivers.board import ScenarioBoard
from comprehend_contract.drivers.scenarios import SCENARIOS, Scenario, StateNotReached


class FakeDriver:
    def __init__(self, evidence: Evidence, reserve: Callable[[], bool]) -> None:
        self.evidence = evidence
        self.reserve = reserve


@pytest.fixture
def counting_scenario(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the registry with one scenario that counts its runs and takes a moment."""
    runs: list[str] = []
    release = threading.Event()

    def run(driver: Any) -> None:
        runs.append(threading.current_thread().name)
        release.wait(0.2)
        if not driver.reserve():
            raise StateNotReached("--max-jobs allows no further job in this run")
        driver.evidence.steps["done"] = {"ok": True}

    monkeypatch.setitem(SCENARIOS, "counting", Scenario("counting", run))
    monkeypatch.setattr(board_module, "SCENARIOS", SCENARIOS)
    return runs


def _board(directory: Path, max_jobs: int | None = None) -> ScenarioBoard:
    coordination = Coordination(directory)

    def make_driver(evidence: Evidence, aborted: Callable[[], bool]) -> Any:
        return FakeDriver(evidence, lambda: coordination.reserve_job(max_jobs))

    return ScenarioBoard(coordination, make_driver)


def test_a_scenario_runs_once_for_all_processes(tmp_path: Path, counting_scenario: list[str]) -> None:
    boards = [_board(tmp_path) for _ in range(3)]
    for board in boards:
        board.start(["counting"])
    results = [board.result("counting", timeout=10) for board in boards]
    for board in boards:
        board.close()
    assert len(counting_scenario) == 1
    assert all(result.reached and result.steps["done"] == {"ok": True} for result in results)
    assert boards[0].coordination.jobs_started() == 1


def test_max_jobs_turns_a_scenario_into_not_exercised(tmp_path: Path, counting_scenario: list[str]) -> None:
    board = _board(tmp_path, max_jobs=0)
    result = board.result("counting", timeout=10)
    board.close()
    assert not result.reached
    assert "--max-jobs" in result.reason


def test_unknown_scenario_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="unknown scenario 'nope'"):
        _board(tmp_path).start(["nope"])


def test_evidence_survives_json() -> None:
    evidence = Evidence("x", attempts=["attempt 1: COMPLETED first"], timeline=[(0.1, "job", "SUBMITTED")])
    assert Evidence.from_json(evidence.to_json()) == evidence
