"""Targeted sentiment: what a document talks about, grouped, each mention with its own clause's sentiment."""

from __future__ import annotations

from typing import Any

from comprehend_contract.reference.analysis import Settings
from comprehend_contract.reference.analysis.targeted_sentiment import (
    TARGETED_SENTIMENT_ENTITY_TYPES,
    detect_targeted_sentiment,
)
from tests.reference.analysis.records import service_enum

ENGLISH = Settings("en")


def mentions(text: str) -> list[tuple[str, str, str]]:
    record = detect_targeted_sentiment(text, ENGLISH)
    return [
        (m["Text"], m["Type"], m["MentionSentiment"]["Sentiment"]) for e in record["Entities"] for m in e["Mentions"]
    ]


def test_the_types_are_the_service_models() -> None:
    assert set(TARGETED_SENTIMENT_ENTITY_TYPES) == service_enum("TargetedSentimentEntityType")


def test_each_target_gets_the_sentiment_of_its_own_clause() -> None:
    """The guide's example: "The tacos were delicious and the staff was friendly", here with a rude staff."""
    assert mentions("The tacos were delicious and the staff was rude.") == [
        ("tacos", "OTHER", "POSITIVE"),
        ("staff", "OTHER", "NEGATIVE"),
    ]


def test_traits_the_writer_and_named_places() -> None:
    found = mentions("I loved my room at the Hilton Hotel, but the customer service was horribly rude.")
    assert found == [
        ("I", "PERSON", "POSITIVE"),
        ("my", "PERSON", "POSITIVE"),
        ("room", "OTHER", "POSITIVE"),
        ("Hilton Hotel", "FACILITY", "POSITIVE"),
        ("customer service", "ATTRIBUTE", "NEGATIVE"),
    ]


def test_mentions_with_the_same_text_are_one_entity() -> None:
    record: dict[str, Any] = detect_targeted_sentiment("The burger was good. I ate the burger. I liked it.", ENGLISH)
    burger = next(e for e in record["Entities"] if e["Mentions"][0]["Text"] == "burger")
    assert [m["BeginOffset"] for m in burger["Mentions"]] == [4, 31]
    assert burger["DescriptiveMentionIndex"] == [0, 1]
    writer = next(e for e in record["Entities"] if e["Mentions"][0]["Text"] == "I")
    assert len(writer["Mentions"]) == 2
    assert writer["DescriptiveMentionIndex"] == [0]


def test_a_mention_sentiment_has_four_scores_summing_to_one() -> None:
    record = detect_targeted_sentiment("The food was excellent but the service was horrible.", ENGLISH)
    for entity in record["Entities"]:
        for mention in entity["Mentions"]:
            scores = mention["MentionSentiment"]["SentimentScore"]
            assert set(scores) == {"Positive", "Negative", "Neutral", "Mixed"}
            assert abs(sum(scores.values()) - 1.0) < 1e-5


def test_a_document_that_names_nothing_has_no_entities() -> None:
    assert detect_targeted_sentiment("", ENGLISH) == {"Entities": []}
    assert detect_targeted_sentiment("It is what it is.", ENGLISH) == {"Entities": []}
