"""Shared helper: run the contract suite in a subprocess and time it."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Timing:
    seconds: float
    exit_code: int
    jobs_started: int
    summary: str


def run_suite(*args: str) -> Timing:
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "contract_tests", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - began
    jobs = re.search(r"jobs the run started: (\d+)", result.stdout)
    summary = next((line for line in reversed(result.stdout.splitlines()) if " in " in line), "")
    return Timing(elapsed, result.returncode, int(jobs[1]) if jobs else -1, summary.strip("= "))
