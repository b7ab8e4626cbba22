"""The scenario board: each scenario once per run across processes, the job budget, shared facts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.drivers import board as board_module
from comprehend_contract.drivers.board import FileFacts, ScenarioBoard
from comprehend_contract.drivers.scenarios import SCENARIOS, Evidence, Scenario, StateNotReached


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

    monkeypatch.setitem(SCENARIOS, "counting", Scenario("counting", run, 1, "test"))
    monkeypatch.setattr(board_module, "SCENARIOS", SCENARIOS)
    return runs


def _board(directory: Path, max_jobs: int | None = None) -> ScenarioBoard:
    holder: dict[str, ScenarioBoard] = {}

    def make_driver(evidence: Evidence, aborted: Callable[[], bool]) -> Any:
        return FakeDriver(evidence, holder["board"].reserve_job)

    holder["board"] = ScenarioBoard(directory, max_jobs, make_driver)
    return holder["board"]


def test_a_scenario_runs_once_for_all_processes(tmp_path: Path, counting_scenario: list[str]) -> None:
    boards = [_board(tmp_path) for _ in range(3)]
    for board in boards:
        board.start(["counting"])
    results = [board.result("counting", timeout=10) for board in boards]
    for board in boards:
        board.close()
    assert len(counting_scenario) == 1
    assert all(result.reached and result.steps["done"] == {"ok": True} for result in results)
    assert boards[0].jobs_started() == 1


def test_max_jobs_turns_a_scenario_into_not_exercised(tmp_path: Path, counting_scenario: list[str]) -> None:
    board = _board(tmp_path, max_jobs=0)
    result = board.result("counting", timeout=10)
    board.close()
    assert not result.reached
    assert "--max-jobs" in result.reason


def test_unknown_scenario_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="unknown scenario 'nope'"):
        _board(tmp_path).start(["nope"])


def test_facts_are_shared_and_first_writer_wins(tmp_path: Path) -> None:
    first, second = FileFacts(tmp_path), FileFacts(tmp_path)
    first.set("stays_submitted", "never left SUBMITTED within 10 s")
    second.set("stays_submitted", "another reason")
    assert second.get("stays_submitted") == "never left SUBMITTED within 10 s"
    assert first.get("missing") is None


def test_evidence_survives_json() -> None:
    evidence = Evidence("x", attempts=["attempt 1: COMPLETED first"], timeline=[(0.1, "job", "SUBMITTED")])
    assert Evidence.from_json(evidence.to_json()) == evidence
