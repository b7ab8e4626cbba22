"""Clause-attributed checks: a failed assertion inside ``checks.clause(ID)`` is charged to that clause alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from comprehend_contract.spec import catalogue
from comprehend_contract.verdicts import CheckResult, ClauseCheck


def one_line(text: str, limit: int = 300) -> str:
    """``text`` with its whitespace runs collapsed, cut at ``limit`` characters: fit for a summary line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ClauseChecks:
    """The clause checks of one test.

    A check of one of the test's own clauses (its marker) that fails makes the test fail when it ends; a check of
    any other clause (an incidental one, e.g. ERR-SHAPE on every error response) only feeds that clause's verdict.
    Either way the test goes on, so one defect does not hide the next.
    """

    def __init__(self, own: tuple[str, ...]) -> None:
        self.own = own
        self.results: list[ClauseCheck] = []
        self.exchanges: list[dict[str, Any]] = []
        """Every request and response the test saw or judged, oldest first (evidence for failures)."""

    @contextmanager
    def clause(self, clause_id: str, what: str = "", exchange: dict[str, Any] | None = None) -> Iterator[None]:
        """Charge an ``AssertionError`` raised in the block to ``clause_id``; record a pass otherwise."""
        catalogue().get(clause_id)
        try:
            yield
        except AssertionError as error:
            message = str(error).split("\nassert ")[0] or "assertion failed"
            detail = one_line(f"{what}: {message}" if what else message)
            self.results.append(ClauseCheck(clause_id, CheckResult.FAIL, detail, exchange))
        else:
            self.results.append(ClauseCheck(clause_id, CheckResult.PASS, one_line(what)))

    def not_exercised(self, clause_id: str, reason: str) -> None:
        catalogue().get(clause_id)
        self.results.append(ClauseCheck(clause_id, CheckResult.NOT_EXERCISED, one_line(reason)))

    def own_failures(self) -> list[ClauseCheck]:
        return [c for c in self.results if c.result is CheckResult.FAIL and c.clause in self.own]
