"""Sentiment as a record: the scores of the VADER mapping (``test_units`` checks the mapping itself)."""

from __future__ import annotations

from comprehend_contract.reference.analysis import Settings
from comprehend_contract.reference.analysis.sentiment import analyse, detect_sentiment, is_opinion_word


def test_the_record_members_are_the_mappings_class_and_scores() -> None:
    text = "I love this, it is wonderful!"
    result = analyse(text)
    assert detect_sentiment(text, Settings("en")) == {"Sentiment": result.sentiment, "SentimentScore": result.scores()}
    assert detect_sentiment(text, Settings("en"))["Sentiment"] == "POSITIVE"


def test_the_scores_are_unchanged_by_the_move_into_the_package() -> None:
    """The figures VADER's mapping gave before the analyses became a package (a regression check)."""
    assert analyse("The food was excellent but the service was horrible and rude.").scores() == {
        "Positive": 0.0,
        "Negative": 0.376138,
        "Neutral": 0.1874,
        "Mixed": 0.436462,
    }
    assert analyse("I love this").scores() == {"Positive": 0.677, "Negative": 0.0, "Neutral": 0.323, "Mixed": 0.0}


def test_opinion_words_are_vaders() -> None:
    assert is_opinion_word("Delicious")
    assert not is_opinion_word("burger")
