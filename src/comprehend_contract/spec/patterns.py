"""JSON Schema ``pattern`` with its real meaning: ECMA-262 regular expressions with Unicode property escapes.

The service model's patterns use ``\\p{L}``, ``\\p{Z}``, ``\\p{N}`` and ``\\p{ASCII}``, which Python's ``re``
rejects ("bad escape \\p"). The ``regex`` package understands them. Where Python and ECMA-262 (the dialect
JSON Schema prescribes) disagree on the meaning of a construct, the pattern is rewritten to the ECMA meaning
rather than left to drift:

* ``$`` outside a class matches only at the very end (Python also matches before a final newline);
* ``.`` excludes all ECMA line terminators (``\\n``, ``\\r``, U+2028, U+2029), not only ``\\n``;
* ``\\d`` and ``\\w`` are ASCII-only; ``\\b``/``\\B`` (ASCII word boundaries) and ``\\D``/``\\W`` inside a
  class are refused rather than approximated.

A pattern is never narrowed to ASCII to make it compile.
"""

from __future__ import annotations

import functools

import regex

_ECMA_DOT = r"[^\n\r\u2028\u2029]"
_OUTSIDE_CLASS = {"d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]"}
_INSIDE_CLASS = {"d": "0-9", "w": "A-Za-z0-9_"}


class UnsupportedPattern(ValueError):
    """A pattern uses a construct whose ECMA-262 meaning this translation cannot express faithfully."""


def to_python_regex(pattern: str) -> str:
    """Rewrite an ECMA-262 ``pattern`` into ``regex``-module syntax with the same meaning."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                raise UnsupportedPattern(f"pattern {pattern!r} ends with a lone backslash")
            escaped = pattern[i + 1]
            if escaped in "bB":
                raise UnsupportedPattern(f"pattern {pattern!r} uses \\{escaped}, whose ECMA meaning is ASCII-only")
            table = _INSIDE_CLASS if in_class else _OUTSIDE_CLASS
            if escaped in table:
                out.append(table[escaped])
            elif in_class and escaped in "DW":
                raise UnsupportedPattern(f"pattern {pattern!r} uses \\{escaped} inside a character class")
            else:
                out.append(char + escaped)
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
        elif char == "$":
            out.append(r"\Z")
        elif char == ".":
            out.append(_ECMA_DOT)
        else:
            out.append(char)
        i += 1
    return "".join(out)


@functools.cache
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile an ECMA-262 ``pattern`` once; later calls return the same compiled object."""
    return regex.compile(to_python_regex(pattern))


def pattern_matches(pattern: str, instance: str) -> bool:
    """Whether ``instance`` matches ``pattern`` anywhere, as JSON Schema's ``pattern`` keyword (unanchored) says."""
    return compile_pattern(pattern).search(instance) is not None
