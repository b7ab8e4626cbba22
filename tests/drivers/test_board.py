"""The scenario board: each scenario once per run across processes, the job budget, shared facts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.evidence import Evidence
from comprehend_contract.core.scenarios import SHAPES, Drive, Scenario
from comprehend_contract.drivers import board as board_module
from comprehend_contract.drivers.scenarios import SCRIPTS, StateNotReached

COUNTED = Drive("KeyPhrases", Scenario.COMPLETED)


class FakeDriver:
    def __init__(self, evidence: Evidence, reserve: Callable[[], bool]) -> None:
        self.evidence = evidence
        self.reserve = reserve


@pytest.fixture
def counting_scenario(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace one scenario's script with one that counts its runs and takes a moment."""
    runs: list[str] = []
    release = threading.Event()

    def run(driver: Any) -> None:
        runs.append(threading.current_thread().name)
        release.wait(0.2)
        if not driver.reserve():
            raise StateNotReached("--max-jobs allows no further job in this run")
        driver.evidence.jobs.append("job-counted")

    monkeypatch.setitem(SCRIPTS, COUNTED.scenario, run)
    monkeypatch.setattr(board_module, "SCRIPTS", SCRIPTS)
    return runs


def _board(directory: Path, max_jobs: int | None = None) -> board_module.ScenarioBoard:
    coordination = Coordination(directory)

    def make_driver(drive: Drive, evidence: Evidence, aborted: Callable[[], bool]) -> Any:
        return FakeDriver(evidence, lambda: coordination.reserve_job(max_jobs))

    return board_module.ScenarioBoard(coordination, make_driver)


def test_a_scenario_runs_once_for_all_processes(tmp_path: Path, counting_scenario: list[str]) -> None:
    boards = [_board(tmp_path) for _ in range(3)]
    for board in boards:
        board.start([COUNTED])
    results = [board.result(COUNTED, timeout=10) for board in boards]
    for board in boards:
        board.close(interrupted=False)
    assert len(counting_scenario) == 1
    assert all(result.reached and result.jobs == ["job-counted"] for result in results)
    assert all(result.job_type == "KeyPhrases" for result in results)
    assert boards[0].coordination.jobs_started() == 1


def test_max_jobs_turns_a_scenario_into_not_exercised(tmp_path: Path, counting_scenario: list[str]) -> None:
    board = _board(tmp_path, max_jobs=0)
    result = board.result(COUNTED, timeout=10)
    board.close(interrupted=False)
    assert not result.reached
    assert "--max-jobs" in result.reason


@pytest.fixture
def slow_scenario(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A scenario that takes a while and notices when it is asked to give up."""
    seen: dict[str, Any] = {"aborted": None}

    def run(driver: Any) -> None:
        for _ in range(40):
            if driver.aborted():
                seen["aborted"] = True
                raise StateNotReached("the run is ending (interrupted)")
            threading.Event().wait(0.02)
        seen["aborted"] = False
        driver.evidence.jobs.append("job-slow")

    monkeypatch.setitem(SCRIPTS, COUNTED.scenario, run)
    monkeypatch.setattr(board_module, "SCRIPTS", SCRIPTS)
    return seen


def _aborting_board(directory: Path) -> board_module.ScenarioBoard:
    def make_driver(drive: Drive, evidence: Evidence, aborted: Callable[[], bool]) -> Any:
        driver = FakeDriver(evidence, lambda: True)
        driver.aborted = aborted  # type: ignore[attr-defined]
        return driver

    return board_module.ScenarioBoard(Coordination(directory), make_driver)


def test_a_process_that_ends_its_tests_lets_its_scenarios_finish_for_the_others(
    tmp_path: Path, slow_scenario: dict[str, Any]
) -> None:
    """An xdist worker out of tests must not cut short a scenario another worker's tests still wait for."""
    runner, waiter = _aborting_board(tmp_path), _aborting_board(tmp_path)
    runner.start([COUNTED])
    runner.close(interrupted=False)
    assert slow_scenario["aborted"] is False
    found = waiter.result(COUNTED, timeout=10)
    assert found.reached, found.reason
    assert found.jobs == ["job-slow"]


def test_an_interrupted_run_asks_its_scenarios_to_give_up(tmp_path: Path, slow_scenario: dict[str, Any]) -> None:
    board = _aborting_board(tmp_path)
    board.start([COUNTED])
    board.close(interrupted=True)
    assert slow_scenario["aborted"] is True
    found = board.result(COUNTED, timeout=10)
    assert not found.reached
    assert "interrupted" in found.reason


def test_every_scenario_has_a_script_and_a_shape() -> None:
    assert set(SCRIPTS) == set(Scenario) == set(SHAPES)
