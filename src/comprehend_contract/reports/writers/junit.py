"""junit.xml: for each Stop operation, a test suite of its tests (clause ids as properties) and one of its clauses
(each with its verdict on that operation).

Every testcase with failing evidence carries it in ``system-out``: for each failing check, the requests as sent
(headers redacted, as in the report), the responses, and a ``curl`` that replays each request.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from comprehend_contract.reports import exchanges
from comprehend_contract.verdicts import Verdict

UNRECORDED = (
    "No evidence of this test is in report.json: it keeps the evidence of the first failing tests of each clause "
    "only. The clauses' testcases carry theirs.\n"
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text XML 1.0 can carry: characters it forbids (a NUL in a response body) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _exchange(exchange: dict[str, Any], target: dict[str, Any], number: int, count: int) -> list[str]:
    replay = exchanges.reproduction(exchange, target)
    return [
        f"--- exchange {number} of {count}: {exchange.get('operation')} via {exchange.get('transport')}",
        *(f"({note})" for note in exchanges.notes(exchange)),
        "--- request",
        exchanges.request_text(exchange),
        "--- response",
        exchanges.response_text(exchange),
        "--- replay",
        replay.command,
        *(f"({note})" for note in replay.notes),
    ]


def _evidence_text(entries: Iterable[tuple[str, dict[str, Any]]], target: dict[str, Any], more: int = 0) -> str:
    """``system-out`` for (heading, evidence) pairs: each check's detail and its last exchanges."""
    lines: list[str] = []
    for heading, evidence in entries:
        shown = evidence["exchanges"][-exchanges.EXCHANGES_SHOWN :]
        lines += ["", f"=== {heading}: {evidence['detail']}"]
        if len(evidence["exchanges"]) > len(shown):
            lines.append(f"({len(evidence['exchanges']) - len(shown)} earlier exchange(s) are in report.json)")
        if not shown:
            lines.append("(no request recorded)")
        for number, exchange in enumerate(shown, 1):
            lines += _exchange(exchange, target, number, len(shown))
    if more:
        lines += ["", f"({more} more failing test(s) are in report.json)"]
    if lines:
        lines += ["", *exchanges.replay_notes(target)]
    return _xml("\n".join(lines).strip() + "\n")


def write(report: dict[str, Any]) -> str:
    target = report["run"]["target"]
    failing_evidence: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for clause in report["clauses"]:
        for evidence in clause["evidence"]:
            if evidence["verdict"] == Verdict.FAIL:
                failing_evidence.setdefault(evidence["test"], []).append((clause["id"], evidence))
    suites = ET.Element("testsuites", name=f"comprehend-contract: {target.get('name')}")
    operations = list(report["run"].get("operations") or [""])
    for operation in operations:
        tests = [test for test in report["tests"] if test.get("operation", "") == operation]
        _tests_suite(suites, operation, tests, failing_evidence, target)
        _clauses_suite(suites, operation, report["clauses"], target)
    if report.get("parity") is not None:
        _parity_suite(suites, report["parity"], gated=bool(report["gate"].get("parity_gate")))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _tests_suite(
    suites: ET.Element,
    operation: str,
    tests: list[dict[str, Any]],
    failing_evidence: dict[str, list[tuple[str, dict[str, Any]]]],
    target: dict[str, Any],
) -> None:
    """One operation's tests: a testcase per test, its clause ids as properties, its failure's evidence."""
    name = f"{operation}: tests" if operation else "tests"
    suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(tests)))
    counts = {"failures": 0, "skipped": 0}
    for test in tests:
        module, _, test_name = test["nodeid"].partition("::")
        case = ET.SubElement(suite, "testcase", classname=module, name=test_name, time=str(test["duration_seconds"]))
        properties = ET.SubElement(case, "properties")
        if operation:
            ET.SubElement(properties, "property", name="operation", value=operation)
        for clause in test["clauses"]:
            ET.SubElement(properties, "property", name="clause", value=clause)
        message = _xml(test["message"])
        if test["outcome"] == "failed":
            counts["failures"] += 1
            ET.SubElement(case, "failure", message=message[:500]).text = message
        elif test["outcome"] in ("skipped", "xfailed"):
            # an expected failure is a skip with its reason, as pytest's own JUnit writer counts an xfail
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=message[:500], type=f"pytest.{test['outcome']}")
        if test["nodeid"] in failing_evidence:
            ET.SubElement(case, "system-out").text = _evidence_text(failing_evidence[test["nodeid"]], target)
        elif test["outcome"] in ("failed", "xfailed"):
            ET.SubElement(case, "system-out").text = UNRECORDED
    suite.set("failures", str(counts["failures"]))
    suite.set("skipped", str(counts["skipped"]))


def _clauses_suite(suites: ET.Element, operation: str, clauses: list[dict[str, Any]], target: dict[str, Any]) -> None:
    """One operation's clause verdicts: a testcase per clause, failed or skipped (not exercised, expected) as its
    verdict on that operation is."""
    name = f"{operation}: clauses" if operation else "clauses"
    suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(clauses)))
    failed = skipped = 0
    for clause in clauses:
        cell = clause.get("operations", {}).get(operation, clause)
        case = ET.SubElement(suite, "testcase", classname=clause["group"], name=clause["id"])
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", name="level", value=clause["level"])
        ET.SubElement(properties, "property", name="verdict", value=cell["verdict"])
        if operation:
            ET.SubElement(properties, "property", name="operation", value=operation)
        reason = _xml(cell["reason"])
        if cell["verdict"] == Verdict.FAIL:
            failed += 1
            ET.SubElement(case, "failure", message=reason[:500]).text = reason
        elif cell["verdict"] in (Verdict.NOT_EXERCISED, Verdict.EXPECTED_FAIL):
            skipped += 1
            ET.SubElement(case, "skipped", message=f"{cell['verdict']}: {reason}"[:500])
        failing = [e for e in cell["evidence"] if e["verdict"] == Verdict.FAIL]
        if failing:
            shown = [(e["test"], e) for e in failing[: exchanges.EVIDENCE_SHOWN]]
            more = len(failing) - len(shown)
            ET.SubElement(case, "system-out").text = _evidence_text(shown, target, more)
    suite.set("failures", str(failed))
    suite.set("skipped", str(skipped))


def _parity_suite(suites: ET.Element, parity: dict[str, Any], *, gated: bool) -> None:
    """A ``parity`` suite, a testcase per compared test: its differences in ``system-out``, failures only when
    they fail the gate (``--parity-gate``); otherwise parity is reported, not judged."""
    differences: dict[str, list[str]] = {}
    for difference in parity["differences"]:
        differences.setdefault(difference["test"], []).append(difference["message"])
    suite = ET.SubElement(suites, "testsuite", name="parity", tests=str(len(parity["compared"])))
    failures = 0
    for nodeid in parity["compared"]:
        module, _, name = nodeid.partition("::")
        case = ET.SubElement(suite, "testcase", classname=f"parity.{module}", name=name)
        found = differences.get(nodeid, [])
        if found:
            text = _xml("\n".join(found))
            if gated:
                failures += 1
                ET.SubElement(case, "failure", message=_xml(found[0])[:500]).text = text
            ET.SubElement(case, "system-out").text = text
    suite.set("failures", str(failures))
