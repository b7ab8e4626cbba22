"""The directory every process of a run shares (the pytest process, or the xdist controller and its workers).

One class owns its layout; each shared thing is a file behind its own file lock:

- ``jobs.count``: jobs started so far, against ``--max-jobs`` (``reserve_job``);
- ``facts.json``: what the run learned about the target (e.g. "jobs never leave SUBMITTED"), first writer wins;
- ``scenario-<type>-<scenario>.json``: a job type's scenario's evidence, written by whichever process ran it (its
  ``.lock`` decides);
- ``plan.json``: the scenarios the selected tests need (workers write it, the controller prints it);
- ``tests.json``: each selected contract test's clauses and operation (workers write it; the controller reads it to
  account for a test whose worker crashed, which sends no record);
- ``statuses.json``: every job status any process saw in a live response, with when (LIFE-TRANSITIONS);
- ``rate.json``: when the run may send its next request (``wait_for_turn``, the run's request rate), and
  ``rate-<operation>.json`` the same for one operation (its share of its quota);
- ``jobs.json``: every job any process started, so that an interrupted run can stop them all;
- ``progress-<process>.jsonl``: what each process's scenarios observed, appended as it happens (``core.progress``;
  one writer per file, so no lock), for the process that shows the run's progress.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout


def _file_name(name: str) -> str:
    """A scenario's file name: ``Sentiment/completed`` is ``scenario-Sentiment-completed``."""
    return "scenario-" + name.replace("/", "-")


class Coordination:
    """A run's shared directory. ``create`` makes a new one; workers open the controller's by path."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def create(cls) -> Coordination:
        return cls(Path(tempfile.mkdtemp(prefix="comprehend-contract-")))

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def _lock(self, name: str) -> FileLock:
        return FileLock(str(self.directory / f"{name}.lock"))

    def _read_json(self, name: str, default: Any) -> Any:
        try:
            return json.loads((self.directory / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return default

    def _write_json(self, name: str, data: Any) -> None:
        """Write atomically: readers without the lock never see half a file."""
        partial = self.directory / f"{name}.{os.getpid()}.partial"
        partial.write_text(json.dumps(data), encoding="utf-8")
        partial.replace(self.directory / name)

    # --- the job budget -----------------------------------------------------------------------------------------

    def jobs_started(self) -> int:
        try:
            return int((self.directory / "jobs.count").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0

    def reserve_job(self, max_jobs: int | None) -> bool:
        """Count one more job against ``max_jobs``; False if the run may start no more."""
        with self._lock("jobs"):
            started = self.jobs_started()
            if max_jobs is not None and started >= max_jobs:
                return False
            (self.directory / "jobs.count").write_text(str(started + 1), encoding="utf-8")
            return True

    # --- facts ---------------------------------------------------------------------------------------------------

    def fact(self, name: str) -> str | None:
        with self._lock("facts"):
            value = self._read_json("facts.json", {}).get(name)
            return str(value) if value is not None else None

    def learn(self, name: str, value: str) -> None:
        """Record a fact; the first value recorded for a name stays."""
        with self._lock("facts"):
            facts = self._read_json("facts.json", {})
            facts.setdefault(name, value)
            self._write_json("facts.json", facts)

    # --- scenario results ----------------------------------------------------------------------------------------

    def scenario_path(self, name: str) -> Path:
        return self.directory / f"{_file_name(name)}.json"

    def claim_scenario(self, name: str) -> FileLock | None:
        """The scenario's lock if this process is the one to run it (release it when done), else None."""
        lock = self._lock(_file_name(name))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return None
        if self.scenario_path(name).exists():
            lock.release()
            return None
        return lock

    def write_scenario(self, name: str, text: str) -> None:
        partial = self.scenario_path(name).with_suffix(".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(self.scenario_path(name))

    def read_scenario(self, name: str) -> str | None:
        try:
            return self.scenario_path(name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    # --- the plan --------------------------------------------------------------------------------------------------

    def write_plan(self, names: list[str]) -> None:
        self._write_json("plan.json", names)

    def read_plan(self) -> list[str] | None:
        found = self._read_json("plan.json", None)
        return [str(name) for name in found] if isinstance(found, list) else None

    def write_tests(self, tests: dict[str, dict[str, Any]]) -> None:
        self._write_json("tests.json", tests)

    def read_tests(self) -> dict[str, dict[str, Any]]:
        found = self._read_json("tests.json", {})
        return found if isinstance(found, dict) else {}

    # --- observed statuses (LIFE-TRANSITIONS) ----------------------------------------------------------------------

    def record_status(self, job_id: str, status: str, sent: float, received: float) -> list[tuple[str, float, float]]:
        """Add one observation of ``job_id``; the observations any process of the run made before this call."""
        with self._lock("statuses"):
            seen: dict[str, list[list[Any]]] = self._read_json("statuses.json", {})
            earlier = [(str(s), float(a), float(b)) for s, a, b in seen.get(job_id, [])]
            seen.setdefault(job_id, []).append([status, sent, received])
            self._write_json("statuses.json", seen)
        return earlier

    # --- the request rate ------------------------------------------------------------------------------------------

    def wait_for_turn(self, per_second: float, bucket: str = "") -> None:
        """Block until this process may send a request: the run's requests (of ``bucket``, e.g. one operation's),
        from all its processes, are spaced ``1 / per_second`` apart."""
        name = f"rate-{bucket}" if bucket else "rate"
        with self._lock(name):
            now = time.time()
            slot = max(now, float(self._read_json(f"{name}.json", 0.0)))
            self._write_json(f"{name}.json", slot + 1.0 / per_second)
        if slot > now:
            time.sleep(slot - now)

    # --- jobs started ------------------------------------------------------------------------------------------------

    def record_job(self, job_id: str) -> None:
        with self._lock("jobs-started"):
            jobs: list[str] = self._read_json("jobs.json", [])
            if job_id not in jobs:
                jobs.append(job_id)
                self._write_json("jobs.json", jobs)

    def jobs(self) -> list[str]:
        """Every job any process of the run recorded as started."""
        with self._lock("jobs-started"):
            return [str(job) for job in self._read_json("jobs.json", [])]

    # --- progress events ---------------------------------------------------------------------------------------------

    def progress_log(self, process: str) -> Path:
        """The append-only file of ``process``'s progress events (``main`` or an xdist worker id)."""
        return self.directory / f"progress-{process}.jsonl"

    def progress_logs(self) -> list[Path]:
        """Every process's progress file so far."""
        return sorted(self.directory.glob("progress-*.jsonl"))
