"""The shared text primitives: sentences, words and overlap resolution, all in ``str`` offsets."""

from __future__ import annotations

from comprehend_contract.reference.analysis.text import Found, keep_non_overlapping, sentences, words


def test_sentences_end_at_stops_but_not_after_abbreviations() -> None:
    text = "Mr. Smith joined Acme Inc. in May. He left!  Why?\nNew line"
    assert [text[b:e] for b, e in sentences(text)] == [
        "Mr. Smith joined Acme Inc. in May.",
        "He left!",
        "Why?",
        "New line",
    ]
    assert sentences("") == []
    assert sentences("   \n ") == []


def test_words_keep_inner_apostrophes_hyphens_and_marks() -> None:
    text = "O'Neil's co-founder नमस्ते, U.S.A!"
    assert [text[b:e] for b, e in words(text)] == ["O'Neil's", "co-founder", "नमस्ते", "U.S.A"]


def test_earlier_candidates_win_overlaps_and_the_rest_come_back_in_order() -> None:
    strong = Found(5, 10, "A", 1.0)
    overlapping = Found(8, 12, "B", 1.0)
    later = Found(12, 14, "C", 1.0)
    earlier = Found(0, 5, "D", 1.0)
    assert keep_non_overlapping([strong, overlapping, later, earlier]) == [earlier, strong, later]
