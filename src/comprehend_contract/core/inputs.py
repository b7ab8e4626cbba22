"""The documents of the suite's jobs: short lines of every sentiment, and what they add up to (what AWS bills)."""

from __future__ import annotations

SAMPLE_DOCUMENTS = ("I love this product.", "This is terrible.", "The box is brown.", "Great value but awful support.")


def many_lines(count: int) -> str:
    """``count`` short documents, one per line (ONE_DOC_PER_LINE input), of every sentiment."""
    return "".join(f"{SAMPLE_DOCUMENTS[i % len(SAMPLE_DOCUMENTS)]} ({i})\n" for i in range(count))


def document_characters(count: int) -> list[int]:
    """The characters of each of the ``count`` documents ``many_lines(count)`` makes."""
    return [len(line) for line in many_lines(count).splitlines()]
