"""The whole default run (embedded reference, fast pacing, all seven job types) against the same run narrowed to
``--job-type Sentiment``: wall time serial and with -n 2, interleaved, and the ratios (issue 21's goal: the seven
types take at most 2.5 times the one)."""

from __future__ import annotations

import argparse
import statistics
import sys

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))

from _run import run_suite

SUBJECTS = {
    "seven types, -n 0": ("-n", "0"),
    "Sentiment, -n 0": ("-n", "0", "--job-type", "Sentiment"),
    "seven types, -n 2": ("-n", "2"),
    "Sentiment, -n 2": ("-n", "2", "--job-type", "Sentiment"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    times: dict[str, list[float]] = {name: [] for name in SUBJECTS}
    jobs: dict[str, int] = {}
    worst = 0
    for _ in range(rounds):
        for name, arguments in SUBJECTS.items():
            timing = run_suite(*arguments)
            worst = max(worst, timing.exit_code)
            times[name].append(timing.seconds)
            jobs[name] = timing.jobs_started
    median = {name: statistics.median(found) for name, found in times.items()}
    print(f"default run, median of {rounds} interleaved rounds (wall seconds):")
    for name, found in times.items():
        runs = ", ".join(f"{t:.2f}" for t in found)
        print(f"  {name:<18} {median[name]:6.2f} s   (runs: {runs}; jobs started: {jobs[name]})")
    for workers in ("0", "2"):
        ratio = median[f"seven types, -n {workers}"] / median[f"Sentiment, -n {workers}"]
        print(f"  ratio seven types / Sentiment, -n {workers}: {ratio:.2f}   (goal <= 2.5)")
    print(f"  ratio -n 2 / -n 0, seven types: {median['seven types, -n 2'] / median['seven types, -n 0']:.2f}")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
