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
    compare.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.reports.compare import ReportError, load_report, markdown, to_html

    try:
        reports = [load_report(path) for path in args.reports]
    except ReportError as error:
        raise CliError(str(error)) from None
    as_html = args.format == "html" or (args.output is not None and args.output.suffix == ".html")
    text = to_html(reports, output=args.output) if as_html else markdown(reports, output=args.output)
    return emit(text, args.output)
