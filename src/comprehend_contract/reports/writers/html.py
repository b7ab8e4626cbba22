"""report.html: one self-contained page for people (no script, no external URL), rendered by
``templates/report.html.j2`` with autoescaping.

The verdicts are a matrix, clauses down and Stop operations across; each failing cell links to its evidence
(``#failure-<ID>-<operation>``), each other cell says why in its title. A contents list links every clause
(``#clause-<ID>``) and every failing test (``#test-...``); the "Failures" section (``#failures``) lists only the
failing (clause, operation) pairs and tests, and opening it hides everything else (CSS ``:target``, no script). Each
exchange of the evidence shows the request as sent, the response, and a ``curl`` that replays it.
"""

from __future__ import annotations

from typing import Any

from comprehend_contract.reports import exchanges
from comprehend_contract.reports.compare import implementation
from comprehend_contract.reports.model import cells_by_clause
from comprehend_contract.reports.rendering import anchor, render
from comprehend_contract.spec.family import family
from comprehend_contract.verdicts import Verdict

FAILING = (Verdict.FAIL, Verdict.EXPECTED_FAIL)


def _anchors(nodeids: list[str]) -> dict[str, str]:
    """A distinct fragment-safe id per test node id."""
    taken: set[str] = set()
    found = {}
    for nodeid in nodeids:
        base = candidate = anchor("test", nodeid)
        number = 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        found[nodeid] = candidate
    return found


def _exchange(exchange: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    return {
        "operation": exchange.get("operation"),
        "transport": exchange.get("transport"),
        "status": exchange.get("status"),
        "request": exchanges.request_text(exchange),
        "response": exchanges.response_text(exchange),
        "notes": exchanges.notes(exchange),
        "reproduction": exchanges.reproduction(exchange, target),
    }


def cell_anchor(clause_id: str, operation: str) -> str:
    """The id of the evidence of one (clause, operation) pair."""
    return anchor("failure", f"{clause_id}-{operation}")


def _operations(report: dict[str, Any]) -> list[str]:
    return list(report["run"].get("operations") or [])


def _short(operation: str) -> str:
    found = family().of_operation(operation)
    return found.short if found is not None else operation


def _failing_tests(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Tests that failed, and tests whose in-passing checks failed a clause, each with the clauses it failed."""
    failed_clauses: dict[str, list[str]] = {}
    for clause in report["clauses"]:
        for evidence in clause["evidence"]:
            if evidence["verdict"] != Verdict.FAIL:
                continue
            clauses = failed_clauses.setdefault(evidence["test"], [])
            if clause["id"] not in clauses:
                clauses.append(clause["id"])
    by_id = {test["nodeid"]: test for test in report["tests"]}
    nodeids = sorted({t["nodeid"] for t in report["tests"] if t["outcome"] == "failed"} | set(failed_clauses))
    found = []
    for nodeid in nodeids:
        test = by_id.get(nodeid, {})
        found.append(
            {
                "nodeid": nodeid,
                "outcome": test.get("outcome", "unknown"),
                "operation": test.get("operation", ""),
                "message": test.get("message", ""),
                "expected_to_fail": test.get("expected_to_fail", False),
                "failed_clauses": failed_clauses.get(nodeid, []),
            }
        )
    return found


def write(report: dict[str, Any]) -> str:
    target = report["run"]["target"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for clause in report["clauses"]:
        groups.setdefault(clause["group"], []).append(clause)
    failing_tests = _failing_tests(report)
    test_anchor = _anchors([test["nodeid"] for test in failing_tests])
    failures = []
    for clause in report["clauses"]:
        for operation, cell in clause.get("operations", {}).items():
            if cell["verdict"] not in FAILING:
                continue
            failed = [e for e in cell["evidence"] if e["verdict"] == Verdict.FAIL]
            failures.append(_failure(clause, operation, cell, failed, target))
    operations = _operations(report)
    return render(
        "report.html.j2",
        run=report["run"],
        target=target,
        implementation=implementation(report),
        gate=report["gate"],
        scores=report["scores"],
        operation_scores=report.get("operation_scores", {}),
        operations=operations,
        short={operation: _short(operation) for operation in operations},
        cell_anchor=cell_anchor,
        unexpected_failing=cells_by_clause(report["gate"].get("unexpected_failing_cells", []), operations),
        unexpected_passing=cells_by_clause(report["gate"].get("unexpected_passing_cells", []), operations),
        failing_cell_count=len(report["gate"].get("unexpected_failing_cells", [])),
        groups=groups,
        group_anchor={group: anchor("group", group) for group in groups},
        failures=failures,
        failing_ids={failure["clause"]["id"] for failure in failures},
        failing_cells={(failure["clause"]["id"], failure["operation"]) for failure in failures},
        failing_tests=failing_tests,
        replay_notes=exchanges.replay_notes(target),
        test_anchor=test_anchor,
        PASS=Verdict.PASS,
        parity=_parity(report.get("parity")),
    )


def _failure(
    clause: dict[str, Any], operation: str, cell: dict[str, Any], failed: list[dict[str, Any]], target: dict[str, Any]
) -> dict[str, Any]:
    """One failing (clause, operation) pair with its evidence, as the template shows it."""
    return {
        "clause": clause,
        "operation": operation,
        "cell": cell,
        "evidence": [
            {
                "test": evidence["test"],
                "detail": evidence["detail"],
                "earlier": max(0, len(evidence["exchanges"]) - exchanges.EXCHANGES_SHOWN),
                "exchanges": [_exchange(x, target) for x in evidence["exchanges"][-exchanges.EXCHANGES_SHOWN :]],
            }
            for evidence in failed[: exchanges.EVIDENCE_SHOWN]
        ],
        "more": max(0, len(failed) - exchanges.EVIDENCE_SHOWN),
    }


def _parity(parity: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parity section's data: the score, and each differing test with its differences (at most 10 shown)."""
    if parity is None:
        return None
    from comprehend_contract.snapshots import Comparison, describe_source, score_line

    comparison = Comparison.from_dict(parity)
    return {
        "score": score_line(comparison),
        "recorded": describe_source(comparison.recorded_from),
        "tests": [
            {"nodeid": nodeid, "differences": [d.message for d in found[:10]], "more": max(0, len(found) - 10)}
            for nodeid, found in comparison.by_test().items()
        ],
    }
