"""The whole default run (embedded reference, fast pacing): wall time serial and with -n 2, interleaved."""

from __future__ import annotations

import statistics
import sys

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))

from _run import run_suite

ROUNDS = 3


def main() -> int:
    times: dict[str, list[float]] = {"0": [], "2": []}
    worst = 0
    for _ in range(ROUNDS):
        for workers in times:
            timing = run_suite("-n", workers)
            worst = max(worst, timing.exit_code)
            times[workers].append(timing.seconds)
    serial, parallel = statistics.median(times["0"]), statistics.median(times["2"])
    print(f"default run, median of {ROUNDS} interleaved rounds:")
    print(f"  -n 0: {serial:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in times['0'])})")
    print(f"  -n 2: {parallel:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in times['2'])})")
    print(f"  ratio -n 2 / -n 0: {parallel / serial:.2f}")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
