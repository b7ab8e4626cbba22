"""Runs the contract suite against each mutant (only the tests of its clause, for its job type and one other) and
reports whether it was caught: its clause FAILs on the Stop operation it breaks, and on no other.

Each mutant is a reference started with the mutant's behaviour and reached by the suite through a generated target
profile, the same path any external implementation takes. Two ways to run it, with the same verdicts:

- ``fork`` (the default): the suite runs in-process (``pytest.main``) in a child forked, for that mutant alone,
  from a fork server (``mutants.worker``, one per zoo) that imported pytest, the kit and their dependencies and
  collected the suite once. The mutant's reference runs in the same child. Each child starts from the same freshly
  imported state and exits after one session, so no module, cache or global of one session can reach the next.
- ``subprocess``: the reference runs in the zoo's process and the suite in a fresh ``python -m pytest`` per
  mutant. It pays an interpreter start-up, every import and a collection per mutant; it is kept as the plainest
  statement of what the zoo does (``benchmarks/zoo.py`` compares both ways).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from comprehend_contract.mutants.catalogue import MUTANTS
from comprehend_contract.reference import REHEARSAL_JOB_ID_PREFIX, FaultPlan, ReferenceService, ServiceConfig
from comprehend_contract.resources import contract_tests_dir
from comprehend_contract.spec.family import JobType, family

CONTROL = "control"
"""The unmutated reference, run through the same path: every clause must pass (or be not exercised), for every type.
The zoo runs it as one session per job type (``control-<type>``), in parallel like the mutants."""


def is_control(name: str) -> bool:
    return name == CONTROL or name.startswith(f"{CONTROL}-")


def controls() -> list[str]:
    """The control, a session per job type: ``control-sentiment``, ``control-keyphrases``, ..."""
    return [f"{CONTROL}-{job_type.name.lower()}" for job_type in family()]


def expanded(names: Iterable[str]) -> list[str]:
    """``names`` with the control as its sessions, one per job type."""
    return [session for name in names for session in (controls() if name == CONTROL else [name])]


MODES = ("fork", "subprocess")

BUDGETS = {
    "job_timeout_seconds": 8,
    "leave_submitted_seconds": 5,
    "poll_initial_seconds": 0.02,
    "poll_max_seconds": 0.25,
}

SESSION_TIMEOUT_SECONDS = 600

CLAUSE_FILES: dict[str, tuple[str, ...]] = {}
"""The contract test files that hold each clause's tests, when the fork server has collected the suite (its
children inherit it): a mutant's session then collects those files alone. Empty: the whole suite is collected."""

OUTER_SESSION_VARIABLES = (
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
)
"""Set when the zoo itself runs under pytest(-xdist): a mutant's session is a run of its own, never one's worker."""


def session_environment() -> dict[str, str]:
    """The environment of a mutant's session: this process's, without the variables of an outer pytest session."""
    return {key: value for key, value in os.environ.items() if key not in OUTER_SESSION_VARIABLES}


@dataclass(frozen=True)
class Kill:
    """What the suite said about one mutant (or about the control run)."""

    mutant: str
    clause: str
    verdict: str
    """For a mutant: the verdict of its clause on the Stop operation it breaks. For the control: the run's."""
    as_expected: bool
    """For a mutant: the suite caught it (its clause FAILed on that operation, and on no other). For the control:
    the run was clean."""
    seconds: float
    detail: str


