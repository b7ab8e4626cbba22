"""Every analysis, on any text (empty, emoji, any script): no exception, the same answer twice, offsets inside the
document with ``Text`` equal to the slice, scores in [0, 1], indexes that point at something, JSON-ready."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from comprehend_contract.reference.analysis import ANALYSES, Redaction, Settings, redact
from comprehend_contract.spec.family import family
from tests.reference.analysis.records import record_errors

SCORES = {"Score", "GroupScore", "Positive", "Negative", "Neutral", "Mixed"}
EVENT_TYPES = family().get("Events").event_types
WORDS = (
    "John",
    "Smith",
    "Amazon",
    "acquired",
    "bought",
    "hired",
    "merger",
    "IPO",
    "CEO",
    "Seattle",
    "2019",
    "$5",
    "million",
    "20%",
    "January",
    "the",
    "a",
    "I",
    "my",
    "love",
    "awful",
    "Mr.",
    "Inc.",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "\n",
    "😀",
    "İ",
    "ß",
    "Ⅻ",
    "日本語",
    "東京タワー",
    "مرحبا",
    "नमस्ते",
    "443-573-4800",
    "4111111111111111",
    "jane@x.com",
    "ES91",
    "2100",
    "0418",
    "4502",
    "0005",
    "1332",
    "192.168.0.1",
    "by",
    "password:",
    "PIN",
    "1234",
)
documents = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=40).map(" ".join),
)
languages = st.sampled_from(["en", "es", "fr", "de", "ja", "zh", "zh-TW", "ar", "hi", "ko"])


def spans(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "BeginOffset" in value:
            yield value
        for member in value.values():
            yield from spans(member)
    elif isinstance(value, list):
        for item in value:
            yield from spans(item)


def scores(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for name, member in value.items():
            if name in SCORES:
                yield member
            else:
                yield from scores(member)
    elif isinstance(value, list):
        for item in value:
            yield from scores(item)


@settings(max_examples=150, deadline=None)
@given(documents, languages)
@example("", "en")
@example("😀 İstanbul ß Ⅻ 日本語", "ja")
@example("John Smith 😀 acquired Acme Corp. for $5 million.", "en")
def test_every_analysis_of_any_text_is_well_formed(document: str, language: str) -> None:
    job = Settings(language, target_event_types=EVENT_TYPES, pii_mode="ONLY_OFFSETS")
    for name, analysis in ANALYSES.items():
        members = analysis(document, job)
        assert analysis(document, job) == members, f"{name} is not deterministic"
        assert record_errors(name, {"File": "f.txt", **members}) == []
        json.dumps(members, allow_nan=False)
        for span in spans(members):
            assert 0 <= span["BeginOffset"] < span["EndOffset"] <= len(document), (name, span)
            if "Text" in span:
                assert span["Text"] == document[span["BeginOffset"] : span["EndOffset"]], (name, span)
        for score in scores(members):
            assert 0.0 <= score <= 1.0, (name, score)
    events = ANALYSES["events"](document, job)
    for event in events["Events"]:
        assert all(0 <= a["EntityIndex"] < len(events["Entities"]) for a in event["Arguments"])
        assert event["Type"] in EVENT_TYPES
    for entity in ANALYSES["targeted-sentiment"](document, job)["Entities"]:
        assert entity["Mentions"]
        assert all(0 <= i < len(entity["Mentions"]) for i in entity["DescriptiveMentionIndex"])
    languages_found = ANALYSES["dominant-language"](document, job)["Languages"]
    assert [x["Score"] for x in languages_found] == sorted((x["Score"] for x in languages_found), reverse=True)


@settings(max_examples=100, deadline=None)
@given(documents, st.sampled_from(["en", "es"]), st.sampled_from("!@#$%&*"))
@example("", "en", "*")
@example("😀 Call 443-573-4800 😀", "en", "#")
def test_redaction_agrees_with_the_offsets_analysis(document: str, language: str, mask: str) -> None:
    """MASK keeps the document's length and changes exactly the characters of the reported entities;
    REPLACE_WITH_PII_ENTITY_TYPE puts ``[TYPE]`` exactly where they were."""
    entities = ANALYSES["pii-entities"](document, Settings(language))["Entities"]
    masked = redact(document, Settings(language, redaction=Redaction(("ALL",), "MASK", mask)))
    assert len(masked) == len(document)
    inside = {i for e in entities for i in range(e["BeginOffset"], e["EndOffset"])}
    for i, (original, written) in enumerate(zip(document, masked, strict=True)):
        assert written == (mask if i in inside else original)
    expected, at = "", 0
    for entity in entities:
        expected += document[at : entity["BeginOffset"]] + f"[{entity['Type']}]"
        at = entity["EndOffset"]
    named = redact(document, Settings(language, redaction=Redaction(("ALL",), "REPLACE_WITH_PII_ENTITY_TYPE")))
    assert named == expected + document[at:]
