"""Document sentiment from VADER (vaderSentiment ships its lexicon), mapped onto Comprehend's four classes."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


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

    VADER's compound score c in [-1, 1] says how opinionated the text is, and its positive/negative proportions
    say whether the opinion is one-sided. Polarity |c| is split between MIXED (in the measure that both sides are
    present) and the dominant side; the rest, 1 - |c|, is NEUTRAL. The class is the largest score.
    """
    scores = _analyzer().polarity_scores(text)
    compound, pos, neg = float(scores["compound"]), float(scores["pos"]), float(scores["neg"])
    polarity = abs(compound)
    mixedness = 2 * min(pos, neg) / (pos + neg) if pos + neg > 0 else 0.0
    mixed = polarity * mixedness
    sided = polarity - mixed
    positive = sided if compound > 0 else 0.0
    negative = sided if compound < 0 else 0.0
    neutral = 1.0 - polarity
    named = {"POSITIVE": positive, "NEGATIVE": negative, "NEUTRAL": neutral, "MIXED": mixed}
    sentiment = max(named, key=lambda name: named[name])
    return SentimentResult(sentiment, round(positive, 6), round(negative, 6), round(neutral, 6), round(mixed, 6))
