"""Key phrases in the manner of RAKE (Rapid Automatic Keyword Extraction): the runs of words between stopwords.

A candidate is a run of words that are not stopwords (function words and common verbs, ``lexicon.STOPWORDS``) and
not separated by punctuation, at most six words, with the determiner before it when there is one (``the box``, as
Comprehend writes its phrases). Its score follows RAKE: each word scores its degree over its frequency among all
candidates, a phrase the sum s of its words', and Score = 1 - 0.5^(1 + s), so longer and rarer phrases score higher.

Languages: English, Spanish, French, German, Italian and Portuguese have stopword lists. Japanese and Chinese have no
spaces: a phrase is a run of 2 to 8 Han or Katakana characters (Chinese split also at a few function characters).
Other languages (Arabic, Hindi, Korean) have no list: a phrase is a run of at most three words between punctuation.
It does not attempt part-of-speech tagging, so an adjective or an unlisted verb can join or make a phrase.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import regex

from comprehend_contract.reference.analysis import lexicon
from comprehend_contract.reference.analysis.settings import Settings
from comprehend_contract.reference.analysis.text import words

MAX_WORDS = 6
"""The longest phrase, in words; a longer run is cut into phrases of this length."""

_UNLISTED_MAX_WORDS = 3
_CJK_RUN = regex.compile(r"[\p{Han}\p{Katakana}ー]{2,8}(?![\p{Han}\p{Katakana}ー])")
_CHINESE_SPLIT = regex.compile(r"[的了是在和与及或也就不都而着这那我你他她它们有个一上下中为以对从到把被让给很]")
_SEPARATOR_GAP = regex.compile(r"[ \t\u00a0]*")


def detect_key_phrases(text: str, settings: Settings) -> dict[str, Any]:
    """The ``KeyPhrases`` of one document: each phrase's text, score and offsets, in document order."""
    language = settings.language_code or "en"
    if language in ("ja", "zh", "zh-TW"):
        spans = _cjk_phrases(text, language)
    else:
        spans = _spaced_phrases(text, lexicon.STOPWORDS.get(language))
    scores = _rake_scores(text, spans)
    return {
        "KeyPhrases": [
            {"Text": text[begin:end], "Score": scores[i], "BeginOffset": begin, "EndOffset": end}
            for i, (begin, end) in enumerate(spans)
        ]
    }


def _spaced_phrases(text: str, stopwords: frozenset[str] | None) -> list[tuple[int, int]]:
    longest = MAX_WORDS if stopwords is not None else _UNLISTED_MAX_WORDS
    phrases: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    opener: tuple[int, int] | None = None
    previous_end = -1
    for begin, end in words(text):
        adjacent = previous_end >= 0 and _SEPARATOR_GAP.fullmatch(text, previous_end, begin) is not None
        if not adjacent:
            _close(run, opener, longest, phrases)
            run, opener = [], None
        word = text[begin:end].lower()
        if stopwords is not None and word in stopwords:
            _close(run, opener, longest, phrases)
            run = []
            opener = (begin, end) if word in lexicon.DETERMINERS else None
        else:
            run.append((begin, end))
        previous_end = end
    _close(run, opener, longest, phrases)
    return phrases


def _close(
    run: list[tuple[int, int]], opener: tuple[int, int] | None, longest: int, phrases: list[tuple[int, int]]
) -> None:
    for at in range(0, len(run), longest):
        piece = run[at : at + longest]
        begin = opener[0] if at == 0 and opener is not None else piece[0][0]
        phrases.append((begin, piece[-1][1]))


def _cjk_phrases(text: str, language: str) -> list[tuple[int, int]]:
    if language == "ja":
        return [(m.start(), m.end()) for m in _CJK_RUN.finditer(text)]
    phrases: list[tuple[int, int]] = []
    start = 0
    for split in [*_CHINESE_SPLIT.finditer(text), None]:
        stop = split.start() if split is not None else len(text)
        phrases.extend((m.start(), m.end()) for m in _CJK_RUN.finditer(text, start, stop))
        start = split.end() if split is not None else len(text)
    return phrases


def _rake_scores(text: str, spans: list[tuple[int, int]]) -> list[float]:
    tokens = [_tokens(text[begin:end]) for begin, end in spans]
    frequency: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    for phrase in tokens:
        for token in phrase:
            frequency[token] += 1
            degree[token] += len(phrase)
    return [round(1.0 - 0.5 ** (1.0 + sum(degree[t] / frequency[t] for t in phrase)), 6) for phrase in tokens]


def _tokens(phrase: str) -> tuple[str, ...]:
    found = tuple(phrase[b:e].lower() for b, e in words(phrase))
    return found or (phrase,)
