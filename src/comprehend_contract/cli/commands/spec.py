"""``comprehend-contract spec``: the spec the kit encodes: the clause catalogue, the drift check against botocore,
validation of a document against a schema, and the trace of a clause through the kit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from comprehend_contract.cli.errors import EXIT_FAILED, EXIT_OK, CliError


def register(commands: Any) -> None:
    spec = commands.add_parser("spec", help="inspect the spec the kit encodes")
    subcommands = spec.add_subparsers(dest="spec_command", metavar="SUBCOMMAND", required=True)
    clauses = subcommands.add_parser(
        "clauses",
        help="list the clause catalogue: every clause holds for every job type's Stop operation",
        description="List the clause catalogue. Every clause holds for each job type of the family (sentiment "
        "first); --job-type narrows the list to one type, with that type's interpretation notes.",
    )
    clauses.add_argument("--json", action="store_true", help="print JSON instead of a table")
    clauses.add_argument("--job-type", metavar="TYPE", help="one job type, e.g. Sentiment, KeyPhrases, PiiEntities")
    clauses.set_defaults(handler=handle_clauses)
    drift = subcommands.add_parser("drift", help="compare the schemas with the installed botocore's model")
    drift.set_defaults(handler=handle_drift)
    generate = subcommands.add_parser(
        "generate",
        help="write the operation schemas from the job family (spec/family.toml); --check only compares",
        description="Write schemas/<Operation>.request.json and .response.json for every operation of every job "
        "type, and schemas/job-properties.json, from spec/family.toml and definitions.json. With --check nothing is "
        "written: exit 1 naming the files out of step.",
    )
    generate.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the files that differ")
    generate.set_defaults(handler=handle_generate)
    validate = subcommands.add_parser("validate", help="validate a JSON document against one of the schemas")
    validate.add_argument("schema", help="schema name, e.g. StopSentimentDetectionJob.request")
    validate.add_argument("document", help="path of a JSON file, or - for standard input")
    validate.set_defaults(handler=handle_validate)
    trace = subcommands.add_parser(
        "trace",
        help="everything that checks, drives, implements and breaks a clause, from its id",
        description="For a clause: its level and text, its contract tests, the functions that judge it (in-passing "
        "checks included), the scenarios and steps that produce its evidence, the reference code that implements "
        "it, and the mutants that break it. --all writes the table of every clause as Markdown.",
    )
    trace.add_argument("clause", nargs="?", help="a clause id, e.g. AUTH-SIGNATURE")
    trace.add_argument("--all", action="store_true", help="every clause, as a Markdown page")
    trace.add_argument("--output", type=Path, help="with --all: write the page here instead of standard output")
    trace.set_defaults(handler=handle_trace)


def handle_clauses(args: argparse.Namespace) -> int:
    from comprehend_contract.spec import catalogue
    from comprehend_contract.spec.family import UnknownJobType, family

    clauses = catalogue()
    if args.job_type:
        try:
            clauses = clauses.for_type(family().get(args.job_type).name)
        except UnknownJobType as error:
            raise CliError(f"--job-type: {error}") from None
    if args.json:
        rows = [
            {
                "id": c.id,
                "level": c.level.value,
                "group": c.group,
                "text": c.text,
                "source": c.source,
                "notes": c.notes,
                "applies_to": list(c.applies_to),
                "type_notes": {name: list(notes) for name, notes in c.type_notes.items()},
            }
            for c in clauses
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    types = family().names if not args.job_type else (family().get(args.job_type).name,)
    print(f"# The contract of {', '.join(family().get(name).stop for name in types)}")
    for group, members in clauses.groups().items():
        print(f"## {group}")
        for clause in members:
            print(f"  {clause.id:<24} {clause.level.value:<6} {clause.text}")
            for name, notes in clause.type_notes.items():
                for note in notes:
                    print(f"  {'':<24} {'':<6} {name}: {note}")
    return EXIT_OK


def handle_generate(args: argparse.Namespace) -> int:
    from comprehend_contract.spec.generate import main as generate

    return generate(["--check"] if args.check else [])


def handle_drift(args: argparse.Namespace) -> int:
    from comprehend_contract.spec.drift import check_installed_botocore, load_botocore_model

    _, botocore_version = load_botocore_model()
    mismatches = check_installed_botocore()
    for mismatch in mismatches:
        print(mismatch)
    from comprehend_contract.spec.family import family

    verdict = "match" if not mismatches else f"differ in {len(mismatches)} place(s)"
    operations = len(family().operations())
    print(f"schemas and botocore {botocore_version}'s comprehend model {verdict} ({operations} operations compared)")
    return EXIT_OK if not mismatches else EXIT_FAILED


def handle_validate(args: argparse.Namespace) -> int:
    from comprehend_contract.spec import UnknownSchema, validator_for

    try:
        validator = validator_for(args.schema)
    except UnknownSchema as unknown:
        raise CliError(str(unknown)) from None
    try:
        data = sys.stdin.buffer.read() if args.document == "-" else Path(args.document).read_bytes()
        document = json.loads(data.decode("utf-8"))
    except OSError as error:
        raise CliError(f"cannot read {args.document}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CliError(f"{args.document} is not UTF-8 text (byte {error.start}: {error.reason})") from None
    except json.JSONDecodeError as error:
        raise CliError(f"{args.document} is not JSON: {error}") from None
    except RecursionError:
        raise CliError(f"{args.document} is nested too deeply to read") from None
    try:
        errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        raise CliError(f"{args.document} is nested too deeply to validate") from None
    for failure in errors:
        location = "/".join(str(part) for part in failure.absolute_path) or "(root)"
        print(f"{location}: {failure.message}")
    print(f"{args.document}: {'valid' if not errors else 'invalid'} against {args.schema}")
    return EXIT_OK if not errors else EXIT_FAILED


def handle_trace(args: argparse.Namespace) -> int:
    from comprehend_contract.cli.output import emit
    from comprehend_contract.spec import UnknownClause
    from comprehend_contract.trace import trace_all, trace_page, trace_text

    if args.all == bool(args.clause):
        raise CliError("spec trace: name one clause id, or give --all")
    if args.all:
        return emit(trace_page(trace_all()), args.output)
    try:
        print(trace_text(args.clause), end="")
    except UnknownClause as error:
        raise CliError(str(error)) from None
    return EXIT_OK
