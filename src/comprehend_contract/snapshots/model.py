"""The snapshot document: one implementation's normalized answers, per test, as JSON (``schemas/snapshot.json``)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comprehend_contract.snapshots.normalize import normalize_test
from comprehend_contract.spec import validator_for

FORMAT = "comprehend-contract-snapshot/1"
SCHEMA = "snapshot"


class SnapshotError(ValueError):
    """A snapshot that cannot be read or written: missing, not JSON, not a snapshot, or invalid. One line."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One implementation's normalized exchanges, per test (pytest node id, parameters included)."""

    recorded_from: Mapping[str, Any]
    """``target`` (name), ``kind``, ``implementation`` ({name, version} or None), ``kit_version``."""
    tests: Mapping[str, tuple[Mapping[str, Any], ...]]
    clauses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each test's clause ids (from its markers), when the recorder knew them: diffs are grouped by them."""
    selection: tuple[str, ...] | None = None
    """The ``--clause`` selection of the recorded run; None: the whole suite ran."""

    @classmethod
    def from_exchanges(
        cls,
        per_test: Mapping[str, Sequence[Mapping[str, Any]]],
        recorded_from: Mapping[str, Any],
        *,
        clauses: Mapping[str, Sequence[str]] | None = None,
        selection: Sequence[str] | None = None,
    ) -> Snapshot:
        """The snapshot of a run: ``per_test`` maps each test that ran to its exchanges (``Exchange.to_dict()``)."""
        return cls.from_normalized(
            {nodeid: normalize_test(exchanges) for nodeid, exchanges in per_test.items()},
            recorded_from,
            clauses=clauses,
            selection=selection,
        )

    @classmethod
    def from_normalized(
        cls,
        per_test: Mapping[str, Sequence[Mapping[str, Any]]],
        recorded_from: Mapping[str, Any],
        *,
        clauses: Mapping[str, Sequence[str]] | None = None,
        selection: Sequence[str] | None = None,
    ) -> Snapshot:
        """The snapshot of tests already normalized (``normalize_test``, e.g. in each xdist worker)."""
        return cls(
            recorded_from=dict(recorded_from),
            tests={nodeid: tuple(per_test[nodeid]) for nodeid in sorted(per_test)},
            clauses={nodeid: tuple(ids) for nodeid, ids in sorted((clauses or {}).items()) if nodeid in per_test},
            selection=tuple(selection) if selection is not None else None,
        )

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": FORMAT,
            "recorded_from": dict(self.recorded_from),
            "tests": {nodeid: [dict(entry) for entry in self.tests[nodeid]] for nodeid in sorted(self.tests)},
        }
        if self.clauses:
            document["clauses"] = {nodeid: list(ids) for nodeid, ids in sorted(self.clauses.items())}
        if self.selection is not None:
            document["selection"] = list(self.selection)
        return document

    def dumps(self) -> str:
        """The document as written: keys sorted, two-space indent, one line per member (diff-friendly)."""
        return json.dumps(self.to_document(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def write(self, path: str | os.PathLike[str]) -> None:
        """Validate against ``schemas/snapshot.json`` and write to ``path`` (atomically: all or nothing)."""
        target = Path(path)
        _check(self.to_document(), f"the snapshot for {target}")
        partial = target.with_name(target.name + ".partial")
        try:
            partial.write_text(self.dumps(), encoding="utf-8")
            partial.replace(target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise SnapshotError(f"cannot write {target}: {error.strerror or error}") from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Snapshot:
        """Read and validate a snapshot file; ``SnapshotError`` (one line) if it is not one."""
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SnapshotError(f"{source}: no such file") from None
        except IsADirectoryError:
            raise SnapshotError(f"{source} is a directory, not a snapshot file") from None
        except OSError as error:
            raise SnapshotError(f"cannot read {source}: {error.strerror or error}") from None
        except UnicodeDecodeError as error:
            raise SnapshotError(f"{source} is not UTF-8 text (byte {error.start}: {error.reason})") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise SnapshotError(f"{source} is not JSON: {error}") from None
        except RecursionError:
            raise SnapshotError(f"{source} is nested too deeply to read") from None
        return cls.from_document(document, str(source))

    @classmethod
    def from_document(cls, document: Any, source: str = "the document") -> Snapshot:
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            found = document.get("format") if isinstance(document, dict) else None
            what = f"its format is {found!r}" if isinstance(found, str) else "it has no format member"
            raise SnapshotError(f"{source} is not a comprehend-contract snapshot ({FORMAT}): {what}")
        _check(document, source)
        return cls(
            recorded_from=document["recorded_from"],
            tests={nodeid: tuple(entries) for nodeid, entries in document["tests"].items()},
            clauses={nodeid: tuple(ids) for nodeid, ids in document.get("clauses", {}).items()},
            selection=tuple(document["selection"]) if document.get("selection") is not None else None,
        )


def _check(document: Any, source: str) -> None:
    try:
        errors = sorted(validator_for(SCHEMA).iter_errors(document), key=lambda e: [str(p) for p in e.path])
    except RecursionError:
        raise SnapshotError(f"{source} is nested too deeply to validate") from None
    if errors:
        first = errors[0]
        location = "/".join(str(part) for part in first.absolute_path) or "(root)"
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        raise SnapshotError(f"{source} is not a valid snapshot: {location}: {first.message[:300]}{more}")
