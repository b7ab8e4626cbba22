"""The clause catalogue: complete, unique, and word for word in step with shared/spec/CLAUSES.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comprehend_contract.spec import Level, UnknownClause, catalogue
from comprehend_contract.spec.clauses import CatalogueError, parse_catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]
CLAUSES_MD = REPO_ROOT.parent / "shared" / "spec" / "CLAUSES.md"
ROW = re.compile(r"^\| ([A-Z][A-Z0-9-]+) \| (MUST|SHOULD) \| (.*) \|$")
ID_FORM = re.compile(r"^[A-Z]+(-[A-Z0-9]+)+$")


def _clauses_md_rows() -> list[tuple[str, str, str, str]]:
    rows, group = [], ""
    for line in CLAUSES_MD.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:]
        elif match := ROW.match(line):
            rows.append((match[1], match[2], match[3], group))
    return rows


@pytest.mark.skipif(not CLAUSES_MD.is_file(), reason=f"shared spec not beside this checkout ({CLAUSES_MD})")
def test_catalogue_matches_clauses_md_word_for_word() -> None:
    """Ids, levels, texts, groups and order exactly as CLAUSES.md writes them."""
    expected = _clauses_md_rows()
    assert len(expected) >= 30, "CLAUSES.md parsed to too few rows: the table format changed?"
    actual = [(c.id, c.level.value, c.text, c.group) for c in catalogue()]
    assert actual == expected


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
