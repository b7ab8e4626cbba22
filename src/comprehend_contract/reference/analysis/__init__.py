"""The reference's analysis of one document, for each job type of the family: pure functions of the text and settings.

``ANALYSES`` maps each type's ``analysis`` name (``spec/family.toml``) to a function that takes a document's text and
the job's ``Settings`` and returns the members of the document's output record besides ``File`` and ``Line``, in the
shapes FAMILY.md's "Output records" table gives (sentiment: ``Sentiment`` and ``SentimentScore``; key phrases:
``KeyPhrases``; ...). ``redact`` is a PII job's ``ONLY_REDACTION`` output of a document. Same text, same result;
offsets are ``str`` indices and ``Text`` is always ``text[BeginOffset:EndOffset]``. Libraries (langdetect,
phonenumbers, python-stdnum) are imported on a document's first use, never at import of the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from comprehend_contract.reference.analysis.dominant_language import detect_dominant_language
from comprehend_contract.reference.analysis.entities import detect_entities
from comprehend_contract.reference.analysis.events import detect_events
from comprehend_contract.reference.analysis.key_phrases import detect_key_phrases
from comprehend_contract.reference.analysis.pii_entities import detect_pii_entities, redact
from comprehend_contract.reference.analysis.sentiment import detect_sentiment
from comprehend_contract.reference.analysis.settings import Redaction, Settings
from comprehend_contract.reference.analysis.targeted_sentiment import detect_targeted_sentiment

Analysis = Callable[[str, Settings], dict[str, Any]]
"""One document's analysis: its text and the job's settings to the members of its output record."""

ANALYSES: Mapping[str, Analysis] = MappingProxyType(
    {
        "sentiment": detect_sentiment,
        "key-phrases": detect_key_phrases,
        "entities": detect_entities,
        "dominant-language": detect_dominant_language,
        "pii-entities": detect_pii_entities,
        "events": detect_events,
        "targeted-sentiment": detect_targeted_sentiment,
    }
)
"""Each job type's analysis, keyed by the family's ``analysis`` names."""

WARM_UP_TEXT = "Jane Doe of Acme Corp wrote to jane@example.com from Seattle on May 1, 2024: I love it."


def warm_up() -> None:
    """Run every analysis once, loading what each loads on first use (libraries, language profiles, tables): a
    server calls it as it starts, on a thread of its own, so that its first jobs do not spend their first seconds
    importing instead of reading documents."""
    settings = Settings("en", target_event_types=("BANKRUPTCY",), pii_mode="ONLY_OFFSETS")
    for analysis in ANALYSES.values():
        analysis(WARM_UP_TEXT, settings)
    redact(WARM_UP_TEXT, Settings("en", pii_mode="ONLY_REDACTION", redaction=Redaction(("ALL",), "MASK")))


__all__ = ["ANALYSES", "Analysis", "Redaction", "Settings", "redact", "warm_up"]
