"""What a job's Start request says that changes the analysis of its documents, as one value handed to every analysis."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Redaction:
    """A PII job's ``RedactionConfig``: which entity types to redact (``ALL`` for every type) and how."""

    pii_entity_types: tuple[str, ...]
    mask_mode: str
    """``MASK`` (each character becomes ``mask_character``) or ``REPLACE_WITH_PII_ENTITY_TYPE`` (``[NAME]``)."""
    mask_character: str = "*"


@dataclass(frozen=True, slots=True)
class Settings:
    """The members of a Start request that an analysis reads; the others (input, output, role, tags) it never sees."""

    language_code: str | None
    """``LanguageCode`` (None for dominant language, whose Start has none)."""
    target_event_types: tuple[str, ...] = ()
    """``TargetEventTypes`` of an events job: only events of these types are reported."""
    pii_mode: str | None = None
    """``Mode`` of a PII job: ``ONLY_OFFSETS`` or ``ONLY_REDACTION``."""
    redaction: Redaction | None = None
    """``RedactionConfig`` of a PII job (required by ``ONLY_REDACTION``)."""
