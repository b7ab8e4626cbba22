"""The clause catalogue: complete, unique, and word for word in step with shared/spec/CLAUSES.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from comprehend_contract.spec import Level, UnknownClause, catalogue
from comprehend_contract.spec.clauses import CatalogueError, parse_catalogue
from comprehend_contract.spec.family import UnknownJobType, family

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


ENTRY = '[[clause]]\nid = "X-A"\nlevel = "MUST"\ntext = "t"\ngroup = "g"\nsource = "s"\nnotes = []\n'


def test_duplicate_ids_are_refused() -> None:
    entry = ENTRY + 'applies_to = "all"\n'
    with pytest.raises(CatalogueError, match="appears twice"):
        parse_catalogue(entry + entry)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (ENTRY.replace('"MUST"', '"MAY"') + 'applies_to = "all"\n', "MAY"),
        (ENTRY.replace('text = "t"\n', "") + 'applies_to = "all"\n', "lacks field 'text'"),
        (ENTRY, "lacks field 'applies_to'"),
        (ENTRY + 'applies_to = ["Sentiment", "Topics"]\n', r"unknown job type\(s\) \['Topics'\]"),
        (ENTRY + 'applies_to = "some"\n', "applies_to must be"),
        (ENTRY + "applies_to = []\n", "applies_to must be"),
        (ENTRY + 'applies_to = "all"\n[clause.type_notes]\nTopics = ["n"]\n', "unknown job type 'Topics'"),
        (
            ENTRY + 'applies_to = ["Sentiment"]\n[clause.type_notes]\nEvents = ["n"]\n',
            "'Events', which it does not apply to",
        ),
        (ENTRY + 'applies_to = "all"\n[clause.type_notes]\nEvents = []\n', "must be a list of notes"),
    ],
)
def test_malformed_entries_are_refused_by_name(entry: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(entry)


def test_type_isolation_is_the_clause_between_job_types() -> None:
    clause = catalogue().get("TYPE-ISOLATION")
    assert clause.group == "Between job types"
    assert clause.level is Level.SHOULD


def test_every_clause_names_the_types_it_applies_to() -> None:
    """No clause is type-specific today: each applies to the whole family, in family order, Sentiment first."""
    for clause in catalogue():
        assert clause.applies_to == family().names, clause.id


def test_a_type_specific_clause_applies_to_its_types_only() -> None:
    text = ENTRY + 'applies_to = ["Events", "Sentiment"]\n[clause.type_notes]\nEvents = ["events only"]\n'
    clause = parse_catalogue(text).get("X-A")
    assert clause.applies_to == ("Sentiment", "Events")
    assert parse_catalogue(text).for_type("Sentiment").ids == ("X-A",)
    assert parse_catalogue(text).for_type("KeyPhrases").ids == ()
    assert clause.notes_for("Events") == ("events only",)


@pytest.mark.parametrize(
    ("clause_id", "type_name", "words"),
    [
        ("STOP-OUTPUT", "PiiEntities", ("output.tar.gz", ".out", "ONLY_REDACTION")),
        ("LIFE-OUTPUT-LOCATION", "PiiEntities", ("PII is the reading", "NER is tolerated", "output.tar.gz")),
        ("LIFE-OUTPUT-RECORD", "PiiEntities", ("ONLY_OFFSETS", "PiiEntityType", "no Text")),
        ("LIFE-OUTPUT-LOCATION", "TargetedSentiment", ("TS", "copied")),
        ("LIFE-DESCRIBE-SCHEMA", "DominantLanguage", ("no LanguageCode",)),
        ("LIFE-DESCRIBE-SCHEMA", "Events", ("CORPORATE_ACQUISTION", "en")),
        ("LIFE-OUTPUT-RECORD", "Entities", ("102,400",)),
    ],
)
def test_family_disagreements_travel_with_their_clauses(clause_id: str, type_name: str, words: tuple[str, ...]) -> None:
    """FAMILY.md's readings of the documents' disagreements are per-type notes of the clauses they govern."""
    notes = " ".join(catalogue().get(clause_id).type_notes[type_name])
    for word in words:
        assert word in notes, (clause_id, type_name, word)


def test_every_type_with_family_notes_has_notes_in_the_catalogue() -> None:
    """A type whose family entry records a disagreement reads some clause its own way."""
    noted = {name for clause in catalogue() for name in clause.type_notes}
    assert {job_type.name for job_type in family() if job_type.notes} <= noted


def test_generalised_notes_no_longer_say_sentiment() -> None:
    """Where CLAUSES.md generalised a text, its notes and source are the family's, not sentiment's."""
    for clause_id in ("STOP-OUTPUT", "LIFE-OUTPUT-LOCATION", "LIFE-OUTPUT-RECORD", "LIFE-ENDTIME"):
        clause = catalogue().get(clause_id)
        assert "sentiment job's" not in " ".join(clause.notes), clause_id
        assert "SentimentDetectionJobProperties" not in clause.source, clause_id
    assert "<Type>DetectionJobProperties" in catalogue().get("LIFE-ENDTIME").source


def test_for_type_narrows_and_adds_the_types_notes() -> None:
    pii = catalogue().for_type("pii-entities")
    clause = pii.get("LIFE-OUTPUT-LOCATION")
    general = catalogue().get("LIFE-OUTPUT-LOCATION")
    assert pii.ids == catalogue().ids
    assert clause.applies_to == ("PiiEntities",)
    assert clause.notes == general.notes + general.type_notes["PiiEntities"]
    assert set(clause.type_notes) == {"PiiEntities"}
    assert catalogue().for_type("Sentiment").get("LIFE-OUTPUT-LOCATION").notes == general.notes


def test_for_type_refuses_an_unknown_type() -> None:
    with pytest.raises(UnknownJobType, match="did you mean Entities"):
        catalogue().for_type("Entitites")
