"""The ``comprehend-contract`` command line, one module per command (``cli.commands``).

``run`` (the suite via pytest in a fresh interpreter), ``serve`` (the reference in the foreground), ``cleanup``
(what a killed run left behind), ``expectations`` and ``compare`` (reports), ``snapshot diff`` (parity snapshots),
``mutants`` (the zoo) and ``spec`` (``clauses``, ``drift``, ``validate``, ``trace``). Every user error is one line
(``errors.CliError``) and a distinct exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from comprehend_contract import __version__
from comprehend_contract.cli.commands import COMMANDS
from comprehend_contract.cli.errors import (
    EXIT_FAILED,
    EXIT_NO_TESTS,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    CommandParser,
    RunUsageError,
)

__all__ = ["EXIT_FAILED", "EXIT_NO_TESTS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="comprehend-contract",
        description="Conformance kit for Amazon Comprehend's Stop<Type>DetectionJob APIs (StopSentimentDetectionJob "
        "and its six siblings).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=CommandParser)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``comprehend-contract`` script; returns the process exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        usage_exit = RunUsageError.exit_code if args.command == "run" else EXIT_USAGE
        hint = " (pytest's own options go after --)" if args.command == "run" else ""
        print(
            f"comprehend-contract {args.command}: error: unrecognized arguments: {' '.join(extra)}{hint}",
            file=sys.stderr,
        )
        return usage_exit
    if getattr(args, "pytest_args", None) and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    try:
        code: int = args.handler(args)
        sys.stdout.flush()
    except CliError as error:
        print(f"comprehend-contract: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # the reader went away (``comprehend-contract spec clauses | head``): what it read is all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return code
