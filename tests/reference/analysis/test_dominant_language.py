"""Dominant language: langdetect's answer in AWS's codes, most likely first, the same every time."""

from __future__ import annotations

import pytest

from comprehend_contract.reference.analysis import Settings
from comprehend_contract.reference.analysis.dominant_language import detect_dominant_language

NO_LANGUAGE = Settings(None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("John Smith works at Amazon in Seattle and loves the new office by the lake.", "en"),
        ("Juan trabaja en la oficina de Madrid desde hace tres años y le gusta mucho.", "es"),
        ("Le chat est sur la table et il regarde les oiseaux dans le jardin.", "fr"),
        ("Der Hund läuft jeden Morgen durch den Park und spielt mit anderen Hunden.", "de"),
        ("今日は天気がとても良いので、公園に散歩に行きました。", "ja"),
        ("我们今天去公园散步\uff0c天气非常好。", "zh"),
        ("我們今天去公園散步\uff0c天氣非常好\uff0c大家都很開心。", "zh-TW"),
    ],
)
def test_the_language_comes_first_in_aws_codes(text: str, code: str) -> None:
    languages = detect_dominant_language(text, NO_LANGUAGE)["Languages"]
    assert languages[0]["LanguageCode"] == code
    assert languages[0]["Score"] > 0.5


def test_languages_are_sorted_by_score_and_repeatable() -> None:
    text = "This sentence is English. Esta frase está en español y es bastante más larga que la otra."
    first = detect_dominant_language(text, NO_LANGUAGE)
    assert first == detect_dominant_language(text, NO_LANGUAGE)
    scores = [language["Score"] for language in first["Languages"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)


@pytest.mark.parametrize("text", ["", "12345 67", "😀😀", "!!!"])
def test_a_document_without_letters_has_no_language(text: str) -> None:
    assert detect_dominant_language(text, NO_LANGUAGE) == {"Languages": []}
