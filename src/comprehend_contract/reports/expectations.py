"""Expectations: a target's known deviations, by clause and Stop operation (optionally narrowed to tests), for a CI
gate.

A deviation names its clause and the operations it deviates on (``operation = "StopEventsDetectionJob"``, or the
type's name, ``Events``; a list of them; or ``"*"``, every Stop operation); one without an operation, as every
file written before the family was, applies to
``StopSentimentDetectionJob``, the operation those files were written for. Test ids of such files (``test_x[raw]``)
match the same tests of the sentiment operation today (``test_x[StopSentimentDetectionJob-raw]``).

The gate passes only if every outcome matches: a clause that fails on an operation without an expectation fails
it, and so does one that passes despite one (the bug was fixed: remove the expectation).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comprehend_contract.spec import UnknownClause, catalogue
from comprehend_contract.spec.family import UnknownJobType, family
from comprehend_contract.verdicts import Verdict


class ExpectationsError(ValueError):
    """An expectations file that cannot be used; the message names the entry and field."""


SEED_OPERATION = "StopSentimentDetectionJob"
"""The operation a deviation that names none applies to: the one the kit judged before the family."""


def _without_operation(nodeid: str, operation: str) -> str:
    """``nodeid`` with the operation's parameter id taken out: ``test_x[Op-raw]`` is ``test_x[raw]``, ``test_x[Op]``
    is ``test_x`` (how the test was named before every test was made once per operation)."""
    for found, plain in (
        (f"[{operation}]", ""),
        (f"[{operation}-", "["),
        (f"-{operation}]", "]"),
        (f"-{operation}-", "-"),
    ):
        if found in nodeid:
            return nodeid.replace(found, plain, 1)
    return nodeid


@dataclass(frozen=True, slots=True)
class Deviation:
    clause: str
    reason: str
    issue: str | None = None
    tests: tuple[str, ...] = ()
    operation: str = SEED_OPERATION

    def names(self, nodeid: str) -> bool:
        """Whether the deviation's tests name ``nodeid`` (by its id today, or as it was named before the family)."""
        return nodeid in self.tests or _without_operation(nodeid, self.operation) in self.tests

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"clause": self.clause, "operation": self.operation, "reason": self.reason}
        if self.issue:
            found["issue"] = self.issue
        if self.tests:
            found["tests"] = list(self.tests)
        return found


@dataclass(frozen=True, slots=True)
class Expectations:
    deviations: tuple[Deviation, ...]
    source: str

    def deviation(self, clause_id: str, operation: str) -> Deviation | None:
        """The deviation of ``clause_id`` on ``operation``, if the file has one."""
        return next((d for d in self.deviations if d.clause == clause_id and d.operation == operation), None)

    def for_cell(self, clause_id: str, operation: str) -> dict[str, Any] | None:
        found = self.deviation(clause_id, operation)
        return found.as_dict() if found is not None else None

    def for_test(self, nodeid: str, clauses: Iterable[str], operation: str) -> bool:
        return any(self.reason_for_test(nodeid, clause, operation) for clause in clauses)

    def reason_for_test(self, nodeid: str, clause: str, operation: str) -> str | None:
        """Why test ``nodeid`` (of ``operation``) may fail clause ``clause`` (None: it may not)."""
        found = self.deviation(clause, operation)
        if found is not None and (not found.tests or found.names(nodeid)):
            return found.reason
        return None

    def expected_to_fail(self, nodeid: str, clause: str, operation: str) -> bool:
        """Whether a deviation of ``clause`` on ``operation`` names test ``nodeid`` as failing."""
        found = self.deviation(clause, operation)
        return found is not None and bool(found.tests) and found.names(nodeid)


