"""ECMA-262 pattern semantics on top of the ``regex`` package."""

from __future__ import annotations

import re

import pytest

from comprehend_contract.spec.patterns import UnsupportedPattern, compile_pattern, pattern_matches, to_python_regex

JOB_ID_PATTERN = r"^([\p{L}\p{Z}\p{N}_.:/=+\-%@]*)$"


def test_stock_re_cannot_compile_the_spec_pattern() -> None:
    """The reason this module exists: Python's re rejects \\p escapes."""
    with pytest.raises(re.error, match=r"bad escape \\p"):
        re.compile(JOB_ID_PATTERN)


@pytest.mark.parametrize(
    ("pattern", "instance", "matches"),
    [
        (JOB_ID_PATTERN, "日本語", True),
        (JOB_ID_PATTERN, "abc\n", False),
        (r"^\p{ASCII}+$", "key-1", True),
        (r"^\p{ASCII}+$", "clé", False),
        (r"^a.b$", "a\u2028b", False),
        (r"^a.b$", "a\rb", False),
        (r"^a.b$", "a-b", True),
        (r"^[.]$", ".", True),
        (r"^[.]$", "x", False),
        (r"^\d$", "٣", False),
        (r"^\d$", "3", True),
        (r"^[\d-]+$", "3-4", True),
        (r"^\w+$", "é", False),
        (r"^[$]$", "$", True),
        (r"^a\$$", "a$", True),
        (r"s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?", "s3://bucket/key", True),
        (r"s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?", "http://bucket", False),
    ],
)
def test_pattern_has_its_ecma_meaning(pattern: str, instance: str, matches: bool) -> None:
    assert pattern_matches(pattern, instance) is matches


def test_pattern_is_compiled_once() -> None:
    assert compile_pattern(JOB_ID_PATTERN) is compile_pattern(JOB_ID_PATTERN)


@pytest.mark.parametrize("pattern", [r"\bword\b", r"[\D]", r"[\W]", "trailing\\"])
def test_untranslatable_constructs_are_refused(pattern: str) -> None:
    with pytest.raises(UnsupportedPattern):
        to_python_regex(pattern)


def test_unicode_classes_are_kept_verbatim() -> None:
    """Never weaken a pattern to ASCII: the property escapes survive translation unchanged."""
    assert r"[\p{L}\p{Z}\p{N}_" in to_python_regex(JOB_ID_PATTERN)
