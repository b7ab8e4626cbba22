"""``comprehend-contract expectations``: an expectations file that accepts a run's failures as known deviations."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from comprehend_contract.cli.errors import CliError
from comprehend_contract.cli.output import emit


def register(commands: Any) -> None:
    expectations = commands.add_parser(
        "expectations", help="write an expectations file accepting a run's failures as known deviations"
    )
    expectations.add_argument("--from", dest="source", type=Path, required=True, help="a report.json")
    expectations.add_argument("--output", type=Path, help="write here instead of standard output")
    expectations.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.reports.compare import ReportError, load_report
    from comprehend_contract.reports.expectations import expectations_from_report

    try:
        report = load_report(args.source)
    except ReportError as error:
        raise CliError(str(error)) from None
    return emit(expectations_from_report(report), args.output)
