"""Targeted sentiment: the entities and nouns a document talks about, each mention with the sentiment of its clause.

Mentions: the entities analysis's spans (types kept; a quoted ``TITLE`` is ``OTHER``, a place ending in ``Airport``,
``Hotel`` and the like a ``FACILITY``), job titles and honorifics (``PERSONAL_TITLE``), the writer (``I``, ``my``,
``we``: ``PERSON``, as the developer guide's examples show), and the nouns after a determiner (``the tacos``: the
words after ``the`` up to a stopword or an opinion word) or before a trait word (``customer service``): ``ATTRIBUTE``
when the last word names a trait (``price``, ``service``, ``quality``; ``lexicon.ATTRIBUTES``), else ``OTHER``.

Entities: mentions with the same text are one entity (``I`` with ``me`` and ``my``; ``we`` with ``us`` and ``our``),
every mention descriptive except the writer's after the first. Sentiment: VADER, through the sentiment analysis's
mapping onto the four classes, over the mention's clause (its sentence cut at ``,``, ``;``, ``:`` and at ``but``,
``however``, ``although``, ``and``, ``pero``, ``y`` and the like), so in "The tacos were delicious and the staff
was rude" the tacos are POSITIVE and the staff NEGATIVE.

It does not attempt: pronouns other than the writer's (``it`` is not linked to its noun), BRAND, MOVIE, MUSIC,
BOOK, SOFTWARE and GAME (they come out as ORGANIZATION, COMMERCIAL_ITEM or OTHER), or sentiment aimed at one target
of a clause that names two. Only English is supported, as by AWS.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex

from comprehend_contract.reference.analysis import lexicon
from comprehend_contract.reference.analysis.entities import find_entities, find_person_titles
from comprehend_contract.reference.analysis.sentiment import SentimentResult, analyse, is_opinion_word
from comprehend_contract.reference.analysis.settings import Settings
from comprehend_contract.reference.analysis.text import Found, keep_non_overlapping, sentences, words

TARGETED_SENTIMENT_ENTITY_TYPES = (
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "FACILITY",
    "BRAND",
    "COMMERCIAL_ITEM",
    "MOVIE",
    "MUSIC",
    "BOOK",
    "SOFTWARE",
    "GAME",
    "PERSONAL_TITLE",
    "EVENT",
    "DATE",
    "QUANTITY",
    "ATTRIBUTE",
    "OTHER",
)
"""The service model's ``TargetedSentimentEntityType`` values."""

MAX_TARGET_WORDS = 3
"""The longest noun target, in words."""

_WRITER = regex.compile(
    r"(?<![\p{L}\p{N}'\u2019])(?:I|(?i:me|my|mine|myself|we|us|our|ours|ourselves))(?![\p{L}\p{N}'\u2019])"
)
_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_CLAUSE_BREAK = regex.compile(
    r"[,;:()]|(?i)(?<![\p{L}])(?:but|however|although|though|whereas|yet|while|and|pero|aunque|sino|mientras|y)(?![\p{L}])"
)


def detect_targeted_sentiment(text: str, settings: Settings) -> dict[str, Any]:
    """The ``Entities`` of one document: groups of mentions, each mention with its own sentiment."""
    mentions = _mentions(text)
    groups: dict[str, list[Found]] = {}
    for mention in mentions:
        groups.setdefault(_group_key(text[mention.begin : mention.end], mention.type), []).append(mention)
    clauses = _Clauses(text)
    return {
        "Entities": [
            {
                "DescriptiveMentionIndex": [0] if key.startswith("writer:") else list(range(len(group))),
                "Mentions": [_mention_record(text, m, i, clauses) for i, m in enumerate(group)],
            }
            for key, group in groups.items()
        ]
    }


def _group_key(spelled: str, kind: str) -> str:
    lowered = spelled.lower()
    if kind == "PERSON" and lowered in _SINGULAR:
        return "writer:singular"
    if kind == "PERSON" and lowered in _PLURAL:
        return "writer:plural"
    return f"{kind}:{lowered}"


