"""``comprehend-contract run``: the contract suite against a target, in a fresh pytest interpreter.

Every option of the run (``options.OPTIONS``) is a flag here and a ``COMPREHEND_CONTRACT_*`` variable; a bad value
is one line and exit 4 before pytest starts. Everything after ``--`` goes to pytest unchanged; an argument pytest
refuses is one line and exit 4 too, saying that it went to pytest.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from comprehend_contract.cli.errors import EXIT_NO_TESTS, RunUsageError
from comprehend_contract.options import OPTIONS, OptionError, Settings, add_arguments


def register(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run the contract suite (arguments after -- go to pytest)",
        description="Run the contract suite against a target (default: the embedded reference) and write its "
        "reports. Every option below can also come from its environment variable; everything after -- goes to "
        "pytest unchanged (e.g. -- -n 4, -- --lf, -- -v for each test's failure).",
        usage_exit=RunUsageError.exit_code,
    )
    add_arguments(run.add_argument)
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments passed on to pytest, after --")
    run.set_defaults(handler=handle)


def suite_flags(args: argparse.Namespace) -> list[str]:
    """The suite options given to ``run`` (checked now: a bad value is one line, exit 4), as pytest flags."""
    given = {o.name: getattr(args, f"cc_{o.name}") for o in OPTIONS if getattr(args, f"cc_{o.name}") not in (None, [])}
    try:
        Settings.read(given.get)
    except OptionError as error:
        raise RunUsageError(str(error)) from None
    flags: list[str] = []
    for option in OPTIONS:
        value = given.get(option.name)
        for one in value if isinstance(value, list) else ([] if value is None else [value]):
            flags += [option.flag, str(one)]
    return flags


RANDOM_ORDER_PLUGINS = ("random_order", "randomly")
"""pytest-random-order's and pytest-randomly's plugin names: a contract run orders its own tests (property tests
first, those that judge jobs last), so neither has anything to do in it, nor anything to say in its header."""


def names_random_order(pytest_args: Sequence[str]) -> bool:
    """Whether pytest's own arguments ask for a random-order plugin (its options, or ``-p NAME``)."""
    previous = ""
    for arg in pytest_args:
        plugin = arg if previous == "-p" else arg.removeprefix("-p") if arg.startswith("-p") else ""
        if arg.startswith(("--random-order", "--randomly")) or plugin.strip() in RANDOM_ORDER_PLUGINS:
            return True
        previous = arg
    return False


def asks_for_detail(pytest_args: Sequence[str]) -> bool:
    """Whether pytest's own arguments ask for per-test output (else the run prints the verdicts, not tracebacks)."""
    return any(arg.startswith(("-v", "--verbose", "--tb", "-r", "-l", "--showlocals")) for arg in pytest_args)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.cli.launcher import run_suite
    from comprehend_contract.resources import contract_tests_dir

    suite = contract_tests_dir()
    chosen = suite_flags(args)
    terse = [] if asks_for_detail(args.pytest_args) else ["--tb=no", "-rN"]
    command = [str(suite), "--rootdir", str(suite), *terse]
    if not names_random_order(args.pytest_args):
        command += [part for name in RANDOM_ORDER_PLUGINS for part in ("-p", f"no:{name}")]
    if "no:cacheprovider" not in args.pytest_args:
        # pytest's cache (--lf, --ff) in the working directory, not in the suite's, which may be in site-packages
        command += ["-o", f"cache_dir={Path.cwd() / '.pytest_cache'}"]
    ended = run_suite([*command, *chosen, *args.pytest_args])
    code = ended.code
    if ended.signalled is not None:
        return 128 + ended.signalled
    if ended.usage_error is not None:
        raise RunUsageError(
            f"{ended.usage_error} (everything after -- goes to pytest, which refused it: `comprehend-contract run "
            "--help` lists the kit's options, `comprehend-contract run -- --help` pytest's)"
        )
    if code == EXIT_NO_TESTS:
        print(
            f"comprehend-contract: no contract tests were collected from {suite}: nothing was checked, "
            "so there is no verdict. (The suite has no contract tests yet, or the given arguments selected none.)",
            file=sys.stderr,
        )
    return code
