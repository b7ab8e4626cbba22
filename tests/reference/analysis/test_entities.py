"""Entities: the examples a reader would check by hand, in AWS's types and with exact offsets."""

from __future__ import annotations

import pytest

from comprehend_contract.reference.analysis import Settings
from comprehend_contract.reference.analysis.entities import detect_entities

ENGLISH = Settings("en")


def entities(text: str, settings: Settings = ENGLISH) -> list[tuple[str, str, int, int]]:
    return [
        (e["Text"], e["Type"], e["BeginOffset"], e["EndOffset"]) for e in detect_entities(text, settings)["Entities"]
    ]


def test_person_organization_location_and_date_with_their_offsets() -> None:
    assert entities("John Smith works at Amazon in Seattle since 2019.") == [
        ("John Smith", "PERSON", 0, 10),
        ("Amazon", "ORGANIZATION", 20, 26),
        ("Seattle", "LOCATION", 30, 37),
        ("2019", "DATE", 44, 48),
    ]


@pytest.mark.parametrize("text", ["The box is brown.", "", "   ", "I think so.", "it was fine, thanks!"])
def test_a_document_without_names_or_numbers_has_no_entities(text: str) -> None:
    assert entities(text) == []


def test_money_dates_and_honorifics() -> None:
    text = "Yesterday Mr. Jeff Bezos said Acme Corp. paid $4.2 billion on January 19, 2020."
    assert entities(text) == [
        ("Yesterday", "DATE", 0, 9),
        ("Jeff Bezos", "PERSON", 14, 24),
        ("Acme Corp.", "ORGANIZATION", 30, 40),
        ("$4.2 billion", "QUANTITY", 46, 58),
        ("January 19, 2020", "DATE", 62, 78),
    ]


def test_telling_words_type_unknown_names() -> None:
    found = entities(
        'We read "The Great Gatsby" at the Glastonbury Festival near the Columbia River with 5 kg of fruit.'
    )
    assert [(text, kind) for text, kind, _, _ in found] == [
        ("The Great Gatsby", "TITLE"),
        ("Glastonbury Festival", "EVENT"),
        ("Columbia River", "LOCATION"),
        ("5 kg", "QUANTITY"),
    ]


def test_company_names_quoted_titles_and_job_titles() -> None:
    text = (
        'Amazon.com, Inc. will buy MGM Studios. "We are thrilled," said Mike Hopkins, Senior Vice President of '
        'Prime Video. We read "The Lord of the Rings" twice.'
    )
    assert [(t, k) for t, k, _, _ in entities(text)] == [
        ("Amazon.com, Inc.", "ORGANIZATION"),
        ("MGM Studios", "ORGANIZATION"),
        ("Mike Hopkins", "PERSON"),
        ("Prime Video", "OTHER"),
        ("The Lord of the Rings", "TITLE"),
    ]


def test_products_and_a_first_name_that_is_also_a_place() -> None:
    found = entities("George Washington lived in Virginia and bought an iPhone 12 Pro on eBay.")
    assert [(text, kind) for text, kind, _, _ in found] == [
        ("George Washington", "PERSON"),
        ("Virginia", "LOCATION"),
        ("iPhone 12 Pro", "COMMERCIAL_ITEM"),
        ("eBay", "ORGANIZATION"),
    ]


def test_spanish_dates_money_and_names() -> None:
    found = entities(
        "Juan García trabaja en Telefónica en Madrid desde el 3 de marzo de 2021 y ganó 20 €.", Settings("es")
    )
    assert [(text, kind) for text, kind, _, _ in found] == [
        ("Juan García", "PERSON"),
        ("Telefónica", "ORGANIZATION"),
        ("Madrid", "LOCATION"),
        ("3 de marzo de 2021", "DATE"),
        ("20 €", "QUANTITY"),
    ]


def test_a_word_that_opens_a_sentence_is_not_a_name_for_its_capital_alone() -> None:
    assert entities("Meanwhile the Bank of America met NASA.") == [
        ("Bank of America", "ORGANIZATION", 14, 29),
        ("NASA", "ORGANIZATION", 34, 38),
    ]


def test_offsets_count_code_points_past_emoji_and_accents() -> None:
    text = "😀 Ünïcode first: Maria Lopez visited Paris."
    for found, _kind, begin, end in entities(text):
        assert text[begin:end] == found
    assert ("Paris", "LOCATION") in [(t, k) for t, k, _, _ in entities(text)]
