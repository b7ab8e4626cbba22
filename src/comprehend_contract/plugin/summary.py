"""The end-of-session clause summary in the terminal."""

from __future__ import annotations

from collections.abc import Callable

from comprehend_contract.spec import Level
from comprehend_contract.verdicts import Verdict, VerdictBook


def render(book: VerdictBook, target: str, write: Callable[[str], None], *, width: int = 160) -> None:
    """Write one line per clause (verdict, id, level, reason), grouped as in CLAUSES.md, then the scores."""
    verdicts = book.verdicts()
    groups: dict[str, list[str]] = {}
    for item in verdicts:
        reason = (
            item.reason
            if item.verdict is not Verdict.PASS
            else f"{sum(1 for e in item.evidence if e.verdict is Verdict.PASS)} check(s)"
        )
        line = f"  {item.verdict.value:<14}{item.clause.id:<24}{item.clause.level.value:<7}{reason}"
        groups.setdefault(item.clause.group, []).append(line[:width])
    write(f"clause verdicts against target '{target}'")
    for group, lines in groups.items():
        write(group)
        for line in lines:
            write(line)
    for level, (passed, failed, skipped) in book.scores().items():
        applicable = passed + failed
        write(
            f"{level.value}: {passed}/{applicable} passed"
            + (f", {failed} failed" if failed else "")
            + (f", {skipped} not exercised" if skipped else "")
        )


__all__ = ["Level", "render"]
