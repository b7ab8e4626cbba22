"""``comprehend-contract mutants``: the suite against the zoo of deliberately wrong servers, and the kill rate."""

from __future__ import annotations

import argparse
from typing import Any

from comprehend_contract.cli.errors import EXIT_FAILED, EXIT_OK, CliError


def register(commands: Any) -> None:
    mutants = commands.add_parser(
        "mutants",
        help="run the suite against the zoo of deliberately wrong servers and print the kill rate",
        description="Each mutant is the reference with one behaviour broken; the suite (only the tests of the "
        "mutant's clause) must report that clause FAIL. The control run (the unmutated reference) must be clean.",
    )
    mutants.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants (no control run)")
    mutants.add_argument(
        "--workers",
        type=int,
        help="mutants run at once (default: five per processor, at most 12; 2 with --subprocess)",
    )
    mutants.add_argument(
        "--subprocess",
        action="store_true",
        help="run each mutant's suite in a fresh interpreter (slower; benchmarks/zoo.py compares both ways)",
    )
    mutants.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.mutants import MUTANTS
    from comprehend_contract.mutants.zoo import CONTROL, Kill, is_control, run_zoo

    names = args.only or list(MUTANTS)
    unknown = [name for name in names if name not in MUTANTS and name != CONTROL]
    if unknown:
        raise CliError(f"unknown mutant(s): {', '.join(unknown)}; known: {', '.join(MUTANTS)}")
    print(f"{'mutant':<44} {'clause':<24} {'verdict':<14} {'caught':<7} {'s':>5}  what the suite said")

    def row(kill: Kill) -> None:
        caught = "yes" if kill.as_expected else "NO"
        timing = f"{kill.seconds:>5.1f}"
        print(f"{kill.mutant:<44} {kill.clause:<24} {kill.verdict:<14} {caught:<7} {timing}  {kill.detail[:90]}")

    mode = "subprocess" if args.subprocess else "fork"
    kills = run_zoo([CONTROL, *names] if not args.only else names, workers=args.workers, progress=row, mode=mode)
    mutants = [k for k in kills if not is_control(k.mutant)]
    caught = sum(1 for k in mutants if k.as_expected)
    control = [k for k in kills if is_control(k.mutant)]
    print(f"kill rate: {caught}/{len(mutants)} mutants caught ({100 * caught / max(1, len(mutants)):.0f}%)")
    if control:
        dirty = [f"{k.mutant}: {k.detail}" for k in control if not k.as_expected]
        each = f"{len(control)} session(s), one per job type"
        print(f"control (unmutated reference, {each}): {'clean' if not dirty else 'FAILED: ' + '; '.join(dirty)}")
    return EXIT_OK if caught == len(mutants) and all(k.as_expected for k in control) else EXIT_FAILED
