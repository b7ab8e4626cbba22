"""JobId cases at the edges of the syntax, derived from the schema's constraints (never retyped).

Lengths come from ``minLength``/``maxLength`` of ``definitions.json#/$defs/JobId``; characters are sampled from
every Unicode general category, and whether each is allowed is decided by the schema's own pattern. A case's
expected validity is always the schema's verdict on it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from comprehend_contract.spec import load_schema, validator_for

STOP_REQUEST = "StopSentimentDetectionJob.request"

CHARACTER_SAMPLES = (
    "a", "Z", "é", "ß", "ж", "Ω", "日", "本", "\u0627", "ह", "ǅ", "ʰ", "ー", "\U0001d400", "\U00020000",
    "0", "9", "٣", "४", "Ⅻ", "½", "²",
    " ", "\u00a0", "\u3000", "\u2028", "\u2029",
    "_", ".", ":", "/", "=", "+", "-", "%", "@",
    "#", ",", "!", "?", "\"", "'", "(", ")", "[", "]", "{", "}", "*", "&", ";", "\\", "|", "~", "^", "`", "$", "<",
    ">", "—", "«", "¿",
    "€", "©", "😀", "∑",
    "\t", "\n", "\r", "\x00", "\x7f",
    "\u0301", "\u20dd", "\u200b", "\u00ad", "\ue000",
)  # fmt: skip
"""Characters from every general category the pattern decides on: letters (all five kinds), numbers (Nd, Nl,
No), separators (Zs, Zl, Zp), the allowed punctuation and symbols, other punctuation and symbols, controls,
format and private-use characters, and combining marks."""


@dataclass(frozen=True, slots=True)
class JobIdCase:
    """A JobId to send and whether the schema accepts it."""

    label: str
    job_id: str
    valid: bool


def job_id_rules() -> dict[str, Any]:
    """The JobId constraints as the schema states them."""
    rules: dict[str, Any] = load_schema("definitions")["$defs"]["JobId"]
    return rules


def schema_accepts(job_id: Any) -> bool:
    return validator_for(STOP_REQUEST).is_valid({"JobId": job_id})


def _case(label: str, job_id: str) -> JobIdCase:
    return JobIdCase(label, job_id, schema_accepts(job_id))


def length_cases() -> list[JobIdCase]:
    """Lengths 0, min, max, max+1 and 1000, and max/max+1 of a BMP and a non-BMP letter (code points count)."""
    low, high = job_id_rules()["minLength"], job_id_rules()["maxLength"]
    cases = [_case(f"length {n}", "x" * n) for n in sorted({low - 1, low, high, high + 1, 1000})]
    for letter, name in (("日", "CJK"), ("\U0001d400", "non-BMP")):
        cases += [
            _case(f"{high} {name} letters", letter * high),
            _case(f"{high + 1} {name} letters", letter * (high + 1)),
        ]
    return cases


def pattern_cases() -> list[JobIdCase]:
    """Each sampled character between two letters, labelled by its Unicode category."""
    cases = []
    for char in CHARACTER_SAMPLES:
        category = unicodedata.category(char)
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        cases.append(_case(f"{category} {name}", f"x{char}x"))
    return cases
