"""The analysis package's public face: one analysis per family type, records of the documented shapes."""

from __future__ import annotations

import dataclasses

import pytest

from comprehend_contract.reference.analysis import ANALYSES, Redaction, Settings, redact
from comprehend_contract.spec.family import family
from tests.reference.analysis.records import record_errors

DOCUMENTS = (
    "John Smith works at Amazon in Seattle since 2019.",
    "Amazon acquired Whole Foods for $13.7 billion on August 28, 2017. The tacos were delicious.",
    "Hola, me llamo Juan García y mi correo es juan@ejemplo.es.",
    "The box is brown.",
    "",
)


def settings_for(analysis: str) -> Settings:
    """The settings a job of the type with this analysis could have (every event type, ONLY_OFFSETS)."""
    job_type = next(t for t in family() if t.analysis == analysis)
    language = job_type.languages[0] if job_type.languages else None
    pii_mode = "ONLY_OFFSETS" if analysis == "pii-entities" else None
    return Settings(language, target_event_types=job_type.event_types, pii_mode=pii_mode)


def test_analyses_are_keyed_by_the_family_analysis_names() -> None:
    assert set(ANALYSES) == {job_type.analysis for job_type in family()}


@pytest.mark.parametrize("analysis", sorted(ANALYSES))
@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_record_has_the_documented_shape(analysis: str, document: str) -> None:
    record = {"File": "f.txt", **ANALYSES[analysis](document, settings_for(analysis))}
    assert record_errors(analysis, record) == []
    assert record_errors(analysis, {**record, "Line": 3}) == []


def test_the_shape_check_finds_a_wrong_record() -> None:
    """The checker itself can fail: a missing member, a wrong type, an unknown enum value, an extra member."""
    good = {
        "File": "f.txt",
        "Entities": [{"Text": "x", "Type": "PERSON", "Score": 1.0, "BeginOffset": 0, "EndOffset": 1}],
    }
    assert record_errors("entities", good) == []
    assert record_errors("entities", {"File": "f.txt"}) != []
    assert record_errors("entities", {**good, "Entities": [{**good["Entities"][0], "Type": "NAME"}]}) != []  # type: ignore[dict-item]
    assert record_errors("entities", {**good, "Extra": 1}) != []
    assert record_errors("sentiment", {"File": "f.txt", "Sentiment": "GOOD", "SentimentScore": {}}) != []


def test_settings_and_redaction_are_frozen_values() -> None:
    settings = Settings("en", redaction=Redaction(("ALL",), "MASK"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.language_code = "es"  # type: ignore[misc]
    assert settings.redaction is not None
    assert settings.redaction.mask_character == "*"
    assert Settings("en") == Settings("en", target_event_types=(), pii_mode=None, redaction=None)


def test_redact_needs_a_redaction_config() -> None:
    with pytest.raises(ValueError, match="RedactionConfig"):
        redact("Call 443-573-4800", Settings("en", pii_mode="ONLY_REDACTION"))


def test_importing_the_reference_imports_no_analysis_library() -> None:
    """langdetect, phonenumbers and stdnum load on a document's first use: ``serve`` must start in under 2 s."""
    import subprocess
    import sys

    code = (
        "import sys, comprehend_contract.reference, comprehend_contract.reference.analysis\n"
        "print(sorted(m for m in ('langdetect', 'phonenumbers', 'stdnum') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
