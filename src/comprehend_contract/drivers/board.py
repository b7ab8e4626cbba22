"""Runs each scenario once per run, up front and concurrently, even across pytest-xdist workers.

All processes of a run share one coordination directory. For each scenario, whoever takes its file lock first
runs it and writes ``<name>.json``; everyone else waits for that file. The job budget (``--max-jobs``) and the
run's facts (e.g. "jobs never leave SUBMITTED") are files there too, each behind its own lock.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from filelock import FileLock, Timeout

from comprehend_contract.drivers.scenarios import SCENARIOS, Driver, Evidence, Facts, StateNotReached

log = logging.getLogger(__name__)


class FileFacts(Facts):
    """Facts kept in ``facts.json`` of the coordination directory."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "facts.json"
        self.lock = FileLock(str(directory / "facts.lock"))

    def _read(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def get(self, name: str) -> str | None:
        with self.lock:
            return self._read().get(name)

    def set(self, name: str, value: str) -> None:
        with self.lock:
            facts = self._read()
            facts.setdefault(name, value)
            self.path.write_text(json.dumps(facts), encoding="utf-8")


class ScenarioBoard:
    """This process's handle on the run's scenarios."""

    def __init__(
        self, directory: Path, max_jobs: int | None, make_driver: Callable[[Evidence, Callable[[], bool]], Driver]
    ) -> None:
        self.directory = directory
        self.max_jobs = max_jobs
        self.make_driver = make_driver
        self.facts = FileFacts(directory)
        self._abort = threading.Event()
        self._threads: list[threading.Thread] = []
        self._budget_lock = FileLock(str(directory / "jobs.lock"))

    def jobs_started(self) -> int:
        try:
            return int((self.directory / "jobs.count").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0

    def reserve_job(self) -> bool:
        """Count one more job against ``--max-jobs``; False if the run may start no more."""
        with self._budget_lock:
            started = self.jobs_started()
            if self.max_jobs is not None and started >= self.max_jobs:
                return False
            (self.directory / "jobs.count").write_text(str(started + 1), encoding="utf-8")
            return True

    def _result_path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def start(self, names: Iterable[str]) -> None:
        """Start every scenario in ``names`` that no process of the run has started (each on its own thread)."""
        for name in names:
            if name not in SCENARIOS:
                raise KeyError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
            if self._result_path(name).exists():
                continue
            thread = threading.Thread(target=self._run, args=(name,), name=f"scenario-{name}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, name: str) -> None:
        lock = FileLock(str(self.directory / f"{name}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return  # another process runs it
        try:
            if self._result_path(name).exists():
                return
            evidence = Evidence(name)
            try:
                SCENARIOS[name].run(self.make_driver(evidence, self._abort.is_set))
            except StateNotReached as error:
                evidence.reached, evidence.reason = False, str(error)
            except Exception as error:
                log.exception("scenario %s broke", name)
                evidence.reached, evidence.reason = False, f"the scenario itself broke: {type(error).__name__}: {error}"
            partial = self._result_path(name).with_suffix(".partial")
            partial.write_text(evidence.to_json(), encoding="utf-8")
            partial.replace(self._result_path(name))
        finally:
            lock.release()

    def result(self, name: str, timeout: float) -> Evidence:
        """The evidence of scenario ``name``, waiting (up to ``timeout``) for whichever process runs it."""
        self.start([name])
        deadline = time.monotonic() + timeout
        while not self._result_path(name).exists():
            if time.monotonic() > deadline:
                return Evidence(name, reached=False, reason=f"the scenario did not finish within {timeout:g} s")
            time.sleep(0.02)
        return Evidence.from_json(self._result_path(name).read_text(encoding="utf-8"))

    def close(self, timeout: float = 10.0) -> None:
        """Ask running scenarios to give up and wait briefly for them (their jobs are stopped by the ledger)."""
        self._abort.set()
        for thread in self._threads:
            thread.join(timeout)
