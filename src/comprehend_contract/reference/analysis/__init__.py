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

__all__ = ["ANALYSES", "Analysis", "Redaction", "Settings", "redact"]
