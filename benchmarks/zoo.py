"""The mutant zoo today against the zoo before issue 11, interleaved: wall time of each, the ratios, the verdicts.

Three ways, each as a whole command that runs every mutant and the control, at its own default ``--workers``:

- ``baseline``: ``comprehend-contract mutants`` as it was at commit ``BASELINE`` (the last commit before issue 11:
  a fresh ``python -m pytest`` per mutant, 2 at a time). That commit's tree is taken with ``git archive`` into a
  temporary directory and run from there with this interpreter and this virtualenv's packages; it runs its own 47
  mutants of the sentiment operation (today's zoo has a hundred and more, for seven operations: since issue 21 the
  two are not the same work, and ``zoo_vs_run.py`` is the zoo's figure that matters).
- ``subprocess``: today's code, ``comprehend-contract mutants --subprocess``: a fresh interpreter per mutant.
- ``fork``: today's ``comprehend-contract mutants``: each mutant's session forked from one warm fork server.

Printed: the min and median of each, ``baseline / fork`` (issue 11's goal: at least 4), ``subprocess / fork`` at
their defaults (what the fork server alone gives, on today's code), and whether every mutant's verdict agreed
between today's two ways.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "eb73e04"
ROW = re.compile(r"^(?P<mutant>\S+)\s+(?P<clause>\S+)\s+(?P<verdict>NO REPORT|\S+)\s+(?P<caught>yes|NO)\s")
WAYS = ("baseline", "subprocess", "fork")


@dataclass(frozen=True)
class Run:
    seconds: float
    exit_code: int
    verdicts: dict[str, tuple[str, str]]
    kill_rate: str


def extract_baseline(directory: Path) -> Path:
    """The tree of commit ``BASELINE``, written under ``directory``."""
    tree = directory / f"comprehend-contract-{BASELINE}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", BASELINE], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"zoo.py: cannot read commit {BASELINE} ({archive.stderr.decode().strip()}): run it from a "
                         "clone with the project's history")  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def run_zoo(way: str, baseline: Path) -> Run:
    environment = dict(os.environ)
    command = [sys.executable, "-m", "comprehend_contract", "mutants"]
    cwd = ROOT
    if way == "baseline":
        environment["PYTHONPATH"] = str(baseline / "src")  # ahead of the installed (today's) kit
        cwd = baseline
    elif way == "subprocess":
        command.append("--subprocess")
    began = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    verdicts = {}
    for line in result.stdout.splitlines()[1:]:
        row = ROW.match(line)
        if row:
            verdicts[row["mutant"]] = (row["verdict"], row["caught"])
    rate = next((line for line in result.stdout.splitlines() if line.startswith("kill rate:")), "no kill rate")
    if not verdicts:
        rate += " | " + (result.stdout + result.stderr).strip()[-300:]
    return Run(seconds, result.returncode, verdicts, rate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default: 2)")
    args = parser.parse_args()
    runs: dict[str, list[Run]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory() as directory:
        baseline = extract_baseline(Path(directory))
        for number in range(args.rounds):
            for way in WAYS if number % 2 == 0 else reversed(WAYS):  # alternate who goes first
                run = run_zoo(way, baseline)
                runs[way].append(run)
                print(f"round {number + 1}: {way:<10} {run.seconds:6.1f} s  exit {run.exit_code}  {run.kill_rate}")
                sys.stdout.flush()
    print(f"\nthe mutant zoo, every mutant and the control, {args.rounds} interleaved round(s), wall time:")
    medians = {}
    for way, done in runs.items():
        seconds = [run.seconds for run in done]
        medians[way] = statistics.median(seconds)
        print(f"  {way:<10} min {min(seconds):6.1f} s   median {medians[way]:6.1f} s")
    sizes = {way: len(done[0].verdicts) for way, done in runs.items()}
    print(f"  baseline ({BASELINE}) / fork: {medians['baseline'] / medians['fork']:.2f}   (goal >= 4; the baseline runs "
          f"its own {sizes['baseline']} mutants, today {sizes['fork']}: since issue 21 not the same work)")  # fmt: skip
    print(f"  subprocess / fork (today's code, each way's default --workers): "
          f"{medians['subprocess'] / medians['fork']:.2f}")  # fmt: skip
    reference = runs["fork"][0].verdicts  # today's two ways run the same mutants; the baseline has its own
    differing = sorted(
        {mutant for way in ("subprocess", "fork") for run in runs[way] for mutant in reference
         if run.verdicts.get(mutant) != reference[mutant]}
    )  # fmt: skip
    same = "identical in every run" if not differing else "DIFFERENT for " + ", ".join(differing)
    print(f"  verdicts: {len(reference)} rows per run, {same}")
    return max(run.exit_code for done in runs.values() for run in done) or (1 if differing else 0)


if __name__ == "__main__":
    raise SystemExit(main())
