"""The clause catalogue: ``clauses.toml`` (every clause of ``shared/spec/CLAUSES.md``) loaded as value objects.

Clause ids are the vocabulary that tests, reports and expectation files share; this module is the only
place that reads the catalogue file.
"""

from __future__ import annotations

import difflib
import enum
import functools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any


class Level(enum.Enum):
    """How binding a clause is: MUST (stated by the page or model) or SHOULD (AWS's behaviour where it is silent)."""

    MUST = "MUST"
    SHOULD = "SHOULD"


@dataclass(frozen=True, slots=True)
class Clause:
    """One testable statement of the contract."""

    id: str
    level: Level
    text: str
    group: str
    source: str
    notes: tuple[str, ...]


class UnknownClause(KeyError):
    """A clause id that is not in the catalogue (a typo, or a clause never added to CLAUSES.md)."""

    def __init__(self, clause_id: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(clause_id)
        self.clause_id = clause_id
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"unknown clause id {self.clause_id!r}{hint}"


class CatalogueError(ValueError):
    """The catalogue file itself is malformed (duplicate id, unknown level, missing field)."""


@dataclass(frozen=True, slots=True)
class ClauseCatalogue:
    """All clauses, in the order CLAUSES.md lists them, looked up by id."""

    clauses: tuple[Clause, ...]
    level_meanings: Mapping[str, str]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for clause in self.clauses:
            if clause.id in seen:
                raise CatalogueError(f"clause id {clause.id!r} appears twice in the catalogue")
            seen.add(clause.id)

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)

    def __contains__(self, clause_id: object) -> bool:
        return any(clause.id == clause_id for clause in self.clauses)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(clause.id for clause in self.clauses)

    def get(self, clause_id: str) -> Clause:
        """The clause ``clause_id``; ``UnknownClause`` (with close matches) if there is none."""
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise UnknownClause(clause_id, tuple(difflib.get_close_matches(clause_id, self.ids, n=2)))

    def groups(self) -> dict[str, tuple[Clause, ...]]:
        """Clauses by CLAUSES.md section, sections in document order."""
        grouped: dict[str, list[Clause]] = {}
        for clause in self.clauses:
            grouped.setdefault(clause.group, []).append(clause)
        return {group: tuple(members) for group, members in grouped.items()}


def _clause(entry: Mapping[str, Any]) -> Clause:
    try:
        return Clause(
            id=entry["id"],
            level=Level(entry["level"]),
            text=entry["text"],
            group=entry["group"],
            source=entry["source"],
            notes=tuple(entry["notes"]),
        )
    except KeyError as missing:
        raise CatalogueError(f"catalogue entry {entry.get('id', entry)!r} lacks field {missing}") from None
    except ValueError as bad_level:
        raise CatalogueError(f"catalogue entry {entry['id']!r}: {bad_level}") from None


def parse_catalogue(text: str) -> ClauseCatalogue:
    """Build a catalogue from the TOML ``text`` of a catalogue file."""
    data = tomllib.loads(text)
    return ClauseCatalogue(
        clauses=tuple(_clause(entry) for entry in data.get("clause", [])),
        level_meanings=dict(data.get("levels", {})),
    )


@functools.cache
def catalogue() -> ClauseCatalogue:
    """The kit's clause catalogue, read once."""
    text = resources.files("comprehend_contract.spec").joinpath("clauses.toml").read_text(encoding="utf-8")
    return parse_catalogue(text)
