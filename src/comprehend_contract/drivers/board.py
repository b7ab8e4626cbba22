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
from comprehend_contract.core.progress import ProgressLog
from comprehend_contract.core.scenarios import Drive
from comprehend_contract.drivers.scenarios import SCRIPTS, Driver, StateNotReached

log = logging.getLogger(__name__)

RECLAIM_SECONDS = 1.0
"""How often a process waiting for a scenario tries to claim it, in case the process that ran it died."""


class ScenarioBoard:
    """This process's handle on the run's scenarios."""

    def __init__(
        self,
        coordination: Coordination,
        make_driver: Callable[[Drive, Evidence, Callable[[], bool]], Driver],
        progress: ProgressLog | None = None,
    ) -> None:
        self.coordination = coordination
        self.make_driver = make_driver
        self.progress = progress if progress is not None else ProgressLog(None, time.time)
        """Where each scenario this process runs says that it started and ended (the progress display)."""
        self._abort = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, drives: Iterable[Drive]) -> None:
        """Start every scenario in ``drives`` that no process of the run has started (each on its own thread)."""
        for drive in drives:
            if self.coordination.scenario_path(str(drive)).exists():
                continue
            thread = threading.Thread(target=self._run, args=(drive,), name=f"scenario-{drive}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, drive: Drive) -> None:
        lock = self.coordination.claim_scenario(str(drive))
        if lock is None:
            return  # another process runs it, or has run it
        try:
            evidence = Evidence(drive.scenario, drive.job_type)
            self.progress.scenario_started(str(drive))
            try:
                SCRIPTS[drive.scenario](self.make_driver(drive, evidence, self._abort.is_set))
            except StateNotReached as error:
                evidence.reached, evidence.reason = False, str(error)
            except Exception as error:
                log.exception("scenario %s broke", drive)
                evidence.reached, evidence.reason = False, f"the scenario itself broke: {type(error).__name__}: {error}"
            self.coordination.write_scenario(str(drive), evidence.to_json())
            self.progress.scenario_ended(str(drive), "" if evidence.reached else evidence.reason)
        finally:
            lock.release()

    def result(self, drive: Drive, timeout: float) -> Evidence:
        """The evidence of ``drive``, waiting (up to ``timeout``) for whichever process runs it. If that process dies
        (an xdist worker crashed: its lock goes with it), this one claims the scenario and runs it afresh."""
        self.start([drive])
        deadline = time.monotonic() + timeout
        next_claim = time.monotonic() + RECLAIM_SECONDS
        while (text := self.coordination.read_scenario(str(drive))) is None:
            now = time.monotonic()
            if now > deadline:
                reason = f"the scenario did not finish within {timeout:g} s"
                return Evidence(drive.scenario, drive.job_type, reached=False, reason=reason)
            if now >= next_claim:
                self.start([drive])
                next_claim = now + RECLAIM_SECONDS
            time.sleep(0.02)
        return Evidence.from_json(text)

    def close(self, *, interrupted: bool, timeout: float = 10.0) -> None:
        """At the end of this process's tests. The scenarios it runs may be awaited by another process's tests (an
        xdist worker that runs out of tests first): unless the run is ``interrupted``, let them finish. An interrupted
        run (or one interrupted while it waits here) asks them to give up and waits briefly (the ledger stops their
        jobs)."""
        if not interrupted:
            try:
                for thread in self._threads:
                    thread.join()
            except KeyboardInterrupt:
                self._give_up(timeout)
                raise
        self._give_up(timeout)

    def _give_up(self, timeout: float) -> None:
        self._abort.set()
        for thread in self._threads:
            thread.join(timeout)