def load_expectations(path: Path) -> Expectations:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExpectationsError(f"expectations file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ExpectationsError(f"expectations file {path} is not valid TOML: {error}") from None
    unknown_top = set(data) - {"target", "deviation"}
    if unknown_top:
        raise ExpectationsError(f"expectations file {path}: unknown key(s) {', '.join(sorted(unknown_top))}")
    deviations = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(data.get("deviation", []), start=1):
        where = f"expectations file {path}, deviation #{index}"
        if not isinstance(entry, Mapping):
            raise ExpectationsError(f"{where}: must be a table")
        extra = set(entry) - {"clause", "reason", "issue", "tests", "operation"}
        if extra:
            raise ExpectationsError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        for field in ("clause", "reason"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise ExpectationsError(f"{where}: field {field} is required (a non-empty string)")
        try:
            catalogue().get(entry["clause"])
        except UnknownClause as error:
            raise ExpectationsError(f"{where}: field clause: {error}") from None
        try:
            operations = _operations(entry.get("operation", SEED_OPERATION))
        except ValueError as error:
            raise ExpectationsError(f"{where}: field operation: {error}") from None
        for operation in operations:
            if (entry["clause"], operation) in seen:
                raise ExpectationsError(f"{where}: clause {entry['clause']} on {operation} already has an expectation")
            seen.add((entry["clause"], operation))
        tests = entry.get("tests", [])
        if not isinstance(tests, list) or not all(isinstance(t, str) for t in tests):
            raise ExpectationsError(f"{where}: field tests must be a list of test ids")
        issue = entry.get("issue")
        if issue is not None and not (isinstance(issue, str) and issue.startswith(("http://", "https://"))):
            raise ExpectationsError(f"{where}: field issue must be an http(s) URL")
        deviations += [Deviation(entry["clause"], entry["reason"], issue, tuple(tests), op) for op in operations]
    return Expectations(tuple(deviations), str(path))


EVERY_OPERATION = "*"
REASON_KEPT = 150
"""Characters of a failure's reason an expectation written from a report keeps."""
_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{32}")


def _operations(value: object) -> list[str]:
    """The Stop operations a deviation's ``operation`` field names: one (by its name or its type's), a list of
    them, or ``"*"`` for every one; ``ValueError`` naming the choices."""
    if value == EVERY_OPERATION:
        return list(family().stops())
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(name, str) for name in names):
        raise ValueError('must be a Stop operation or job type, a list of them, or "*"')
    return list(dict.fromkeys(_operation(str(name)) for name in names))


def _operation(name: str) -> str:
    """A Stop operation, named as itself or by its job type (``Events``); ``ValueError`` naming the choices."""
    found = family().of_operation(name)
    if found is not None and found.stop == name:
        return name
    try:
        return family().get(name).stop
    except UnknownJobType:
        raise ValueError(f"{name!r} is not a Stop operation or job type ({', '.join(family().stops())})") from None


def expectations_from_report(report: Mapping[str, Any]) -> str:
    """An expectations file (TOML text) that accepts every failure of ``report`` as a known deviation."""
    target = report["run"]["target"].get("name", "target")
    lines = [
        f"# Known deviations of target '{target}', written from run {report['run']['id']}.",
        "# Give each a real reason and, where there is one, an issue URL; remove an entry when the bug is fixed",
        "# (an expected failure that passes fails the gate).",
        f'target = "{target}"',
        "",
    ]
    every = list(family().stops())
    for clause in report["clauses"]:
        # one entry per reason: the operations that fail the clause for it, "*" when that is every operation
        grouped: dict[tuple[str, str | None], list[str]] = {}
        for operation, cell in _cells(clause):
            if cell["verdict"] not in (Verdict.FAIL, Verdict.EXPECTED_FAIL):
                continue
            expectation = cell.get("expectation") or {}
            reason = expectation.get("reason") or _alike(cell["reason"] or "fails")
            grouped.setdefault((reason, expectation.get("issue")), []).append(operation)
        for (reason, issue), operations in grouped.items():
            named = (
                f'"{EVERY_OPERATION}"'
                if sorted(operations) == sorted(every)
                else (
                    f'"{operations[0]}"'
                    if len(operations) == 1
                    else "[" + ", ".join(f'"{o}"' for o in operations) + "]"
                )
            )
            lines += [
                "[[deviation]]",
                f'clause = "{clause["id"]}"',
                f"operation = {named}",
                f"reason = {_toml_string(reason)}",
            ]
            if issue:
                lines.append(f"issue = {_toml_string(issue)}")
            lines.append("")
    return "\n".join(lines)


def _alike(reason: str) -> str:
    """A failure's reason as one for every operation it may be given on: the types' names in operations' and
    members' names and on their own, job ids and ARNs left generic (``Stop<Type>DetectionJob``, ``<Type>``,
    ``<id>``, ``<arn>``), so that one entry covers the same failure everywhere."""
    longest_first = sorted(family(), key=lambda job_type: -len(job_type.name))  # TargetedSentiment, then Sentiment
    for job_type in longest_first:
        for name in (*job_type.operations, job_type.properties_member, job_type.list_member):
            reason = reason.replace(name, name.replace(job_type.name, "<Type>"))
    for job_type in longest_first:
        reason = re.sub(rf"\b{job_type.name}\b", "<Type>", reason)
    reason = _ID.sub("<id>", re.sub(r"arn:[^\s\"',]*", "<arn>", reason))
    reason = _TIME.sub("<time>", reason)
    # a report's reasons are cut at a length, so longer names cut them sooner: keep what every operation's has
    return reason if len(reason) <= REASON_KEPT else reason[:REASON_KEPT].rstrip() + "..."


def _cells(clause: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """A report clause's (operation, verdict cell) pairs; a report of format 1 has one, for the seed operation."""
    operations = clause.get("operations")
    if isinstance(operations, Mapping):
        return list(operations.items())
    return [(SEED_OPERATION, clause)]


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
