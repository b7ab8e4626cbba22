"""The ``comprehend-contract`` command line: run the suite, and inspect the spec the kit encodes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from comprehend_contract import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_TESTS = 5
"""pytest's own code for "no tests were collected", kept so a CI never mistakes an empty run for a pass."""


class CliError(Exception):
    """A user error the CLI reports in one line, without a traceback."""


def _cmd_run(args: argparse.Namespace) -> int:
    import pytest

    from comprehend_contract.resources import contract_tests_dir

    suite = contract_tests_dir()
    code = int(pytest.main([str(suite), *args.pytest_args]))
    if code == EXIT_NO_TESTS:
        print(
            f"comprehend-contract: no contract tests were collected from {suite}: nothing was checked, "
            "so there is no verdict. (The suite has no contract tests yet, or the given arguments selected none.)",
            file=sys.stderr,
        )
    return code


def _cmd_clauses(args: argparse.Namespace) -> int:
    from comprehend_contract.spec import catalogue

    clauses = catalogue()
    if args.json:
        rows = [
            {"id": c.id, "level": c.level.value, "group": c.group, "text": c.text, "source": c.source, "notes": c.notes}
            for c in clauses
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for group, members in clauses.groups().items():
        print(f"## {group}")
        for clause in members:
            print(f"  {clause.id:<24} {clause.level.value:<6} {clause.text}")
    return EXIT_OK


def _cmd_drift(args: argparse.Namespace) -> int:
    from comprehend_contract.spec.drift import check_installed_botocore, load_botocore_model

    _, botocore_version = load_botocore_model()
    mismatches = check_installed_botocore()
    for mismatch in mismatches:
        print(mismatch)
    verdict = "match" if not mismatches else f"differ in {len(mismatches)} place(s)"
    print(f"schemas and botocore {botocore_version}'s comprehend model {verdict}")
    return EXIT_OK if not mismatches else EXIT_FAILED


def _cmd_validate(args: argparse.Namespace) -> int:
    from comprehend_contract.spec import UnknownSchema, validator_for

    try:
        validator = validator_for(args.schema)
    except UnknownSchema as unknown:
        raise CliError(str(unknown)) from None
    source = sys.stdin if args.document == "-" else None
    try:
        if source is not None:
            document = json.load(source)
        else:
            document = json.loads(Path(args.document).read_text(encoding="utf-8"))
    except OSError as error:
        raise CliError(f"cannot read {args.document}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise CliError(f"{args.document} is not JSON: {error}") from None
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for failure in errors:
        location = "/".join(str(part) for part in failure.absolute_path) or "(root)"
        print(f"{location}: {failure.message}")
    print(f"{args.document}: {'valid' if not errors else 'invalid'} against {args.schema}")
    return EXIT_OK if not errors else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="comprehend-contract",
        description="Conformance kit for the Amazon Comprehend StopSentimentDetectionJob API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="run the contract suite (arguments after -- go to pytest)")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments passed on to pytest")
    run.set_defaults(handler=_cmd_run)

    spec = commands.add_parser("spec", help="inspect the spec the kit encodes")
    spec_commands = spec.add_subparsers(dest="spec_command", metavar="SUBCOMMAND", required=True)
    clauses = spec_commands.add_parser("clauses", help="list the clause catalogue")
    clauses.add_argument("--json", action="store_true", help="print JSON instead of a table")
    clauses.set_defaults(handler=_cmd_clauses)
    drift = spec_commands.add_parser("drift", help="compare the schemas with the installed botocore's model")
    drift.set_defaults(handler=_cmd_drift)
    validate = spec_commands.add_parser("validate", help="validate a JSON document against one of the schemas")
    validate.add_argument("schema", help="schema name, e.g. StopSentimentDetectionJob.request")
    validate.add_argument("document", help="path of a JSON file, or - for standard input")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``comprehend-contract`` script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if getattr(args, "pytest_args", None) and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    try:
        code: int = args.handler(args)
    except CliError as error:
        print(f"comprehend-contract: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code
