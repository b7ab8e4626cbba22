"""How the command line fails: one line naming the problem, and an exit status a CI can tell apart."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_TESTS = 5
"""pytest's own code for "no tests were collected", kept so a CI never mistakes an empty run for a pass."""


class CliError(Exception):
    """A user error the CLI reports in one line, without a traceback."""

    exit_code = EXIT_USAGE


class RunUsageError(CliError):
    """A bad option of ``run``: exit 4, as pytest's own usage errors (the run's status codes are pytest's)."""

    exit_code = 4


class CommandParser(argparse.ArgumentParser):
    """A command's parser: a bad option is one line; ``run``'s exit with 4, like every usage error of a run."""

    def __init__(self, *args: Any, usage_exit: int = EXIT_USAGE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.usage_exit = usage_exit

    def error(self, message: str) -> NoReturn:
        hint = " (pytest's own options go after --)" if "unrecognized arguments" in message else ""
        self.exit(self.usage_exit, f"{self.prog}: error: {message}{hint}\n")
