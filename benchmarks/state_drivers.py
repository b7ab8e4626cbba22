"""State-driving tests against the reference with AWS-like pacing at 1/100 scale: wall time / one job's lifetime.

Real AWS jobs live 5 to 10 minutes, so a suite that drove states one job after another would take the sum of
their lifetimes. The drivers start every job up front and concurrently; this measures how close the run's wall
time comes to a single job's lifetime, and how many jobs it starts, serially and with two xdist workers.
"""

from __future__ import annotations

import sys

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))

from _run import run_suite

from comprehend_contract.reference import Pace
from comprehend_contract.targets import SMALL_INPUT

SCALE = 0.01
STATE_TESTS = ("-m", "scenario", "--reference-pace", "aws-like", "--reference-time-scale", str(SCALE))


def main() -> int:
    lifetime = Pace.preset("aws-like", SCALE).lifetime(SMALL_INPUT)
    print(f"one job's lifetime (aws-like pace x {SCALE}, {SMALL_INPUT} documents): {lifetime:.2f} s")
    print(f"{'workers':>8} {'wall s':>8} {'wall/lifetime':>14} {'jobs':>5}  result")
    worst = 0
    for workers in ("0", "2"):
        timing = run_suite("-n", workers, *STATE_TESTS)
        worst = max(worst, timing.exit_code)
        ratio = timing.seconds / lifetime
        print(f"{workers:>8} {timing.seconds:>8.2f} {ratio:>14.2f} {timing.jobs_started:>5}  {timing.summary}")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
