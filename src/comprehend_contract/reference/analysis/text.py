"""The text primitives the analyses share: found spans, words, sentences and overlap resolution, in ``str`` offsets.

Offsets are Python ``str`` indices (Unicode code points), which is what Comprehend's character offsets count. Nothing
here lower-cases a document before matching: ``"İ".lower()`` is two code points, so offsets found in a lower-cased
copy could point past the word they name; case-insensitive matching uses the patterns' IGNORECASE instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

from comprehend_contract.reference.analysis import lexicon

WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['\u2019\-.&][\p{L}\p{M}\p{N}]+)*")
"""A word: letters, marks and digits, with inner apostrophes, hyphens, dots and ampersands (``O'Neil``, ``U.S``)."""

_SENTENCE_END = regex.compile(r"[.!?\u3002\uff01\uff1f]+[\"'\u201d\u2019)\]]*(?=\s|$)|\n")
_WORD_BEFORE = regex.compile(r"[\p{L}\p{M}\p{N}.]+$")


@dataclass(frozen=True, slots=True)
class Found:
    """A typed span a rule found: ``document[begin:end]`` is its text, ``score`` the rule's confidence in [0, 1]."""

    begin: int
    end: int
    type: str
    score: float

    def overlaps(self, other: Found) -> bool:
        return self.begin < other.end and other.begin < self.end


def words(text: str, begin: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The (begin, end) offsets of the words of ``text[begin:end]``."""
    for match in WORD.finditer(text, begin, len(text) if end is None else end):
        yield match.start(), match.end()


def sentences(text: str) -> list[tuple[int, int]]:
    """The (begin, end) offsets of the sentences of ``text``, without their surrounding whitespace.

    A sentence ends at ``.``, ``!`` or ``?`` followed by whitespace, or at a line break; a period after a known
    abbreviation (``Mr.``, ``Inc.``) or a single letter (``J.``) does not end one.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        _append_trimmed(text, start, match.end(), spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def _is_abbreviation(text: str, period: int) -> bool:
    before = _WORD_BEFORE.search(text, max(0, period - 12), period)
    if before is None:
        return False
    word = before.group()
    return len(word) == 1 or word.rstrip(".").lower() in lexicon.ABBREVIATIONS


def _append_trimmed(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if begin < end:
        spans.append((begin, end))


def keep_non_overlapping(candidates: Iterable[Found]) -> list[Found]:
    """The candidates that overlap no earlier one, in document order: earlier candidates are the stronger rules'."""
    begins: list[int] = []
    kept: list[Found] = []
    for candidate in candidates:
        at = bisect.bisect_left(begins, candidate.begin)
        if at > 0 and kept[at - 1].end > candidate.begin:
            continue
        if at < len(kept) and kept[at].begin < candidate.end:
            continue
        begins.insert(at, candidate.begin)
        kept.insert(at, candidate)
    return kept
