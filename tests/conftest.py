"""Self-test sessions: tests marked ``slow`` (whole runs of the suite in subprocesses, the zoo) start first, so that
under xdist the run does not end with one worker on a long test while the others idle; and, as in a contract
session, the asserts of hypothesis's modules (which pytest would rewrite anew in each worker) are left alone."""

from __future__ import annotations

import pytest

from comprehend_contract.plugin import skip_rewriting_libraries


def pytest_configure(config: pytest.Config) -> None:
    skip_rewriting_libraries(config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
