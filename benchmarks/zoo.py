"""The mutant zoo, the old way and the new way, interleaved: wall time of each, the ratios, and the same verdicts.

The old way is ``comprehend-contract mutants --subprocess`` (a fresh ``python -m pytest`` per mutant, the reference
in the zoo's process; ``--workers 2`` was and is its default); the new way is ``comprehend-contract mutants`` (each
mutant's session in a child forked from one warm fork server; more mutants at once by default, since a forked
session mostly waits for jobs). Both run every mutant and the control, as whole commands, at each ``--workers``
given (by default the two defaults), so that the ratio at equal ``--workers`` is printed as well as the ratio of the
two commands as they run by default.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from comprehend_contract.mutants.zoo import default_workers

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^(?P<mutant>\S+)\s+(?P<clause>\S+)\s+(?P<verdict>NO REPORT|\S+)\s+(?P<caught>yes|NO)\s")
OLD, NEW = "subprocess", "fork"


@dataclass(frozen=True)
class Run:
    seconds: float
    exit_code: int
    verdicts: dict[str, tuple[str, str]]
    kill_rate: str


def run_zoo(way: str, workers: int) -> Run:
    flags = ["--subprocess"] if way == OLD else []
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "mutants", "--workers", str(workers), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    verdicts = {}
    for line in result.stdout.splitlines()[1:]:
        row = ROW.match(line)
        if row:
            verdicts[row["mutant"]] = (row["verdict"], row["caught"])
    rate = next((line for line in result.stdout.splitlines() if line.startswith("kill rate:")), "no kill rate")
    return Run(seconds, result.returncode, verdicts, rate)


def label(way: str, workers: int) -> str:
    return f"{'old (--subprocess)' if way == OLD else 'new (fork)'} --workers {workers}"


def main() -> int:
    defaults = {OLD: default_workers(OLD), NEW: default_workers(NEW)}
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default: 2)")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=sorted(set(defaults.values())),
        help=f"--workers values to run both ways at (default: the defaults, {defaults[OLD]} and {defaults[NEW]})",
    )
    args = parser.parse_args()
    ways = [(way, workers) for workers in args.workers for way in (OLD, NEW)]
    runs: dict[tuple[str, int], list[Run]] = {way: [] for way in ways}
    for number in range(args.rounds):
        for way in ways if number % 2 == 0 else reversed(ways):  # alternate who goes first
            run = run_zoo(*way)
            runs[way].append(run)
            print(f"round {number + 1}: {label(*way):<34} {run.seconds:6.1f} s  exit {run.exit_code}  {run.kill_rate}")
            sys.stdout.flush()
    print(f"\nthe mutant zoo, every mutant and the control, {args.rounds} interleaved round(s), wall time:")
    medians = {}
    for way, done in runs.items():
        seconds = [run.seconds for run in done]
        medians[way] = statistics.median(seconds)
        print(f"  {label(*way):<34} min {min(seconds):6.1f} s   median {medians[way]:6.1f} s")
    for workers in args.workers:
        print(f"  ratio old / new at --workers {workers}: {medians[OLD, workers] / medians[NEW, workers]:.2f}")
    if (OLD, defaults[OLD]) in medians and (NEW, defaults[NEW]) in medians:
        ratio = medians[OLD, defaults[OLD]] / medians[NEW, defaults[NEW]]
        print(f"  ratio old / new, each with its default --workers ({defaults[OLD]}, {defaults[NEW]}): {ratio:.2f}")
    reference = runs[ways[0]][0].verdicts
    differing = sorted(
        {
            mutant
            for done in runs.values()
            for run in done
            for mutant in reference
            if run.verdicts.get(mutant) != reference[mutant]
        }
    )
    same = "identical in every run" if not differing else "DIFFERENT for " + ", ".join(differing)
    print(f"  verdicts: {len(reference)} rows per run, {same}")
    return max(run.exit_code for done in runs.values() for run in done) or (1 if differing else 0)


if __name__ == "__main__":
    raise SystemExit(main())
