"""junit.xml: one testcase per test with its clause ids as properties, and one per clause with its verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from comprehend_contract.verdicts import Verdict


def write(report: dict[str, Any]) -> str:
    suites = ET.Element("testsuites", name=f"comprehend-contract: {report['run']['target'].get('name')}")
    tests = ET.SubElement(suites, "testsuite", name="tests", tests=str(len(report["tests"])))
    counts = {"failures": 0, "skipped": 0}
    for test in report["tests"]:
        module, _, name = test["nodeid"].partition("::")
        case = ET.SubElement(tests, "testcase", classname=module, name=name, time=str(test["duration_seconds"]))
        properties = ET.SubElement(case, "properties")
        for clause in test["clauses"]:
            ET.SubElement(properties, "property", name="clause", value=clause)
        if test["outcome"] == "failed":
            counts["failures"] += 1
            ET.SubElement(case, "failure", message=test["message"][:500]).text = test["message"]
        elif test["outcome"] == "skipped":
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=test["message"][:500])
    tests.set("failures", str(counts["failures"]))
    tests.set("skipped", str(counts["skipped"]))
    clauses = ET.SubElement(suites, "testsuite", name="clauses", tests=str(len(report["clauses"])))
    failed = skipped = 0
    for clause in report["clauses"]:
        case = ET.SubElement(clauses, "testcase", classname=clause["group"], name=clause["id"])
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", name="level", value=clause["level"])
        ET.SubElement(properties, "property", name="verdict", value=clause["verdict"])
        if clause["verdict"] == Verdict.FAIL:
            failed += 1
            ET.SubElement(case, "failure", message=clause["reason"][:500]).text = clause["reason"]
        elif clause["verdict"] in (Verdict.NOT_EXERCISED, Verdict.EXPECTED_FAIL):
            skipped += 1
            ET.SubElement(case, "skipped", message=f"{clause['verdict']}: {clause['reason']}"[:500])
    clauses.set("failures", str(failed))
    clauses.set("skipped", str(skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
