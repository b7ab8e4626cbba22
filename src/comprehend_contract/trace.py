"""``comprehend-contract spec trace``: from a clause id, everything in the kit that checks it, drives it, implements
it and breaks it, read from the code itself.

- contract tests: collected by pytest (their ``clause`` markers, with the node ids a run reports);
- judges: those tests' functions, and the functions declared ``@judges`` (the in-passing checks every response
  gets, LIFE-TRANSITIONS across processes, shared assertion helpers of the suite);
- scenarios and steps: each test's ``scenario`` marker, its script, and the steps and outputs the test reads (the
  ``Step``/``Output`` names its function, the module helpers it calls and its parameters use);
- reference code: the reference's functions declared ``@implements`` (``spec.traceability``);
- mutants: the zoo's mutants of the clause.

``problems`` says where the trace is not exact: a clause without a test, a judge, reference code or a mutant, or an
entry that points at nothing. A self-test keeps it empty, and keeps ``docs/trace.md`` (``--all``) in step.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import io
import pkgutil
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.core.scenarios import SHAPES, Output, Scenario, Step
from comprehend_contract.drivers.scenarios import SCRIPTS
from comprehend_contract.mutants import MUTANTS
from comprehend_contract.resources import contract_tests_dir
from comprehend_contract.spec import Clause, catalogue
from comprehend_contract.spec.family import family
from comprehend_contract.spec.traceability import IMPLEMENTATIONS, JUDGES


@dataclass(frozen=True, slots=True)
class Place:
    """A function of the kit or the suite: its dotted name and the line of its ``def``."""

    name: str
    line: int
    note: str = ""

    def __str__(self) -> str:
        return f"{self.name} (line {self.line})" + (f": {self.note}" if self.note else "")


def place_of(function: Callable[..., Any], note: str = "") -> Place:
    """Where ``function`` is: a module's dotted name, or for a contract test ``contract_tests/<file>::<name>``."""
    function = inspect.unwrap(function)
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", None)  # a property test's own function
    function = inner or function
    line = function.__code__.co_firstlineno
    source = Path(inspect.getsourcefile(function) or "")
    suite = contract_tests_dir()
    if source.is_relative_to(suite):
        return Place(f"{suite.name}/{source.relative_to(suite).as_posix()}::{function.__qualname__}", line, note)
    return Place(f"{function.__module__}.{function.__qualname__}", line, note)


@dataclass(frozen=True, slots=True)
class Case:
    """One collected contract test: its node id, clauses, function, scenario and the steps it reads."""

    nodeid: str
    clauses: tuple[str, ...]
    function: Place
    scenario: Scenario | None
    reads: tuple[str, ...]
    """The ``Step``/``Output`` members (``Step.STOP``, ``Output.FINAL``) the test reads."""


@dataclass(frozen=True, slots=True)
class Trace:
    """Everything the kit has for one clause."""

    clause: Clause
    tests: tuple[Case, ...]
    judges: tuple[Place, ...]
    scenarios: tuple[tuple[Scenario, Place, tuple[str, ...]], ...]
    """(scenario, its script, the steps and outputs the clause's tests read of it)."""
    reference: tuple[Place, ...]
    mutants: tuple[tuple[str, Place], ...]

    def problems(self) -> list[str]:
        """Where the trace is not exact (empty: every part exists and every entry points at something)."""
        found = [
            f"{self.clause.id}: no {what}"
            for what, entries in (
                ("contract test", self.tests),
                ("judge", self.judges),
                ("reference code", self.reference),
                ("mutant", self.mutants),
            )
            if not entries
        ]
        by_function: dict[str, tuple[set[str], set[str]]] = {}
        for case in self.tests:
            reads, declared = by_function.setdefault(case.function.name, (set(), set()))
            reads.update(case.reads)
            if case.scenario is not None:
                declared.update(recorded(case.scenario))
        for function, (reads, declared) in by_function.items():
            found += [
                f"{self.clause.id}: {function} reads {name}, which its scenarios never record"
                for name in sorted(reads - declared)
            ]
        return found


def recorded(scenario: Scenario) -> set[str]:
    """The steps and outputs ``scenario`` records, as ``Step.X``/``Output.X``."""
    shape = SHAPES[scenario]
    return {f"Step.{step.name}" for step in shape.steps} | {f"Output.{output.name}" for output in shape.outputs}


def _reads_of(function: Callable[..., Any]) -> set[str]:
    """The ``Step.X``/``Output.X`` names a test function reads, in its body and in the module helpers it calls."""
    module = inspect.getmodule(function)
    tree = _module_tree(module.__name__) if module is not None else None
    if tree is None:
        return set()
    helpers = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    seen: set[str] = set()
    reads: set[str] = set()
    pending = [function.__name__]
    while pending:
        name = pending.pop()
        if name in seen or name not in helpers:
            continue
        seen.add(name)
        for node in ast.walk(helpers[name]):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id in ("Step", "Output"):
                    reads.add(f"{node.value.id}.{node.attr}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                pending.append(node.func.id)
    return reads


@functools.cache
def _module_tree(name: str) -> ast.Module | None:
    module = importlib.import_module(name)
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(module)))
    except (OSError, TypeError):
        return None


