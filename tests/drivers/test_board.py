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
        board.close()
    assert len(counting_scenario) == 1
    assert all(result.reached and result.jobs == ["job-counted"] for result in results)
    assert all(result.job_type == "KeyPhrases" for result in results)
    assert boards[0].coordination.jobs_started() == 1


def test_max_jobs_turns_a_scenario_into_not_exercised(tmp_path: Path, counting_scenario: list[str]) -> None:
    board = _board(tmp_path, max_jobs=0)
    result = board.result(COUNTED, timeout=10)
    board.close()
    assert not result.reached
    assert "--max-jobs" in result.reason


def test_every_scenario_has_a_script_and_a_shape() -> None:
    assert set(SCRIPTS) == set(Scenario) == set(SHAPES)