def write_profile(path: Path, service: ReferenceService, bucket: str | None = None) -> str:
    """Write a target profile for the running ``service`` to ``path``; the bucket it names."""
    running = service.running
    assert running is not None
    first, second = running.accounts[0], running.accounts[1]
    bucket = bucket or f"zoo-{path.stem.lower()[:40]}-{int(time.time() * 1000) % 100000}"
    lines = [
        f'name = "{path.stem}"',
        f'endpoint_url = "{running.endpoint_url}"',
        f'region = "{running.region}"',
        "[credentials]",
        f'access_key_id = "{first.access_key_id}"',
        f'secret_access_key = "{first.secret_access_key}"',
        "[second_credentials]",
        f'access_key_id = "{second.access_key_id}"',
        f'secret_access_key = "{second.secret_access_key}"',
        "[s3]",
        f'bucket = "{bucket}"',
        f'role_arn = "arn:aws:iam::{first.account_id}:role/ComprehendContractZoo"',
        "create_bucket = true",
        "[budgets]",
        *(f"{key} = {value}" for key, value in BUDGETS.items()),
        "[rehearsal]",
        f'internal_error_job_id_prefix = "{REHEARSAL_JOB_ID_PREFIX}"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bucket


def mutant_service(name: str) -> ReferenceService:
    """A reference (not started) with mutant ``name``'s behaviour, or the unmutated one for the control."""
    config = ServiceConfig(faults=FaultPlan.rehearsal())
    return ReferenceService(config if is_control(name) else MUTANTS[name].config(config))


def clause_of(name: str) -> str:
    return "" if is_control(name) else MUTANTS[name].clause


def witness_of(job_type: JobType) -> JobType:
    """The type run beside a mutant's own: the next in the family's order. Its Stop must not fail: a check that
    failed there too would be judging the wrong operation."""
    types = family().types
    return types[(types.index(job_type) + 1) % len(types)]


def job_types_of(name: str) -> tuple[str, ...]:
    """The job types a mutant's session runs: its own and its witness (a control session: its type; the whole
    control: every type)."""
    if name == CONTROL:
        return tuple(t.name for t in family().types)
    if is_control(name):
        return tuple(t.name for t in family() if f"{CONTROL}-{t.name.lower()}" == name)
    own = MUTANTS[name].job_type
    return (own.name, witness_of(own).name)


def pytest_arguments(name: str, profile: Path, report_dir: Path) -> list[str]:
    """The suite's command line for mutant ``name``: only its clause's tests, for its type and its witness, against
    ``profile``; no progress display (nobody watches a mutant's session: its log keeps to what went wrong), and no
    hunt for unraisable exceptions at its end (pytest's collects the garbage five times over: a third of a session's
    time, for warnings nobody reads)."""
    suite = contract_tests_dir()
    clause = clause_of(name)
    files = [str(suite / file) for file in CLAUSE_FILES.get(clause, ())] or [str(suite)]
    arguments = [
        *files, "--rootdir", str(suite), "-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception",
        "--target", str(profile), "--report-dir", str(report_dir), "--progress", "none",
    ]  # fmt: skip
    for job_type in job_types_of(name):
        arguments += ["--job-type", job_type]
    return [*arguments, "--clause", clause] if clause else arguments


def judge(name: str, report_file: Path, seconds: float, output_tail: str) -> Kill:
    """The kill of mutant ``name`` (or the control's verdict) from the run's ``report.json``."""
    clause = clause_of(name)
    if not report_file.exists():
        return Kill(name, clause or "*", "NO REPORT", False, seconds, output_tail[-600:])
    report: dict[str, Any] = json.loads(report_file.read_text(encoding="utf-8"))
    verdicts = {c["id"]: c for c in report["clauses"]}
    if is_control(name):
        failed = [cid for cid, c in verdicts.items() if c["verdict"] == "FAIL"]
        detail = f"failed: {', '.join(failed)}" if failed else "every clause passed or was not exercised"
        return Kill(name, "*", "FAIL" if failed else "PASS", not failed, seconds, detail)
    operation = MUTANTS[name].operation
    cells: dict[str, Any] = verdicts[clause].get("operations", {})
    own = cells.get(operation, {"verdict": "NOT JUDGED", "reason": f"no verdict for {operation}"})
    elsewhere = sorted(op for op, cell in cells.items() if op != operation and cell["verdict"] == "FAIL")
    if elsewhere:
        detail = f"also failed {', '.join(elsewhere)}, which the mutant leaves alone: {cells[elsewhere[0]]['reason']}"
        return Kill(name, clause, own["verdict"], False, seconds, detail)
    return Kill(name, clause, own["verdict"], own["verdict"] == "FAIL", seconds, own["reason"])


def run_mutant(name: str, work: Path, mode: str = "fork", server: ForkServer | None = None) -> Kill:
    """Run the clause's tests of mutant ``name`` (or every test, for the control) against it, the ``mode`` way
    (``fork``: through ``server``, or a fork server of its own)."""
    if mode == "subprocess":
        return _run_in_subprocess(name, work)
    if mode != "fork":
        raise ValueError(f"zoo mode {mode!r} is not one of {', '.join(MODES)}")
    if server is None:
        with ForkServer() as own:
            return _run_forked(name, work, own)
    return _run_forked(name, work, server)


def default_workers(mode: str) -> int:
    """Mutants run at once by default: 2 in fresh interpreters (start-up is CPU-bound), else five per processor
    (at most 12), since a forked session spends most of its time waiting for jobs."""
    return 2 if mode == "subprocess" else max(2, min(12, 5 * (os.cpu_count() or 1)))


def run_zoo(
    names: Iterable[str],
    workers: int | None = None,
    progress: Callable[[Kill], None] | None = None,
    mode: str = "fork",
) -> list[Kill]:
    """Run every named mutant (and the control, if named), ``workers`` at a time, the ``mode`` way; the kills in
    the order of ``names``. Mutants caught only by waiting out a budget, and the control, start first."""
    names = expanded(names)
    first = [n for n in names if is_control(n) or (n in MUTANTS and MUTANTS[n].waits_out_budget)]
    order = first + [n for n in names if n not in first]
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="comprehend-contract-zoo-")))
        server = stack.enter_context(ForkServer()) if mode == "fork" else None

        def one(name: str) -> Kill:
            kill = run_mutant(name, work, mode, server)
            if progress:
                progress(kill)
            return kill

        with ThreadPoolExecutor(max_workers=workers or default_workers(mode)) as pool:
            kills = dict(zip(order, pool.map(one, order), strict=True))
        return [kills[name] for name in names]


