"""Two commits of the kit side by side, as whole commands, interleaved: the default run and (``--zoo``) the zoo.

    .venv/bin/python benchmarks/versus_commit.py BASELINE [CANDIDATE] [--rounds 3] [--zoo] [-- RUN ARGUMENTS]

Each commit's tree is taken with ``git archive`` into a temporary directory and run from there with this
interpreter and this virtualenv's packages (``PYTHONPATH`` puts the tree's ``src`` ahead of the installed kit);
``CANDIDATE`` defaults to ``HEAD``. The default run is ``python -m pytest contract_tests -q`` in each tree (the
embedded reference, fast pace; arguments after ``--`` are added to both, e.g. ``--job-type Sentiment`` when both
commits know it); the zoo is ``python -m comprehend_contract mutants``. Printed: each one's runs, min and median,
and the ratio candidate / baseline of the medians (below 1: the candidate is faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def extract(commit: str, directory: Path) -> Path:
    """The tree of ``commit``, written under ``directory``."""
    tree = directory / commit.replace("/", "-")
    tree.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"versus_commit.py: cannot read commit {commit}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def timed(tree: Path, command: list[str]) -> tuple[float, int, str]:
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    began = time.perf_counter()
    result = subprocess.run(command, cwd=tree, env=environment, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    last = next((line for line in reversed(result.stdout.splitlines()) if line.strip()), result.stderr[-200:])
    return elapsed, result.returncode, last.strip("= ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline")
    parser.add_argument("candidate", nargs="?", default="HEAD")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--zoo", action="store_true", help="also time the whole zoo of each (minutes)")
    arguments, extra = parser.parse_known_args()
    extra = [argument for argument in extra if argument != "--"]
    run = [sys.executable, "-m", "pytest", "contract_tests", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    subjects = {"run": [*run, *extra]}
    if arguments.zoo:
        subjects["zoo"] = [sys.executable, "-m", "comprehend_contract", "mutants"]
    with tempfile.TemporaryDirectory(prefix="bench-versus-") as directory:
        trees = {name: extract(commit, Path(directory)) for name, commit in
                 (("baseline", arguments.baseline), ("candidate", arguments.candidate))}  # fmt: skip
        times: dict[tuple[str, str], list[float]] = {(s, t): [] for s in subjects for t in trees}
        last: dict[tuple[str, str], str] = {}
        for _ in range(arguments.rounds):
            for subject, command in subjects.items():
                for name, tree in trees.items():
                    seconds, _code, said = timed(tree, command)
                    times[subject, name].append(seconds)
                    last[subject, name] = said
    print(f"baseline {arguments.baseline}, candidate {arguments.candidate}, {arguments.rounds} interleaved rounds:")
    for subject in subjects:
        medians = {}
        for name in trees:
            found = times[subject, name]
            medians[name] = statistics.median(found)
            runs = ", ".join(f"{t:.2f}" for t in found)
            print(f"  {subject} {name:<9} min {min(found):6.2f} s, median {medians[name]:6.2f} s ({runs}): "
                  f"{last[subject, name][:90]}")  # fmt: skip
        print(f"  {subject}: candidate / baseline = {medians['candidate'] / medians['baseline']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
