"""Document sentiment from VADER (vaderSentiment ships its lexicon), mapped onto Comprehend's four classes."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from comprehend_contract.reference.analysis.settings import Settings


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """A document's overall sentiment and the confidence in each class (the four scores sum to 1)."""

    sentiment: str
    positive: float
    negative: float
    neutral: float
    mixed: float

    def scores(self) -> dict[str, float]:
        return {"Positive": self.positive, "Negative": self.negative, "Neutral": self.neutral, "Mixed": self.mixed}


@functools.cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def analyse(text: str) -> SentimentResult:
    """Classify ``text``.

    VADER gives the proportions of positive and negative wording (``pos``, ``neg``) and a compound score
    c in [-1, 1]. Strength s = max(|c|, pos + neg) is how opinionated the text is; NEUTRAL gets the rest, 1 - s.
    Balance b = min(pos, neg) / max(pos, neg) is how two-sided the opinion is: MIXED gets s * min(1, 2b), and the
    dominant side (the sign of c) the remainder. The class is the largest of the four scores.
    """
    scores = _analyzer().polarity_scores(text)
    compound, pos, neg = float(scores["compound"]), float(scores["pos"]), float(scores["neg"])
    strength = min(1.0, max(abs(compound), pos + neg))
    balance = min(pos, neg) / max(pos, neg) if min(pos, neg) > 0 else 0.0
    mixed = strength * min(1.0, 2 * balance)
    sided = strength - mixed
    leans_positive = compound > 0 or (compound == 0 and pos >= neg)
    positive, negative = (sided, 0.0) if leans_positive else (0.0, sided)
    named = {"POSITIVE": positive, "NEGATIVE": negative, "NEUTRAL": 1.0 - strength, "MIXED": mixed}
    sentiment = max(named, key=lambda name: named[name])
    return SentimentResult(sentiment, round(positive, 6), round(negative, 6), round(1.0 - strength, 6), round(mixed, 6))


def detect_sentiment(text: str, settings: Settings) -> dict[str, Any]:
    """The ``Sentiment`` and ``SentimentScore`` of one document (VADER reads English: other languages score as
    it reads them)."""
    result = analyse(text)
    return {"Sentiment": result.sentiment, "SentimentScore": result.scores()}


def is_opinion_word(word: str) -> bool:
    """Whether VADER's lexicon gives ``word`` (any case) a sentiment: such a word describes a target, it is not one."""
    return word.lower() in _analyzer().lexicon