class _Collector:
    """A pytest plugin that keeps each collected contract test's markers, function and parameters."""

    def __init__(self) -> None:
        self.cases: list[Case] = []

    def pytest_configure(self, config: Any) -> None:
        config.addinivalue_line("markers", "clause(*ids): the contract clauses this test checks")
        config.addinivalue_line("markers", "scenario(name): the scenario whose evidence this test judges")

    @pytest.fixture(autouse=True)
    def job_type(self) -> None:
        """As the plugin's own: every contract test takes a job type (its value is never needed here)."""

    def pytest_generate_tests(self, metafunc: Any) -> None:
        """Each contract test once per job type, with the ids a run gives them."""
        if "job_type" in metafunc.fixturenames:
            types = list(family())
            metafunc.parametrize("job_type", types, ids=[job_type.stop for job_type in types])

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        for item in items:
            clauses = tuple(dict.fromkeys(str(a) for m in item.iter_markers("clause") for a in m.args))
            marker = item.get_closest_marker("scenario")
            scenario = Scenario.named(marker.args[0]) if marker is not None else None
            function = item.function
            reads = _reads_of(function)
            params = getattr(getattr(item, "callspec", None), "params", {})
            reads |= {f"{type(v).__name__}.{v.name}" for v in params.values() if isinstance(v, Step | Output)}
            self.cases.append(Case(item.nodeid, clauses, place_of(function), scenario, tuple(sorted(reads))))


@functools.cache
def contract_tests() -> tuple[Case, ...]:
    """Every contract test, collected by pytest as a run collects them (node ids relative to the suite)."""
    suite = contract_tests_dir()
    collector = _Collector()
    arguments = [str(suite), "--rootdir", str(suite), "--collect-only", "-q", "-p", "no:cacheprovider"]
    arguments += ["-p", "no:comprehend_contract", "-p", "no:randomly", "-p", "no:random_order"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(arguments, plugins=[collector])
    return tuple(collector.cases)


@functools.cache
def _reference_loaded() -> None:
    """Import every module of the reference and of the kit's judges, so that their declarations are registered."""
    importlib.import_module("comprehend_contract.core.checks")
    reference = importlib.import_module("comprehend_contract.reference")
    for module in pkgutil.walk_packages(reference.__path__, "comprehend_contract.reference."):
        importlib.import_module(module.name)


def trace(clause_id: str) -> Trace:
    """The trace of ``clause_id`` (``UnknownClause`` if there is no such clause)."""
    clause = catalogue().get(clause_id)
    _reference_loaded()
    tests = tuple(case for case in contract_tests() if clause.id in case.clauses)
    judges = _unique([case.function for case in tests])
    judges += _unique([place_of(d.function, d.note) for d in JUDGES if clause.id in d.clauses])
    scenarios: dict[Scenario, set[str]] = {}
    for case in tests:
        if case.scenario is not None:
            scenarios.setdefault(case.scenario, set()).update(set(case.reads) & recorded(case.scenario))
    return Trace(
        clause,
        tests,
        tuple(judges),
        tuple((s, place_of(SCRIPTS[s]), tuple(sorted(reads))) for s, reads in sorted(scenarios.items())),
        tuple(_unique([place_of(d.function) for d in IMPLEMENTATIONS if clause.id in d.clauses])),
        tuple((m.name, place_of(m.variation, m.doc)) for m in MUTANTS.values() if m.clause == clause.id),
    )


def trace_all() -> list[Trace]:
    return [trace(clause.id) for clause in catalogue()]


def _unique(places: Iterable[Place]) -> list[Place]:
    return list(dict.fromkeys(places))


def trace_text(clause_id: str) -> str:
    """The trace of one clause as the terminal shows it: every node id and every place with its line."""
    found = trace(clause_id)
    clause = found.clause
    lines = [f"{clause.id} ({clause.level.value}, {clause.group})", f"  {clause.text}", ""]
    lines.append(f"contract tests ({len(found.tests)}):")
    lines += [f"  {case.nodeid}" for case in found.tests]
    lines.append(f"judges ({len(found.judges)}):")
    lines += [f"  {place}" for place in found.judges]
    lines.append(f"scenarios and steps ({len(found.scenarios)}):")
    for scenario, script, reads in found.scenarios:
        lines.append(f"  {scenario}: {script}; reads {', '.join(reads) or 'every exchange it recorded'}")
    lines.append(f"reference code ({len(found.reference)}):")
    lines += [f"  {place}" for place in found.reference]
    lines.append(f"mutants ({len(found.mutants)}):")
    lines += [f"  {name}: {place.note} ({place.name}, line {place.line})" for name, place in found.mutants]
    problems = found.problems()
    if problems:
        lines += ["not exact:", *(f"  {problem}" for problem in problems)]
    return "\n".join(lines) + "\n"


def trace_page(traces: Iterable[Trace]) -> str:
    """Every clause's trace as one Markdown page (``docs/trace.md``): names, no line numbers, so that it changes
    only when what checks or breaks a clause changes."""
    lines = [
        "# Clause trace",
        "",
        "Generated by `comprehend-contract spec trace --all --output docs/trace.md` from the code itself; a self-test",
        "keeps it in step. For one clause with node ids and line numbers: `comprehend-contract spec trace ID`.",
    ]
    for found in traces:
        clause = found.clause
        functions: dict[str, int] = {}
        for case in found.tests:
            name = case.nodeid.split("[")[0]
            functions[name] = functions.get(name, 0) + 1
        lines += ["", f"## {clause.id} ({clause.level.value})", "", f"> {clause.text}", ""]
        lines.append("- tests: " + ", ".join(f"`{name}` ({count})" for name, count in functions.items()))
        lines.append("- judges: " + ", ".join(f"`{p.name}`" + (f" ({p.note})" if p.note else "") for p in found.judges))
        if found.scenarios:
            lines.append(
                "- scenarios: "
                + "; ".join(f"`{s}` ({', '.join(reads) or 'every exchange'})" for s, _, reads in found.scenarios)
            )
        lines.append("- reference: " + ", ".join(f"`{p.name}`" for p in found.reference))
        lines.append("- mutants: " + ", ".join(f"`{name}`" for name, _ in found.mutants))
    return "\n".join(lines) + "\n"