# --- subprocess: the reference here, the suite in a fresh interpreter --------------------------------------------


def _run_in_subprocess(name: str, work: Path) -> Kill:
    began = time.monotonic()
    service = mutant_service(name)
    service.start()
    try:
        profile = work / f"{name}.toml"
        write_profile(profile, service)
        command = [sys.executable, "-m", "pytest", *pytest_arguments(name, profile, work / name)]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=SESSION_TIMEOUT_SECONDS,
            check=False,
            env=session_environment(),
        )
    finally:
        service.close()
    return judge(name, work / name / "latest" / "report.json", time.monotonic() - began, result.stdout + result.stderr)


# --- fork: the reference and the suite together in a child of the fork server -----------------------------------


def run_in_this_process(name: str, work: Path) -> None:
    """Start mutant ``name``, run its clause's tests in this process and write its kill to ``work/NAME.kill.json``.

    For a fresh child of the fork server (``mutants.worker``): ``pytest.main`` imports the contract tests into this
    process, which then ends."""
    import pytest

    service = mutant_service(name)
    service.start()
    try:
        profile = work / f"{name}.toml"
        write_profile(profile, service)
        pytest.main(pytest_arguments(name, profile, work / name))
    finally:
        service.close()
        sys.stdout.flush()
        sys.stderr.flush()
    log = work / f"{name}.log"
    output = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    kill = judge(name, work / name / "latest" / "report.json", 0.0, output)
    (work / f"{name}.kill.json").write_text(json.dumps(asdict(kill)), encoding="utf-8")


class ForkServer:
    """``python -m comprehend_contract.mutants.worker``: imports once, then forks a child per mutant it is sent.

    One per zoo run (a context manager); any number of threads may run mutants through it at once."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "comprehend_contract.mutants.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=session_environment(),
        )
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[threading.Event, list[int | None]]] = {}
        self._ids = itertools.count()
        self._reader = threading.Thread(target=self._read_answers, name="zoo-fork-server", daemon=True)
        self._reader.start()

    def run(self, name: str, work: Path) -> int | None:
        """Run mutant ``name`` in a fresh child and wait for it; its exit code (None if the server is gone)."""
        done, code = threading.Event(), list[int | None]([None])
        with self._lock:
            request_id = next(self._ids)
            self._waiting[request_id] = (done, code)
            try:
                assert self._process.stdin is not None
                self._process.stdin.write(json.dumps({"id": request_id, "mutant": name, "work": str(work)}) + "\n")
                self._process.stdin.flush()
            except OSError:
                del self._waiting[request_id]
                return None
        done.wait()
        return code[0]

    def _read_answers(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            answer = json.loads(line)
            if "id" in answer:
                with self._lock:
                    done, code = self._waiting.pop(answer["id"])
                code[0] = answer["exit"]
                done.set()
        with self._lock:  # the server is gone: nobody is answered any more
            waiting, self._waiting = self._waiting, {}
        for done, _ in waiting.values():
            done.set()

    def close(self) -> None:
        """End the server once its children have ended."""
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(SESSION_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _run_forked(name: str, work: Path, server: ForkServer) -> Kill:
    began = time.monotonic()
    code = server.run(name, work)
    seconds = time.monotonic() - began
    answer = work / f"{name}.kill.json"
    if answer.exists():
        kill = Kill(**json.loads(answer.read_text(encoding="utf-8")))
        return dataclasses.replace(kill, seconds=seconds)
    log = work / f"{name}.log"
    tail = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    tail += f"\n[the zoo's child for {name} ended with exit code {code} and no verdict]"
    return Kill(name, clause_of(name) or "*", "NO REPORT", False, seconds, tail[-600:])
