"""``comprehend-contract snapshot diff``: how one parity snapshot answers differently from another."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from comprehend_contract.cli.errors import EXIT_FAILED, EXIT_OK, CliError, CommandParser
from comprehend_contract.cli.output import emit


def register(commands: Any) -> None:
    snapshot = commands.add_parser("snapshot", help="parity snapshots: compare two recorded snapshot files")
    subcommands = snapshot.add_subparsers(
        dest="snapshot_command", metavar="SUBCOMMAND", required=True, parser_class=CommandParser
    )
    diff = subcommands.add_parser(
        "diff",
        help="how snapshot B answers differently from snapshot A (exit 0 identical, 1 different, 2 bad input)",
        description="Compare two parity snapshots (written by run --record-snapshot): every difference of B from "
        "A per test, exchange and field, and the parity score. Exit status 0 when they are identical, 1 when they "
        "differ, 2 when either file is not a snapshot.",
    )
    diff.add_argument("recorded", type=Path, metavar="A", help="the recorded snapshot (e.g. AWS's)")
    diff.add_argument("current", type=Path, metavar="B", help="the snapshot judged against A")
    diff.add_argument(
        "--format", choices=("md", "json"), help="output format (default: md; an --output ending in .json: json)"
    )
    diff.add_argument("--output", type=Path, help="write here instead of standard output")
    diff.set_defaults(handler=handle_diff)


def handle_diff(args: argparse.Namespace) -> int:
    from comprehend_contract.snapshots import Snapshot, SnapshotError, compare, render_markdown

    try:
        recorded, current = Snapshot.load(args.recorded), Snapshot.load(args.current)
    except SnapshotError as error:
        raise CliError(str(error)) from None
    comparison = compare(recorded, current)
    by_suffix = args.format is None and args.output is not None and args.output.suffix == ".json"
    if args.format == "json" or by_suffix:
        text = json.dumps(comparison.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        text = render_markdown(comparison)
    emit(text, args.output)
    return EXIT_OK if not comparison.differences else EXIT_FAILED
