"""Runs each scenario once per run, up front and concurrently, even across pytest-xdist workers.

All processes of a run share one ``Coordination`` directory. For each scenario, whoever claims it first runs it
and writes its evidence there; everyone else waits for that file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.evidence import Evidence
from comprehend_contract.core.scenarios import Scenario
from comprehend_contract.drivers.scenarios import SCRIPTS, Driver, StateNotReached

log = logging.getLogger(__name__)


class ScenarioBoard:
    """This process's handle on the run's scenarios."""

    def __init__(
        self, coordination: Coordination, make_driver: Callable[[Evidence, Callable[[], bool]], Driver]
    ) -> None:
        self.coordination = coordination
        self.make_driver = make_driver
        self._abort = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, names: Iterable[Scenario]) -> None:
        """Start every scenario in ``names`` that no process of the run has started (each on its own thread)."""
        for name in names:
            if self.coordination.scenario_path(name).exists():
                continue
            thread = threading.Thread(target=self._run, args=(name,), name=f"scenario-{name}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, name: Scenario) -> None:
        lock = self.coordination.claim_scenario(name)
        if lock is None:
            return  # another process runs it, or has run it
        try:
            evidence = Evidence(name)
            try:
                SCRIPTS[name](self.make_driver(evidence, self._abort.is_set))
            except StateNotReached as error:
                evidence.reached, evidence.reason = False, str(error)
            except Exception as error:
                log.exception("scenario %s broke", name)
                evidence.reached, evidence.reason = False, f"the scenario itself broke: {type(error).__name__}: {error}"
            self.coordination.write_scenario(name, evidence.to_json())
        finally:
            lock.release()

    def result(self, name: Scenario, timeout: float) -> Evidence:
        """The evidence of scenario ``name``, waiting (up to ``timeout``) for whichever process runs it."""
        self.start([name])
        deadline = time.monotonic() + timeout
        while (text := self.coordination.read_scenario(name)) is None:
            if time.monotonic() > deadline:
                return Evidence(name, reached=False, reason=f"the scenario did not finish within {timeout:g} s")
            time.sleep(0.02)
        return Evidence.from_json(text)

    def close(self, timeout: float = 10.0) -> None:
        """Ask running scenarios to give up and wait briefly for them (their jobs are stopped by the ledger)."""
        self._abort.set()
        for thread in self._threads:
            thread.join(timeout)
