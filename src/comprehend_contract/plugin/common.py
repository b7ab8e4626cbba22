"""What the plugin's modules share: the suite's directory name, the stash keys, the exit status for a dead target."""

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


def is_contract_test(item: pytest.Item | pytest.Function | Any) -> bool:
    return SUITE_DIRECTORY in Path(str(item.path)).parts


def exit_unreachable(name: str, error: Exception) -> NoReturn:
    """Stop the whole run: the target does not answer (one message, a distinct exit status)."""
    pytest.exit(f"comprehend-contract: target '{name}' is unreachable: {error}", EXIT_TARGET_UNREACHABLE)
