"""Verdicts under a flaky network: the whole suite against the reference, clean and through a fault proxy.

    .venv/bin/python benchmarks/faults.py [--rates 0.05,0.10,0.20] [--seed N]

At each rate r the proxy (benchmarks/fault_proxy.py) resets r of the Comprehend requests (half before they reach
the reference, half after it answered), throttles r/2 (503 ThrottlingException) and delays 10% by 0-2 s. Prints,
per rate, the faults injected, the clause verdicts that differ from the clean run (goal: 0), the tests that ended
incomplete, and the wall time. S3 is reached directly: the faults are the Comprehend endpoint's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fault_proxy import FaultProxy, Faults, write_profile

from comprehend_contract.reference import FaultPlan, ReferenceService, ServiceConfig
from comprehend_contract.resources import contract_tests_dir

BUDGETS = "max_attempts = 10\nretry_base_seconds = 0.02\nrequest_timeout_seconds = 10"


def profile(path: Path, service: ReferenceService, endpoint: str) -> Path:
    return write_profile(path, service, endpoint, BUDGETS)


def run(target: Path, reports: Path) -> tuple[dict[str, tuple[str, str]], list[str], float]:
    suite = contract_tests_dir()
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "-q", "-p", "no:cacheprovider",
         "--target", str(target), "--report-dir", str(reports)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - began
    report = json.loads((reports / "latest" / "report.json").read_text(encoding="utf-8"))
    verdicts = {c["id"]: (c["verdict"], c["reason"]) for c in report["clauses"]}
    return verdicts, report["gate"]["incomplete"], elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="0.05,0.10,0.20")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        service = ReferenceService(ServiceConfig(faults=FaultPlan.rehearsal()))
        running = service.start()
        try:
            clean_profile = profile(work / "clean.toml", service, running.endpoint_url)
            clean, incomplete, seconds = run(clean_profile, work / "r0")
            print(f"clean run: {sum(v == 'PASS' for v, _ in clean.values())}/{len(clean)} PASS, {seconds:.1f} s")
            print(f"{'rate':>6} {'resets':>7} {'throttles':>9} {'delays':>7} {'changed':>8} {'incomplete':>10}", end="")
            print(f" {'wall s':>7}")
            for number, rate in enumerate(float(r) for r in args.rates.split(",")):
                faults = Faults(reset=rate, throttle=rate / 2, delay=0.1, seed=args.seed + number)
                with FaultProxy(running.endpoint_url, faults) as url:
                    faulty = profile(work / f"r{number}.toml", service, url)
                    verdicts, incomplete, seconds = run(faulty, work / f"r{number + 1}")
                changed = {c: (clean[c][0], v, why) for c, (v, why) in verdicts.items() if clean[c][0] != v}
                counts = faults.counts
                print(f"{rate:>6.2f} {counts['reset']:>7} {counts['throttle']:>9} {counts['delay']:>7}", end="")
                print(f" {len(changed):>8} {len(incomplete):>10} {seconds:>7.1f}")
                for clause, (before, after, why) in sorted(changed.items()):
                    print(f"       {clause}: {before} -> {after}: {why[:300]}")
        finally:
            service.close()


if __name__ == "__main__":
    main()
