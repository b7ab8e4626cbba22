"""The whole suite against a distant target: a served reference behind a proxy that adds 30 ms to each request.

    .venv/bin/python benchmarks/latency.py [--latency 0.03] [--rounds 2]

Prints, side by side in one run:
1. fast pace: wall time serial and with ``-n 4``, interleaved over the rounds, and the ratio (goal: <= 0.4);
2. aws-like pace x 0.05: the whole suite (all seven job types) wall time with ``-n 4`` divided by one job's lifetime
   (goal: <= 1.3; it was <= 1.1 for the sentiment operation alone), and the floor: one job's lifetime plus what an
   empty ``pytest -n 4`` session takes here, over the lifetime.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fault_proxy import FaultProxy, Faults, write_profile

from comprehend_contract.reference import FaultPlan, Pace, ReferenceService, ServiceConfig
from comprehend_contract.resources import contract_tests_dir
from comprehend_contract.targets import SMALL_INPUT


def profile(path: Path, service: ReferenceService, endpoint: str, poll_max: float) -> Path:
    budgets = f"poll_initial_seconds = 0.05\npoll_max_seconds = {poll_max}\njob_timeout_seconds = 120"
    return write_profile(path, service, endpoint, budgets)


def run(target: Path, reports: Path, *workers: str) -> tuple[float, str]:
    suite = contract_tests_dir()
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-q", "-p", "no:cacheprovider",
         "--target", str(target), "--report-dir", str(reports), *workers],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - began
    last = next((line for line in reversed(result.stdout.splitlines()) if " in " in line), "").strip("= ")
    return elapsed, last


def empty_session(directory: Path) -> float:
    """Wall time of ``pytest -n 4`` over one empty test (no kit): what pytest-xdist costs before any job starts."""
    directory.mkdir()
    (directory / "test_empty.py").write_text("def test_empty():\n    pass\n", encoding="utf-8")
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pytest", str(directory), "-q", "-p", "no:cacheprovider", "-n", "4"],
            capture_output=True, check=False,
        )  # fmt: skip
        timings.append(time.perf_counter() - began)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.03)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        fast = ReferenceService(ServiceConfig(faults=FaultPlan.rehearsal()))
        fast.start()
        try:
            assert fast.running is not None
            with FaultProxy(fast.running.endpoint_url, Faults(latency_seconds=args.latency)) as url:
                target = profile(work / "fast.toml", fast, url, 0.25)
                serial, parallel = [], []
                for number in range(args.rounds):
                    serial.append(run(target, work / f"s{number}", "-n", "0"))
                    parallel.append(run(target, work / f"p{number}", "-n", "4"))
            best_serial, best_parallel = min(s for s, _ in serial), min(p for p, _ in parallel)
            print(f"1. {args.latency * 1000:g} ms per request, fast pace (best of {args.rounds}):")
            print(f"   serial {best_serial:6.1f} s  ({serial[0][1]})")
            print(f"   -n 4   {best_parallel:6.1f} s  ({parallel[0][1]})")
            print(f"   -n 4 / serial = {best_parallel / best_serial:.2f}   (goal <= 0.4)")
        finally:
            fast.close()
        pace = Pace.preset("aws-like", 0.05)
        slow = ReferenceService(ServiceConfig(pace=pace, faults=FaultPlan.rehearsal()))
        slow.start()
        try:
            assert slow.running is not None
            with FaultProxy(slow.running.endpoint_url, Faults(latency_seconds=args.latency)) as url:
                wall, summary = run(profile(work / "slow.toml", slow, url, 1.0), work / "slow", "-n", "4")
            lifetime = pace.lifetime(SMALL_INPUT)
            empty = empty_session(work / "empty")
            print(f"2. aws-like pace x 0.05, {args.latency * 1000:g} ms per request, -n 4:")
            print(f"   wall {wall:.1f} s, one job's lifetime {lifetime:.1f} s ({SMALL_INPUT} documents): ({summary})")
            print(f"   wall / lifetime = {wall / lifetime:.2f}   (goal <= 1.3)")
            print(f"   the floor on this machine: a pytest -n 4 session of one empty test takes {empty:.1f} s, so no")
            print(f"   -n 4 run can do better than (lifetime + that) / lifetime = {(lifetime + empty) / lifetime:.2f}")
        finally:
            slow.close()


if __name__ == "__main__":
    main()
