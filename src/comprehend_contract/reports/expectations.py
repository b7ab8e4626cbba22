"""Expectations: a target's known deviations, by clause (optionally narrowed to tests), for a CI gate.

The gate passes only if every outcome matches: a clause that fails without an expectation fails it, and so does a
clause that passes despite one (the bug was fixed: remove the expectation).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comprehend_contract.spec import UnknownClause, catalogue
from comprehend_contract.verdicts import Verdict


class ExpectationsError(ValueError):
    """An expectations file that cannot be used; the message names the entry and field."""


@dataclass(frozen=True, slots=True)
class Deviation:
    clause: str
    reason: str
    issue: str | None = None
    tests: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"clause": self.clause, "reason": self.reason}
        if self.issue:
            found["issue"] = self.issue
        if self.tests:
            found["tests"] = list(self.tests)
        return found


@dataclass(frozen=True, slots=True)
class Expectations:
    deviations: tuple[Deviation, ...]
    source: str

    def for_clause(self, clause_id: str) -> dict[str, Any] | None:
        for deviation in self.deviations:
            if deviation.clause == clause_id:
                return deviation.as_dict()
        return None

    def for_test(self, nodeid: str, clauses: Iterable[str]) -> bool:
        return any(self.reason_for_test(nodeid, clause) for clause in clauses)

    def reason_for_test(self, nodeid: str, clause: str) -> str | None:
        """Why test ``nodeid`` may fail clause ``clause`` (None: it may not)."""
        for deviation in self.deviations:
            if deviation.clause == clause and (not deviation.tests or nodeid in deviation.tests):
                return deviation.reason
        return None

    def tests_expected_to_fail(self, clause: str) -> tuple[str, ...]:
        """The tests a deviation of ``clause`` names as failing (none: the clause as a whole is expected to)."""
        return next((d.tests for d in self.deviations if d.clause == clause), ())


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
    seen: set[str] = set()
    for index, entry in enumerate(data.get("deviation", []), start=1):
        where = f"expectations file {path}, deviation #{index}"
        if not isinstance(entry, Mapping):
            raise ExpectationsError(f"{where}: must be a table")
        extra = set(entry) - {"clause", "reason", "issue", "tests"}
        if extra:
            raise ExpectationsError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        for field in ("clause", "reason"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise ExpectationsError(f"{where}: field {field} is required (a non-empty string)")
        try:
            catalogue().get(entry["clause"])
        except UnknownClause as error:
            raise ExpectationsError(f"{where}: field clause: {error}") from None
        if entry["clause"] in seen:
            raise ExpectationsError(f"{where}: clause {entry['clause']} already has an expectation")
        seen.add(entry["clause"])
        tests = entry.get("tests", [])
        if not isinstance(tests, list) or not all(isinstance(t, str) for t in tests):
            raise ExpectationsError(f"{where}: field tests must be a list of test ids")
        issue = entry.get("issue")
        if issue is not None and not (isinstance(issue, str) and issue.startswith(("http://", "https://"))):
            raise ExpectationsError(f"{where}: field issue must be an http(s) URL")
        deviations.append(Deviation(entry["clause"], entry["reason"], issue, tuple(tests)))
    return Expectations(tuple(deviations), str(path))


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
    for clause in report["clauses"]:
        if clause["verdict"] not in (Verdict.FAIL, Verdict.EXPECTED_FAIL):
            continue
        reason = (clause.get("expectation") or {}).get("reason") or clause["reason"] or "fails"
        lines += [
            "[[deviation]]",
            f'clause = "{clause["id"]}"',
            f"reason = {_toml_string(reason)}",
        ]
        issue = (clause.get("expectation") or {}).get("issue")
        if issue:
            lines.append(f"issue = {_toml_string(issue)}")
        lines.append("")
    return "\n".join(lines)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
