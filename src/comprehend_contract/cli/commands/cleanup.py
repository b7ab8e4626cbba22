"""``comprehend-contract cleanup``: stop the jobs and remove the objects a killed run left behind, by its run id."""

from __future__ import annotations

import argparse
import re
from typing import Any

from comprehend_contract.cli.errors import EXIT_OK, CliError
from comprehend_contract.options import OPTIONS, OptionError, Settings, add_arguments

TARGET_OPTIONS = tuple(option for option in OPTIONS if option.target)


def register(commands: Any) -> None:
    cleanup = commands.add_parser(
        "cleanup",
        help="stop the jobs and remove the objects a killed run left behind, by its run id",
        description="Find what a run that was killed (SIGKILL, a lost CI runner) left on a target: its running "
        "jobs (named cc-<run id>-...) are stopped and its objects (under <prefix>run-<run id>/) removed.",
    )
    cleanup.add_argument("--run-id", required=True, help="the run's id (its report directory ends with it)")
    add_arguments(cleanup.add_argument, TARGET_OPTIONS)
    cleanup.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.harness.cleanup import clean_up
    from comprehend_contract.targets import resolve_target

    if not re.fullmatch(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}", args.run_id):
        raise CliError(f"--run-id {args.run_id!r} is not a run id (like 20261129T031200Z-1a2b3c)")
    try:
        settings = Settings.read(lambda name: getattr(args, f"cc_{name}", None))
        target = resolve_target(settings.target_values())
    except OptionError as error:
        raise CliError(str(error)) from None
    if target.embedded:
        raise CliError(f"--target {target.name} is embedded: its jobs and objects ended with the run's process")
    cleaned = clean_up(target.start(), args.run_id)
    print(
        f"comprehend-contract cleanup: run {args.run_id} on '{target.name}': stopped {len(cleaned.stopped)} job(s)"
        + (f" ({', '.join(cleaned.stopped)})" if cleaned.stopped else "")
        + f", removed {cleaned.objects_removed} object(s)"
    )
    return EXIT_OK
