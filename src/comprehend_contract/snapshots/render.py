"""Parity differences as Markdown, grouped by the clauses of each test, then by test."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from comprehend_contract.snapshots.diff import Comparison, Difference
from comprehend_contract.spec import catalogue

NO_CLAUSE = "(tests without a known clause)"
_CODE_SPAN = re.compile(r"(`` .*? ``|`[^`]*`)")


def describe_source(source: Mapping[str, Any]) -> str:
    """``moto (moto 5.1.0, kit 0.1.0)``: a snapshot's ``recorded_from`` in words."""
    implementation = source.get("implementation")
    parts = []
    if isinstance(implementation, Mapping) and implementation.get("name"):
        parts.append(" ".join(str(implementation[key]) for key in ("name", "version") if implementation.get(key)))
    elif source.get("kind"):
        parts.append(f"kind {source['kind']}")
    if source.get("kit_version"):
        parts.append(f"kit {source['kit_version']}")
    return f"{source.get('target', '?')} ({', '.join(parts)})" if parts else str(source.get("target", "?"))


def score_line(comparison: Comparison) -> str:
    """``Parity: 12/40 tests answer identically (30%)``, and what differs or was not compared."""
    compared, identical = len(comparison.compared), len(comparison.identical)
    if not compared:
        line = "Parity: no test was compared"
    else:
        line = f"Parity: {identical}/{compared} tests answer identically ({100 * identical / compared:.0f}%)"
        if comparison.differences:
            line += f"; {len(comparison.differing)} test(s) differ in {len(comparison.differences)} place(s)"
    if comparison.not_compared:
        line += f"; {len(comparison.not_compared)} recorded test(s) not compared (not selected in this run)"
    return line + "."


def render_markdown(
    comparison: Comparison,
    clauses: Mapping[str, Sequence[str]] | None = None,
    *,
    max_per_test: int | None = None,
    heading_level: int = 1,
) -> str:
    """The comparison as Markdown: a title, the score, then every difference grouped by clause and test.

    ``clauses`` maps node ids to clause ids (default: what the snapshots recorded); ``max_per_test`` cuts long
    lists of one test's differences; ``heading_level`` lets a report embed it as a section.
    """
    mapping = {nodeid: tuple(ids) for nodeid, ids in (clauses or comparison.clauses).items()}
    top, group_level, test_level = ("#" * (heading_level + n) for n in range(3))
    lines = [
        f"{top} Parity of {describe_source(comparison.current_from)} with the snapshot of "
        f"{describe_source(comparison.recorded_from)}",
        "",
        f"**{score_line(comparison)}**",
        "",
    ]
    if not comparison.differences:
        lines.append("Every compared test answered as the recorded implementation did." if comparison.compared else "")
        return "\n".join(lines).rstrip("\n") + "\n"
    by_test = comparison.by_test()
    groups: dict[tuple[str, ...], list[str]] = {}
    for nodeid in by_test:
        groups.setdefault(mapping.get(nodeid, ()), []).append(nodeid)
    for group in sorted(groups, key=_group_order):
        lines += [f"{group_level} {', '.join(group) if group else NO_CLAUSE}", ""]
        for nodeid in sorted(groups[group]):
            lines += [f"{test_level} `{nodeid}`", ""]
            shown = by_test[nodeid] if max_per_test is None else by_test[nodeid][:max_per_test]
            lines += [f"- {_where(difference)}{_escape(difference.message)}" for difference in shown]
            if len(shown) < len(by_test[nodeid]):
                lines.append(f"- ... and {len(by_test[nodeid]) - len(shown)} more difference(s)")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _where(difference: Difference) -> str:
    if difference.exchange is None and difference.current_exchange is None:
        return ""
    if difference.exchange is None:
        return f"exchange #{(difference.current_exchange or 0) + 1} (now): "
    now = difference.current_exchange
    moved = f", #{now + 1} now" if now is not None and now != difference.exchange else ""
    return f"exchange #{difference.exchange + 1}{moved}: "


def _escape(text: str) -> str:
    """Markdown-safe and one line: code spans kept, any other ``<`` escaped (no raw HTML from an error page)."""
    parts = _CODE_SPAN.split(" ".join(text.split()))
    return "".join(part if index % 2 else part.replace("<", "\\<") for index, part in enumerate(parts))


def _group_order(group: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    order = {clause_id: index for index, clause_id in enumerate(catalogue().ids)}
    return (min((order.get(c, len(order)) for c in group), default=len(order) + 1), group)
