"""The clause catalogue: ``clauses.toml`` (every clause of ``shared/spec/CLAUSES.md``) loaded as value objects.

Clause ids are the vocabulary that tests, reports and expectation files share; this module is the only
place that reads the catalogue file. It is a family catalogue: every clause names the job types it applies to (all
of ``spec/family.toml``'s unless it is type-specific) and carries per-type notes where a type reads it differently;
``ClauseCatalogue.for_type`` narrows it to one type.
"""

from __future__ import annotations

import difflib
import enum
import functools
import tomllib
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from comprehend_contract.spec.family import family


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
    applies_to: tuple[str, ...] = ()
    """The job types (family names, in family order) the clause is judged for: all of them unless type-specific."""
    type_notes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: types.MappingProxyType({}), hash=False)
    """Per type: how the clause reads for it, where FAMILY.md records a disagreement or a type-specific reading."""

    def applies(self, type_name: str) -> bool:
        """Whether the clause is judged for the job type ``type_name``."""
        return type_name in self.applies_to

    def notes_for(self, type_name: str) -> tuple[str, ...]:
        """The notes that hold for the job type ``type_name``: the general ones, then the type's own."""
        return self.notes + self.type_notes.get(type_name, ())


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

    def for_type(self, type_name: str) -> ClauseCatalogue:
        """The clauses judged for one job type (``UnknownJobType`` if the family has none of that name), each with
        that type's notes appended to its notes and only that type in ``applies_to`` and ``type_notes``."""
        name = family().get(type_name).name
        narrowed = tuple(
            replace(
                clause,
                notes=clause.notes_for(name),
                applies_to=(name,),
                type_notes=types.MappingProxyType({name: clause.type_notes[name]} if name in clause.type_notes else {}),
            )
            for clause in self.clauses
            if clause.applies(name)
        )
        return ClauseCatalogue(narrowed, self.level_meanings)

    def groups(self) -> dict[str, tuple[Clause, ...]]:
        """Clauses by CLAUSES.md section, sections in document order."""
        grouped: dict[str, list[Clause]] = {}
        for clause in self.clauses:
            grouped.setdefault(clause.group, []).append(clause)
        return {group: tuple(members) for group, members in grouped.items()}


ALL_TYPES = "all"
"""``applies_to = "all"``: the clause is judged for every type of the family."""


def _applies_to(clause_id: str, value: object) -> tuple[str, ...]:
    names = family().names
    if value == ALL_TYPES:
        return names
    if not isinstance(value, list) or not value or not all(isinstance(name, str) for name in value):
        raise CatalogueError(f'catalogue entry {clause_id!r}: applies_to must be "all" or a list of job types')
    if unknown := [name for name in value if name not in names]:
        raise CatalogueError(f"catalogue entry {clause_id!r}: unknown job type(s) {unknown} (the family: {names})")
    return tuple(name for name in names if name in value)


def _type_notes(clause_id: str, value: object, applies_to: tuple[str, ...]) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise CatalogueError(f"catalogue entry {clause_id!r}: type_notes must be a table of job type = [notes]")
    for name, notes in value.items():
        if name not in family().names:
            raise CatalogueError(f"catalogue entry {clause_id!r}: type_notes for unknown job type {name!r}")
        if name not in applies_to:
            raise CatalogueError(f"catalogue entry {clause_id!r}: type_notes for {name!r}, which it does not apply to")
        if not isinstance(notes, list) or not notes or not all(isinstance(note, str) for note in notes):
            raise CatalogueError(f"catalogue entry {clause_id!r}: type_notes for {name!r} must be a list of notes")
    return types.MappingProxyType({name: tuple(value[name]) for name in applies_to if name in value})


def _clause(entry: Mapping[str, Any]) -> Clause:
    try:
        clause_id = entry["id"]
        applies_to = _applies_to(clause_id, entry["applies_to"])
        return Clause(
            id=clause_id,
            level=Level(entry["level"]),
            text=entry["text"],
            group=entry["group"],
            source=entry["source"],
            notes=tuple(entry["notes"]),
            applies_to=applies_to,
            type_notes=_type_notes(clause_id, entry.get("type_notes", {}), applies_to),
        )
    except KeyError as missing:
        raise CatalogueError(f"catalogue entry {entry.get('id', entry)!r} lacks field {missing}") from None
    except CatalogueError:
        raise
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
