"""The whole mutant zoo against the whole default run, as commands, interleaved: wall time of each and the ratio
(issue 21's goal: the zoo, every mutant of every job type and the control, takes at most 4 times the default run).

- ``run``: ``comprehend-contract run`` (the embedded reference, all seven job types, serial), its report in a
  temporary directory;
- ``zoo``: ``comprehend-contract mutants`` (each mutant's clause for its own type and a witness type, forked from
  one warm fork server, at the default ``--workers``), and the control run (every clause, every type).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> tuple[float, int, str]:
    began = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    last = [line for line in result.stdout.splitlines() if line.strip()]
    return time.perf_counter() - began, result.returncode, (last[-1] if last else result.stderr[-200:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    kit = [sys.executable, "-m", "comprehend_contract"]
    times: dict[str, list[float]] = {"run": [], "zoo": []}
    said: dict[str, str] = {}
    worst = 0
    with tempfile.TemporaryDirectory(prefix="bench-zoo-vs-run-") as reports:
        commands = {
            "run": [*kit, "run", "--report-dir", reports, "--", "-q", "-p", "no:randomly"],
            "zoo": [*kit, "mutants"],
        }
        for _ in range(rounds):
            for name, command in commands.items():
                seconds, code, last = timed(command)
                times[name].append(seconds)
                said[name] = last
                worst = max(worst, code)
    median = {name: statistics.median(found) for name, found in times.items()}
    print(f"zoo against the default run, median of {rounds} interleaved rounds (wall seconds):")
    for name, found in times.items():
        print(
            f"  {name}: {median[name]:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in found)}; last line: {said[name]})"
        )
    print(f"  ratio zoo / run: {median['zoo'] / median['run']:.2f}   (goal <= 4)")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
