"""The pytest plugin's entry point (``pytest11``): the kit's options and markers, a refused run's one line, and
nothing else until needed.

The plugin is inert in a pytest session that neither collects contract tests nor names a kit option: it then
imports no more than this module and ``comprehend_contract.options`` (no boto3, no jsonschema), creates nothing,
resolves no target and ignores ``COMPREHEND_CONTRACT_*``. Otherwise ``plugin.session`` adapts the run's core
(``core.context.RunContext``) to pytest, and ``plugin.fixtures`` gives contract tests their fixtures.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Generator
from pathlib import Path

import pytest

from comprehend_contract.options import OPTIONS, TERMINAL_FD_VARIABLE, add_arguments
from comprehend_contract.plugin.common import EXIT_TARGET_UNREACHABLE, SUITE_DIRECTORY, RunRefused

__all__ = ["EXIT_TARGET_UNREACHABLE", "RunRefused", "is_active"]

NOT_REWRITTEN = ("comprehend_contract", "hypothesis")
"""Packages that pytest marks for assertion rewriting only because their distributions ship a pytest plugin."""


def pytest_addoption(parser: pytest.Parser) -> None:
    add_arguments(
        parser.getgroup("comprehend-contract", "comprehend-contract: the implementation under test").addoption
    )


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config) -> Generator[None, object, object]:
    """A run the kit refuses (``RunRefused``: a bad option, a target that is not usable or does not answer) ends
    here as one line naming the kit and the fix, and its own exit status, not as pytest's framed usage error; so
    does a usage error of pytest's own in a contract run.

    Under pytest-xdist with no ``--dist`` given, a contract run schedules ``worksteal`` (before xdist itself would
    pick ``load``): its tests take from 10 ms to a job's lifetime, and under ``load`` the tests queued behind a long
    one wait while other workers idle. An explicit ``--dist`` is obeyed."""
    active = is_active(config)
    if active:
        take_the_terminal_back()
    if active and getattr(config.option, "dist", None) == "no" and getattr(config.option, "numprocesses", None):
        config.option.dist = "worksteal"
    try:
        return (yield)
    except pytest.UsageError as error:
        refused = RunRefused.carried_by(error)
        if refused is None and not active:
            raise
        if refused is None:  # pytest's own (a path that does not exist, a bad -k expression), in a contract run
            refused = RunRefused("pytest: " + "; ".join(str(arg) for arg in error.args))
        sys.stderr.write(f"comprehend-contract: error: {refused.message}\n")
        sys.stderr.flush()
        return refused.exit_code


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "clause(*ids): the contract clauses (ids from the clause catalogue) that this contract test checks",
    )
    config.addinivalue_line(
        "markers",
        "scenario(name): the state-driving scenario (a job) whose evidence this contract test judges",
    )
    if is_active(config):
        skip_rewriting_libraries(config)
        from comprehend_contract.plugin.session import activate

        activate(config)


def is_active(config: pytest.Config) -> bool:
    """Whether this session runs contract tests (or names a kit option): only then does the plugin do anything."""
    if "cc_run_id" in getattr(config, "workerinput", {}):
        return True
    if any(config.getoption(f"cc_{option.name}") not in (None, []) for option in OPTIONS):
        return True
    return any(_holds_contract_tests(Path(str(arg).split("::")[0])) for arg in config.args)


def skip_rewriting_libraries(config: pytest.Config) -> None:
    """Leave the asserts of the kit's library modules and of hypothesis as they are written.

    pytest rewrites every module of a distribution with a ``pytest11`` entry point: the kit's (installed as a wheel)
    and hypothesis's, about 90 modules each. Under ``PYTHONDONTWRITEBYTECODE`` (set in the kit's Docker image and
    many CI images) it cannot cache them, so every pytest process (each xdist worker too) rewrote them anew.
    Neither holds a test. The contract tests are still rewritten (they are test files), and so is
    anything of this session's own. Only pytest's private set of marked names offers this; if it is not there,
    nothing changes but speed."""
    hook = getattr(config.pluginmanager, "rewrite_hook", None)
    marked = getattr(hook, "_must_rewrite", None)
    if isinstance(marked, set):
        marked.difference_update(NOT_REWRITTEN)
        cache = getattr(hook, "_marked_for_rewrite_cache", None)
        if isinstance(cache, dict):
            cache.clear()


def _holds_contract_tests(path: Path) -> bool:
    path = path.absolute()
    return SUITE_DIRECTORY in path.parts or (path / SUITE_DIRECTORY).is_dir()


def take_the_terminal_back() -> None:
    """Point standard error back at the terminal ``comprehend-contract run`` handed over (``TERMINAL_FD_VARIABLE``).

    ``run`` reads this process's standard error until pytest has parsed its arguments, so that it can say pytest's
    usage errors in the kit's words; once they are parsed (this hook runs only then) the suite writes to the terminal
    directly. The variable is dropped so that xdist workers, which do not inherit the descriptor, never look."""
    named = os.environ.pop(TERMINAL_FD_VARIABLE, "")
    if not named.isdigit():
        return
    sys.stderr.flush()
    with contextlib.suppress(OSError):
        os.dup2(int(named), sys.stderr.fileno())
        os.close(int(named))
