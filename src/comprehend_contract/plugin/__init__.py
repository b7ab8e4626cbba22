"""The pytest plugin's entry point (``pytest11``): the kit's options and markers, and nothing else until needed.

The plugin is inert in a pytest session that neither collects contract tests nor names a kit option: it then
imports no more than this module and ``comprehend_contract.options`` (no boto3, no jsonschema), creates nothing,
resolves no target and ignores ``COMPREHEND_CONTRACT_*``. Otherwise ``plugin.session`` adapts the run's core
(``core.context.RunContext``) to pytest, and ``plugin.fixtures`` gives contract tests their fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from comprehend_contract.options import OPTIONS
from comprehend_contract.plugin.common import EXIT_TARGET_UNREACHABLE, SUITE_DIRECTORY

__all__ = ["EXIT_TARGET_UNREACHABLE", "is_active"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("comprehend-contract", "comprehend-contract: the implementation under test")
    for option in OPTIONS:
        help_text = f"{option.help} [env: {option.env}]"
        if option.kind == "clauses":
            group.addoption(
                option.flag, dest=f"cc_{option.name}", action="append", default=[], metavar="ID", help=help_text
            )
        elif option.kind == "bool":
            group.addoption(
                option.flag, dest=f"cc_{option.name}", nargs="?", const="true", default=None, metavar="true/false",
                help=help_text,
            )  # fmt: skip
        else:
            group.addoption(option.flag, dest=f"cc_{option.name}", default=None, metavar=option.metavar, help=help_text)


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
        from comprehend_contract.plugin.session import activate

        activate(config)


def is_active(config: pytest.Config) -> bool:
    """Whether this session runs contract tests (or names a kit option): only then does the plugin do anything."""
    if "cc_run_id" in getattr(config, "workerinput", {}):
        return True
    if any(config.getoption(f"cc_{option.name}") not in (None, []) for option in OPTIONS):
        return True
    return any(_holds_contract_tests(Path(str(arg).split("::")[0])) for arg in config.args)


def _holds_contract_tests(path: Path) -> bool:
    path = path.absolute()
    return SUITE_DIRECTORY in path.parts or (path / SUITE_DIRECTORY).is_dir()
