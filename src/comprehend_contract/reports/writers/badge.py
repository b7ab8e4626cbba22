"""badge.svg: a flat badge of the run, like Bowtie's: "comprehend-contract | MUST 24/24 · gate passed", green when
the gate passed and red when not; and one per Stop operation, ``badge-<operation>.svg``: "comprehend-contract |
StopEventsDetectionJob · MUST 24/24", green when no failure on that operation is unexpected.
Self-contained: a generic font family, no external font or URL.

Text widths are estimated (no font metrics here) and pinned with ``textLength``, so the text fits its box in any
font a viewer picks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

LABEL = "comprehend-contract"
PASSED = "#2ea043"
FAILED = "#cf222e"
LABEL_COLOUR = "#555"
HEIGHT = 20
PADDING = 6
FONT = "Verdana,DejaVu Sans,Geneva,sans-serif"
_NARROW = frozenset("ilj.,:;|!'· ()/1")
_WIDE = frozenset("MWmw")


def text_width(text: str) -> int:
    """An estimate of ``text``'s width in pixels at 11px Verdana."""
    return round(sum(3.5 if c in _NARROW else 10.0 if c in _WIDE else 7.0 for c in text))


def message(report: dict[str, Any]) -> str:
    must = report["scores"]["MUST"]
    gate = "gate passed" if report["gate"]["passed"] else "gate failed"
    return f"MUST {must['passed']}/{must['applicable']} · {gate}"


def operation_message(report: dict[str, Any], operation: str) -> tuple[str, bool]:
    """The badge of one operation: its MUST score, and whether every failure on it was expected."""
    must = report["operation_scores"][operation]["MUST"]
    unexpected = [c for c in report["gate"].get("unexpected_failing_cells", []) if c["operation"] == operation]
    good = (not unexpected and not must["failed"]) or (not unexpected and must["expected_fail"] == must["failed"])
    return f"{operation} · MUST {must['passed']}/{must['applicable']}", good and not unexpected


def write(report: dict[str, Any]) -> str:
    """The run's badge: its MUST score (clauses rolled up) and the gate."""
    return _badge(message(report), bool(report["gate"]["passed"]))


def write_for(report: dict[str, Any], operation: str) -> str:
    """One operation's badge (``badge-<operation>.svg``): green when no failure on it is unexpected."""
    text, good = operation_message(report, operation)
    return _badge(text, good)


def _badge(right: str, good: bool) -> str:
    colour = PASSED if good else FAILED
    left_width = text_width(LABEL) + 2 * PADDING
    right_width = text_width(right) + 2 * PADDING
    width = left_width + right_width
    title = f"{LABEL}: {right}"
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(HEIGHT),
            "role": "img",
            "aria-label": title,
        },
    )
    ET.SubElement(svg, "title").text = title
    ET.SubElement(svg, "rect", {"width": str(left_width), "height": str(HEIGHT), "fill": LABEL_COLOUR})
    ET.SubElement(svg, "rect", {"x": str(left_width), "width": str(right_width), "height": str(HEIGHT), "fill": colour})
    text = ET.SubElement(svg, "g", {"fill": "#fff", "text-anchor": "middle", "font-family": FONT, "font-size": "11"})
    for x, content, length in (
        (left_width / 2, LABEL, left_width - 2 * PADDING),
        (left_width + right_width / 2, right, right_width - 2 * PADDING),
    ):
        placed = {"x": f"{x:g}", "textLength": str(length), "lengthAdjust": "spacingAndGlyphs"}
        shadow = {"y": "15", "fill": "#010101", "fill-opacity": ".3"}
        ET.SubElement(text, "text", {**placed, **shadow}).text = content
        ET.SubElement(text, "text", {**placed, "y": "14"}).text = content
    return ET.tostring(svg, encoding="unicode") + "\n"
