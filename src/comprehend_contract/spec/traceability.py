"""Code that declares which clauses it implements or judges, for ``comprehend-contract spec trace``.

The reference marks each part that carries out a clause with ``@implements(...)``; the kit (and the contract
suite, through ``comprehend_contract.suite``) marks a function that judges a clause outside a contract test, such as
a check every response gets in passing, with ``@judges(...)``. Both only record the function and return it
unchanged: nothing runs differently. The trace reads these registries, so what it says is what the code says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

Function = TypeVar("Function", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Declared:
    """A function and the clauses it declares it implements (or judges)."""

    clauses: tuple[str, ...]
    function: Callable[..., Any]
    note: str = ""


IMPLEMENTATIONS: list[Declared] = []
"""Every ``@implements`` of the reference, in the order its modules were imported."""
JUDGES: list[Declared] = []
"""Every ``@judges`` of the kit and the suite."""


def implements(*clauses: str) -> Callable[[Function], Function]:
    """Declare that the decorated function of the reference carries out ``clauses``."""

    def declare(function: Function) -> Function:
        IMPLEMENTATIONS.append(Declared(clauses, function))
        return function

    return declare


def judges(*clauses: str, note: str = "") -> Callable[[Function], Function]:
    """Declare that the decorated function judges ``clauses`` (``note``: where it runs, e.g. on every response)."""

    def declare(function: Function) -> Function:
        JUDGES.append(Declared(clauses, function, note))
        return function

    return declare
