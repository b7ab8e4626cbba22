"""The documents of the suite's jobs: short lines that give every job type something to find (sentiments, key
phrases, names, places, dates, an e-mail address, an acquisition), and what they add up to (what AWS bills)."""

from __future__ import annotations

SAMPLE_DOCUMENTS = (
    "Jane Doe of Acme Corp wrote to jane@example.com from Seattle.",
    "I love this product.",
    "Amazon acquired Whole Foods for $13.7 billion in 2017.",
    "This is terrible.",
    "The box is brown.",
    "Great value but awful support.",
)
"""In an order that gives a 3-line job (the ``completed`` scenario's) something of every type's to find: a person,
an organization, a place, an e-mail address (followed by a space, so that offsets one off show), a sentiment, an
acquisition event with its date and amount."""


def many_lines(count: int) -> str:
    """``count`` short documents, one per line (ONE_DOC_PER_LINE input), the samples in turn."""
    return "".join(f"{SAMPLE_DOCUMENTS[i % len(SAMPLE_DOCUMENTS)]} ({i})\n" for i in range(count))


def document_characters(count: int) -> list[int]:
    """The characters of each of the ``count`` documents ``many_lines(count)`` makes."""
    return [len(line) for line in many_lines(count).splitlines()]


def document_texts(count: int) -> list[str]:
    """The text of each of the ``count`` documents ``many_lines(count)`` makes (offsets in records point into them)."""
    return many_lines(count).splitlines()
