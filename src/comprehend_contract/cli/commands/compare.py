"""``comprehend-contract compare``: several reports side by side, as a matrix of clauses by implementations."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from comprehend_contract.cli.errors import CliError
from comprehend_contract.cli.output import emit


def register(commands: Any) -> None:
    compare = commands.add_parser("compare", help="a matrix of clauses x implementations from several report.json")
    compare.add_argument("reports", type=Path, nargs="+", help="report.json files (two of one target: what changed)")
    compare.add_argument("--format", choices=("md", "html"), default="md", help="output format (default: md)")
    compare.add_argument("--output", type=Path, help="write here instead of standard output (.html implies html)")
    compare.add_argument(
        "--operation",
        metavar="STOP_OPERATION",
        help="only this Stop operation's verdicts (e.g. StopEntitiesDetectionJob; default: each clause rolled up)",
    )
    compare.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.reports.compare import ReportError, load_report, markdown, to_html

    try:
        reports = [load_report(path) for path in args.reports]
    except ReportError as error:
        raise CliError(str(error)) from None
    if args.operation is not None:
        from comprehend_contract.spec.family import family

        stops = [job_type.stop for job_type in family()]
        if args.operation not in stops:
            raise CliError(f"--operation {args.operation!r} is not a Stop operation: one of {', '.join(stops)}")
    as_html = args.format == "html" or (args.output is not None and args.output.suffix == ".html")
    render = to_html if as_html else markdown
    text = render(reports, output=args.output, operation=args.operation)
    return emit(text, args.output)
