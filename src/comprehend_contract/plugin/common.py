"""What the plugin's modules share: the suite's directory name, the stash keys, and how a run is refused."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:  # the types only: importing them would import the kit's core
    from comprehend_contract.core.checks import ClauseChecks
    from comprehend_contract.core.context import RunContext

EXIT_TARGET_UNREACHABLE = 12
"""Exit status when the target's endpoint does not answer at all (distinct from pytest's own 0-5)."""
SUITE_DIRECTORY = "contract_tests"

CONTEXT: pytest.StashKey[RunContext] = pytest.StashKey()
CHECKS: pytest.StashKey[ClauseChecks] = pytest.StashKey()


class RunRefused(Exception):
    """The run cannot start: a bad option or profile, a target that is not usable (exit 4) or does not answer (exit
    12). ``refuse`` raises it inside pytest's own ``UsageError`` (which pytest lets through its session, and which
    it does not let a plugin subclass); the plugin's ``pytest_cmdline_main`` prints it as one line naming the kit,
    without pytest's framing, and ends with its exit status."""

    def __init__(self, message: str, exit_code: int = pytest.ExitCode.USAGE_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = int(exit_code)

    @classmethod
    def carried_by(cls, error: BaseException) -> RunRefused | None:
        """The refusal ``error`` carries, if it is one raised by ``refuse``."""
        return next((arg for arg in getattr(error, "args", ()) if isinstance(arg, cls)), None)


def refuse(message: str, exit_code: int = pytest.ExitCode.USAGE_ERROR) -> NoReturn:
    """End the run before its first test with one line naming the kit and the fix (``RunRefused``)."""
    raise pytest.UsageError(RunRefused(message, exit_code))


def is_contract_test(item: pytest.Item | pytest.Function | Any) -> bool:
    return SUITE_DIRECTORY in Path(str(item.path)).parts
