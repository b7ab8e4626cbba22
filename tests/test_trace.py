"""``spec trace``: every clause is traceable in one step, exactly, and docs/trace.md says what the code says."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from comprehend_contract.cli import EXIT_OK, EXIT_USAGE, main
from comprehend_contract.resources import contract_tests_dir
from comprehend_contract.spec import catalogue
from comprehend_contract.trace import Place, trace, trace_all, trace_page, trace_text

TRACE_PAGE = Path(__file__).resolve().parents[1] / "docs" / "trace.md"


def _resolves(place: Place) -> bool:
    """Whether ``place`` names a function whose ``def`` (or a decorator of it) is at its line."""
    if "::" in place.name:
        file, _, qualname = place.name.partition("::")
        tree = ast.parse((contract_tests_dir().parent / file).read_text(encoding="utf-8"))
        name = qualname.rpartition(".")[2]
        return any(
            isinstance(node, ast.FunctionDef)
            and node.name == name
            and min([node.lineno, *(d.lineno for d in node.decorator_list)]) == place.line
            for node in ast.walk(tree)
        )
    module_name, attribute = place.name, []
    while True:
        try:
            found: object = importlib.import_module(module_name)
            break
        except ModuleNotFoundError:
            module_name, _, last = module_name.rpartition(".")
            attribute.insert(0, last)
    for part in attribute:
        found = getattr(found, part)
    found = inspect.unwrap(found)  # type: ignore[arg-type]
    return bool(getattr(getattr(found, "__code__", None), "co_firstlineno", None) == place.line)


@pytest.mark.parametrize("clause_id", catalogue().ids)
def test_every_clause_has_tests_judges_reference_code_and_mutants_that_all_exist(clause_id: str) -> None:
    found = trace(clause_id)
    assert found.problems() == []
    for place in (*found.judges, *found.reference, *(p for _, p in found.mutants), *(p for _, p, _ in found.scenarios)):
        assert _resolves(place), f"{clause_id}: the trace entry {place} points at nothing"
    for case in found.tests:
        assert _resolves(case.function), f"{clause_id}: test {case.nodeid} points at nothing"


def test_the_committed_trace_page_is_in_step_with_the_code() -> None:
    assert TRACE_PAGE.read_text(encoding="utf-8") == trace_page(trace_all()), (
        "docs/trace.md is out of step: run comprehend-contract spec trace --all --output docs/trace.md"
    )


def test_auth_signature_is_traced_to_stop_itself_and_to_its_mutants() -> None:
    """The issue's example: what took eight steps, from the id alone."""
    text = trace_text("AUTH-SIGNATURE")
    test = "test_refused_request_on_a_running_job_is_refused_and_leaves_it_running"
    assert f"{test}[StopSentimentDetectionJob-stop-" in text
    assert "comprehend_contract.core.checks.is_not_accepted" in text
    assert "refused-auth: comprehend_contract.drivers.scenarios._refused_auth" in text
    assert "Step.REFUSED_STOP" in text
    assert "comprehend_contract.reference.auth.verify" in text
    assert "stop-signature-not-checked" in text


def test_trace_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "trace", "STOP-OUTPUT"]) == EXIT_OK
    assert "no-partial-output" in capsys.readouterr().out
    assert main(["spec", "trace", "STOP-OUTPT"]) == EXIT_USAGE
    assert "did you mean STOP-OUTPUT" in capsys.readouterr().err
    assert main(["spec", "trace"]) == EXIT_USAGE
