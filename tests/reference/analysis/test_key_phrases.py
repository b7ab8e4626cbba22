"""Key phrases: RAKE-style runs between stopwords, with the determiner before them."""

from __future__ import annotations

from comprehend_contract.reference.analysis import Settings
from comprehend_contract.reference.analysis.key_phrases import MAX_WORDS, detect_key_phrases


def phrases(text: str, language: str = "en") -> list[str]:
    return [p["Text"] for p in detect_key_phrases(text, Settings(language))["KeyPhrases"]]


def test_runs_between_stopwords_with_their_determiner() -> None:
    assert phrases("John Smith works at Amazon in Seattle since 2019.") == ["John Smith", "Amazon", "Seattle", "2019"]
    assert phrases("The box is brown.") == ["The box", "brown"]


def test_punctuation_ends_a_phrase_and_long_runs_are_cut() -> None:
    assert phrases("red, green apples") == ["red", "green apples"]
    long_run = " ".join(f"word{i}" for i in range(MAX_WORDS + 2))
    assert [len(p.split()) for p in phrases(long_run)] == [MAX_WORDS, 2]


def test_offsets_and_scores() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    found = detect_key_phrases(text, Settings("en"))["KeyPhrases"]
    assert found
    for phrase in found:
        assert text[phrase["BeginOffset"] : phrase["EndOffset"]] == phrase["Text"]
        assert 0.0 <= phrase["Score"] <= 1.0
    by_text = {p["Text"]: p["Score"] for p in found}
    assert by_text["The quick brown fox jumps"] > by_text["the lazy dog"]


def test_spanish_stopwords_and_japanese_runs() -> None:
    assert phrases("La casa de mi madre es muy bonita.", "es") == ["La casa", "mi madre", "bonita"]
    assert phrases("東京タワーに行きました。", "ja") == ["東京タワー"]


def test_a_document_with_only_stopwords_has_no_phrases() -> None:
    assert phrases("it is what it is") == []
    assert phrases("") == []
