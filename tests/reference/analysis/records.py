"""A structural check of output records against FAMILY.md's "Output records" table, written out here on purpose.

The record schemas are written elsewhere; this checker reads the table only, so that the analyses are held to the
documented shapes without depending on that work. Enumerated types come from botocore's service model.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import botocore.session


@dataclass(frozen=True, slots=True)
class OneOf:
    """A string from a fixed set."""

    values: frozenset[str]


Shape = Any
"""``str``, ``int`` or ``float`` (a number), a ``OneOf``, a one-element list (a list of that shape), or a dict of
member names to shapes (exactly those members)."""


@functools.cache
def service_enum(shape: str) -> frozenset[str]:
    """The values of one of the Comprehend service model's enum shapes."""
    model = botocore.session.get_session().get_service_model("comprehend")
    return frozenset(model.shape_for(shape).enum)


SENTIMENTS = OneOf(frozenset({"POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"}))
SCORES = {"Positive": float, "Negative": float, "Neutral": float, "Mixed": float}


@functools.cache
def record_shapes() -> Mapping[str, Shape]:
    """Each analysis's record members besides ``File`` and ``Line``, as the table gives them."""
    events_entity = OneOf(
        frozenset(
            {
                "DATE",
                "FACILITY",
                "LOCATION",
                "MONETARY_VALUE",
                "ORGANIZATION",
                "PERSON",
                "PERSON_TITLE",
                "QUANTITY",
                "STOCK_CODE",
            }
        )
    )
    span = {"Score": float, "BeginOffset": int, "EndOffset": int}
    return {
        "sentiment": {"Sentiment": SENTIMENTS, "SentimentScore": SCORES},
        "key-phrases": {"KeyPhrases": [{"Text": str, **span}]},
        "entities": {"Entities": [{"Text": str, "Type": OneOf(service_enum("EntityType")), **span}]},
        "dominant-language": {"Languages": [{"LanguageCode": str, "Score": float}]},
        "pii-entities": {"Entities": [{"Type": OneOf(service_enum("PiiEntityType") - {"ALL"}), **span}]},
        "events": {
            "Entities": [{"Mentions": [{"Text": str, "Type": events_entity, "GroupScore": float, **span}]}],
            "Events": [
                {
                    "Type": str,
                    "Arguments": [{"EntityIndex": int, "Role": str, "Score": float}],
                    "Triggers": [{"Text": str, "Type": str, "GroupScore": float, **span}],
                }
            ],
        },
        "targeted-sentiment": {
            "Entities": [
                {
                    "DescriptiveMentionIndex": [int],
                    "Mentions": [
                        {
                            "Text": str,
                            "Type": OneOf(service_enum("TargetedSentimentEntityType")),
                            "GroupScore": float,
                            "MentionSentiment": {"Sentiment": SENTIMENTS, "SentimentScore": SCORES},
                            **span,
                        }
                    ],
                }
            ]
        },
    }


def shape_errors(value: Any, shape: Shape, where: str = "$") -> list[str]:
    """Where ``value`` departs from ``shape`` (empty: it has the shape)."""
    if isinstance(shape, OneOf):
        return [] if value in shape.values else [f"{where}: {value!r} is none of {sorted(shape.values)}"]
    if shape is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not a number"]
    if shape is int or shape is str:
        ok = isinstance(value, shape) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not {shape.__name__}"]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not a list"]
        return [error for i, item in enumerate(value) for error in shape_errors(item, shape[0], f"{where}[{i}]")]
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not an object"]
    errors = [f"{where}: unexpected member {name!r}" for name in value if name not in shape]
    errors += [f"{where}: missing member {name!r}" for name in shape if name not in value]
    errors += [e for name in shape if name in value for e in shape_errors(value[name], shape[name], f"{where}.{name}")]
    return errors


def record_errors(analysis: str, record: Mapping[str, Any]) -> list[str]:
    """Where a whole record (``File``, ``Line`` when present, and the analysis's members) departs from the table."""
    members = dict(record)
    errors = [] if isinstance(members.pop("File", None), str) else ["$: File is missing or not a string"]
    if "Line" in members and not isinstance(members.pop("Line"), int):
        errors.append("$: Line is not an integer")
    return errors + shape_errors(members, record_shapes()[analysis])
