"""How long a reference job spends in each phase: presets ``fast`` and ``aws-like``, scaled by a time scale."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass


class PaceError(ValueError):
    """A pace setting that cannot be used (negative, not finite, unknown preset)."""


@dataclass(frozen=True, slots=True)
class Pace:
    """Seconds a job spends SUBMITTED, IN_PROGRESS before its first document, per document, writing output, and
    STOP_REQUESTED before a stop takes effect."""

    submitted_seconds: float
    startup_seconds: float
    per_document_seconds: float
    finalize_seconds: float
    stop_seconds: float = 0.0

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise PaceError(f"{field.name} must be a finite number of seconds >= 0, not {value!r}")

    @classmethod
    def preset(cls, name: str, time_scale: float = 1.0) -> Pace:
        """The preset ``name`` (``fast`` or ``aws-like``), every duration multiplied by ``time_scale``."""
        if not math.isfinite(time_scale) or time_scale <= 0:
            raise PaceError(f"time scale must be a finite number > 0, not {time_scale!r}")
        try:
            base = PRESETS[name]
        except KeyError:
            raise PaceError(f"unknown pace {name!r}; choose one of: {', '.join(PRESETS)}") from None
        return base.scaled(time_scale)

    def scaled(self, factor: float) -> Pace:
        return Pace(*(getattr(self, field.name) * factor for field in dataclasses.fields(self)))

    def lifetime(self, documents: int) -> float:
        """Seconds from Start to the end state of a job over ``documents`` documents, if nobody stops it."""
        return (
            self.submitted_seconds
            + self.startup_seconds
            + documents * self.per_document_seconds
            + (self.finalize_seconds)
        )


PRESETS: dict[str, Pace] = {
    # A handful of documents ends in well under a second; a few hundred keep a job IN_PROGRESS for a second or more.
    "fast": Pace(
        submitted_seconds=0.5, startup_seconds=0.05, per_document_seconds=0.005, finalize_seconds=0.0, stop_seconds=1.0
    ),
    # Real AWS: a tiny sentiment job takes roughly 5 to 10 minutes end to end, most of it queued and starting up.
    "aws-like": Pace(
        submitted_seconds=240.0,
        startup_seconds=90.0,
        per_document_seconds=0.5,
        finalize_seconds=60.0,
        stop_seconds=60.0,
    ),
}