def _mention_record(text: str, mention: Found, index: int, clauses: _Clauses) -> dict[str, Any]:
    result = clauses.sentiment_at(mention.begin, mention.end)
    return {
        "Text": text[mention.begin : mention.end],
        "Type": mention.type,
        "Score": mention.score,
        "GroupScore": 1.0 if index == 0 else 0.9,
        "BeginOffset": mention.begin,
        "EndOffset": mention.end,
        "MentionSentiment": {"Sentiment": result.sentiment, "SentimentScore": result.scores()},
    }


def _mentions(text: str) -> list[Found]:
    candidates = [
        *(Found(f.begin, f.end, "PERSONAL_TITLE", f.score) for f in find_person_titles(text)),
        *_recast(text),
        *(Found(m.start(), m.end(), "PERSON", 0.9) for m in _WRITER.finditer(text)),
        *_targets(text),
    ]
    return keep_non_overlapping(candidates)


def _recast(text: str) -> Iterator[Found]:
    for found in find_entities(text):
        if found.type == "TITLE":
            yield Found(found.begin, found.end, "OTHER", found.score)
        elif found.type == "LOCATION" and text[found.begin : found.end].split()[-1] in lexicon.FACILITY_SUFFIXES:
            yield Found(found.begin, found.end, "FACILITY", found.score)
        else:
            yield found


def _targets(text: str) -> Iterator[Found]:
    """Nouns after a determiner, and trait words with the noun before them."""
    stopwords = lexicon.STOPWORDS["en"]
    spans = list(words(text))
    for at, (begin, end) in enumerate(spans):
        word = text[begin:end].lower()
        if word in lexicon.DETERMINERS:
            run: list[tuple[int, int]] = []
            for next_begin, next_end in spans[at + 1 : at + 1 + MAX_TARGET_WORDS]:
                following = text[next_begin:next_end]
                gap = text[(run[-1][1] if run else end) : next_begin]
                if gap.strip() or following.lower() in stopwords or following.lower() in lexicon.DETERMINERS:
                    break
                if is_opinion_word(following) or following.isdigit():
                    if run:
                        break
                    continue
                run.append((next_begin, next_end))
            if run:
                yield _typed_target(text, run[0][0], run[-1][1])
        elif word in lexicon.ATTRIBUTES:
            start = begin
            if at > 0:
                before_begin, before_end = spans[at - 1]
                before = text[before_begin:before_end]
                if (
                    not text[before_end:begin].strip()
                    and before.lower() not in stopwords
                    and not is_opinion_word(before)
                ):
                    start = before_begin if before.lower() not in lexicon.DETERMINERS else begin
            yield Found(start, end, "ATTRIBUTE", 0.7)


def _typed_target(text: str, begin: int, end: int) -> Found:
    last = text[begin:end].split()[-1].lower()
    return Found(begin, end, "ATTRIBUTE" if last in lexicon.ATTRIBUTES else "OTHER", 0.7)


class _Clauses:
    """The document's clauses, each scored once, however many mentions it holds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scored: dict[str, SentimentResult] = {}
        self.bounds: list[tuple[int, int]] = []
        for begin, end in sentences(text):
            start = begin
            for cut in _CLAUSE_BREAK.finditer(text, begin, end):
                if cut.start() > start:
                    self.bounds.append((start, cut.start()))
                start = cut.end()
            if end > start:
                self.bounds.append((start, end))

    def sentiment_at(self, begin: int, end: int) -> SentimentResult:
        clause = self.text[begin:end]
        for clause_begin, clause_end in self.bounds:
            if clause_begin <= begin < clause_end:
                clause = self.text[clause_begin : max(clause_end, end)]
                break
        if clause not in self.scored:
            self.scored[clause] = analyse(clause)
        return self.scored[clause]
