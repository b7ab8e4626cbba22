"""Runs the contract suite against each mutant (only the tests of its clause) and reports whether it was caught."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comprehend_contract.mutants.catalogue import MUTANTS
from comprehend_contract.reference import REHEARSAL_JOB_ID_PREFIX, FaultPlan, ReferenceService, ServiceConfig
from comprehend_contract.resources import contract_tests_dir

CONTROL = "control"
"""The unmutated reference, run through the same path: every clause must pass (or be not exercised)."""

BUDGETS = {
    "job_timeout_seconds": 8,
    "leave_submitted_seconds": 5,
    "poll_initial_seconds": 0.02,
    "poll_max_seconds": 0.25,
}


@dataclass(frozen=True)
class Kill:
    """What the suite said about one mutant."""

    mutant: str
    clause: str
    verdict: str
    killed: bool
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


def run_mutant(name: str, work: Path) -> Kill:
    """Start the reference with mutant ``name`` (or none, for the control) and run its clause's tests against it."""
    began = time.monotonic()
    service = ReferenceService(ServiceConfig(faults=FaultPlan.rehearsal()))
    service.start()
    try:
        clause = MUTANTS[name].clause if name != CONTROL else ""
        if name != CONTROL:
            MUTANTS[name].apply(service)
        profile = work / f"{name}.toml"
        write_profile(profile, service)
        suite = contract_tests_dir()
        command = [
            sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-q", "-p", "no:cacheprovider",
            "--target", str(profile), "--report-dir", str(work / name),
        ]  # fmt: skip
        if clause:
            command += ["--clause", clause]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        report_file = work / name / "latest" / "report.json"
        if not report_file.exists():
            tail = (result.stdout + result.stderr)[-600:]
            return Kill(name, clause or "*", "NO REPORT", False, time.monotonic() - began, tail)
        report: dict[str, Any] = json.loads(report_file.read_text(encoding="utf-8"))
    finally:
        service.close()
    seconds = time.monotonic() - began
    verdicts = {c["id"]: c for c in report["clauses"]}
    if name == CONTROL:
        failed = [cid for cid, c in verdicts.items() if c["verdict"] == "FAIL"]
        detail = f"failed: {', '.join(failed)}" if failed else "every clause passed or was not exercised"
        return Kill(name, "*", "FAIL" if failed else "PASS", not failed, seconds, detail)
    found = verdicts[clause]
    return Kill(name, clause, found["verdict"], found["verdict"] == "FAIL", seconds, found["reason"])


def run_zoo(names: Iterable[str], workers: int = 2, progress: Callable[[Kill], None] | None = None) -> list[Kill]:
    """Run every named mutant (and the control), ``workers`` at a time."""
    with tempfile.TemporaryDirectory(prefix="comprehend-contract-zoo-") as directory:
        work = Path(directory)

        def one(name: str) -> Kill:
            kill = run_mutant(name, work)
            if progress:
                progress(kill)
            return kill

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, list(names)))
