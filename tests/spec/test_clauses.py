"""The clause catalogue: complete, unique, and word for word in step with shared/spec/CLAUSES.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comprehend_contract.spec import Level, UnknownClause, catalogue
from comprehend_contract.spec.clauses import CatalogueError, parse_catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_CLAUSES_MD = REPO_ROOT.parent / "shared" / "spec" / "CLAUSES.md"
"""The team's spec, beside the checkout where the team and CI have it."""
VENDORED_CLAUSES_MD = Path(__file__).with_name("CLAUSES.md")
"""A copy kept in the repository, so that a fresh clone checks the catalogue too (kept equal to the shared one)."""
ROW = re.compile(r"^\| ([A-Z][A-Z0-9-]+) \| (MUST|SHOULD) \| (.*) \|$")
ID_FORM = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")


def _clauses_md_rows(source: Path) -> list[tuple[str, str, str, str]]:
    rows, group = [], ""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:]
        elif match := ROW.match(line):
            rows.append((match[1], match[2], match[3], group))
    return rows


def test_catalogue_matches_clauses_md_word_for_word() -> None:
    """Ids, levels, texts, groups and order exactly as CLAUSES.md writes them: the repository's copy, and the
    shared one wherever it sits beside the checkout (as for the team and in CI)."""
    actual = [(c.id, c.level.value, c.text, c.group) for c in catalogue()]
    for source in (VENDORED_CLAUSES_MD, SHARED_CLAUSES_MD):
        if source is VENDORED_CLAUSES_MD or source.is_file():
            expected = _clauses_md_rows(source)
            assert len(expected) >= 30, f"{source} parsed to too few rows: the table format changed?"
            assert actual == expected, f"the catalogue differs from {source}"
    if SHARED_CLAUSES_MD.is_file():
        assert VENDORED_CLAUSES_MD.read_text(encoding="utf-8") == SHARED_CLAUSES_MD.read_text(encoding="utf-8"), (
            f"copy {SHARED_CLAUSES_MD} to {VENDORED_CLAUSES_MD}"
        )


def test_clause_ids_are_unique_and_well_formed() -> None:
    ids = catalogue().ids
    assert len(ids) == len(set(ids))
    assert all(ID_FORM.match(clause_id) for clause_id in ids), ids


def test_every_clause_has_a_source_and_a_level() -> None:
    for clause in catalogue():
        assert clause.source.strip(), clause.id
        assert isinstance(clause.level, Level)


def test_interpretations_are_recorded_as_notes() -> None:
    """CLAUSES.md's readings of the page's vague spots travel with the clauses they govern."""
    assert any("code points" in note for note in catalogue().get("REQ-JOBID-LENGTH").notes)
    for clause_id in ("STOP-COMPLETED", "STOP-FAILED"):
        notes = " ".join(catalogue().get(clause_id).notes)
        assert "StopDominantLanguageDetectionJob" in notes
        assert "InvalidRequestException" in notes
    assert any("never a not-found error" in note for note in catalogue().get("REQ-JOBID-PATTERN").notes)


def test_both_levels_are_explained() -> None:
    assert set(catalogue().level_meanings) == {"MUST", "SHOULD"}


def test_unknown_clause_suggests_the_nearest_ids() -> None:
    with pytest.raises(UnknownClause, match="did you mean STOP-OUTPUT"):
        catalogue().get("STOP-OUTPT")


def test_duplicate_ids_are_refused() -> None:
    entry = '[[clause]]\nid = "X-A"\nlevel = "MUST"\ntext = "t"\ngroup = "g"\nsource = "s"\nnotes = []\n'
    with pytest.raises(CatalogueError, match="appears twice"):
        parse_catalogue(entry + entry)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('[[clause]]\nid = "X-A"\nlevel = "MAY"\ntext = "t"\ngroup = "g"\nsource = "s"\nnotes = []\n', "MAY"),
        ('[[clause]]\nid = "X-A"\nlevel = "MUST"\ngroup = "g"\nsource = "s"\nnotes = []\n', "lacks field 'text'"),
    ],
)
def test_malformed_entries_are_refused_by_name(entry: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(entry)
