"""The mutant zoo: every mutant is caught, for its own clause, and the unmutated reference stays clean."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from comprehend_contract.mutants import MUTANTS
from comprehend_contract.mutants.zoo import (
    CONTROL,
    controls,
    job_types_of,
    judge,
    pytest_arguments,
    run_zoo,
    witness_of,
)
from comprehend_contract.spec import catalogue
from comprehend_contract.spec.family import family


def test_every_clause_has_a_mutant() -> None:
    """MUST and SHOULD clauses alike: a clause no mutant breaks is a clause no one has shown the suite can fail."""
    broken = {mutant.clause for mutant in MUTANTS.values()}
    assert set(catalogue().ids) - broken == set()


def test_there_are_at_least_thirty_mutants_each_saying_what_it_breaks() -> None:
    assert len(MUTANTS) >= 30
    for mutant in MUTANTS.values():
        assert mutant.doc, f"{mutant.name}: a one-line docstring says what it breaks"
        assert "\n" not in mutant.doc, f"{mutant.name}: the docstring is one line"
        catalogue().get(mutant.clause)


def test_every_job_type_has_mutants_of_its_own_stop() -> None:
    """Each Stop operation is shown failable on its own: at least eight mutants break each type's Stop."""
    per_type = Counter(mutant.job_type.name for mutant in MUTANTS.values())
    assert {job_type.name: per_type[job_type.name] >= 8 for job_type in family().types} == {
        job_type.name: True for job_type in family().types
    }, per_type


def test_a_mutant_session_runs_its_clause_for_its_type_and_a_witness_type() -> None:
    name = "offsets-off-by-one-entities"
    arguments = pytest_arguments(name, Path("p.toml"), Path("r"))
    assert arguments[-2:] == ["--clause", "LIFE-OUTPUT-RECORD"]
    assert job_types_of(name) == ("Entities", witness_of(family().get("Entities")).name)
    assert arguments.count("--job-type") == 2
    assert arguments[arguments.index("--progress") + 1] == "none", "nobody watches a mutant's session"
    assert witness_of(family().get("Entities")).name != "Entities"
    assert job_types_of(CONTROL) == tuple(job_type.name for job_type in family().types)
    assert [job_types_of(name) for name in controls()] == [(job_type.name,) for job_type in family()]
    assert "--clause" not in pytest_arguments(controls()[0], Path("p.toml"), Path("r"))


def _report(path: Path, clause: str, cells: dict[str, str]) -> Path:
    operations = {op: {"verdict": verdict, "reason": f"{op} said {verdict}"} for op, verdict in cells.items()}
    report = {"clauses": [{"id": clause, "verdict": "FAIL", "reason": "", "operations": operations}]}
    path.write_text(json.dumps(report), encoding="utf-8")
    return path


def test_a_mutant_is_caught_when_its_clause_fails_on_its_own_stop_and_no_other(tmp_path: Path) -> None:
    mutant = MUTANTS["offsets-off-by-one-entities"]
    witness = witness_of(mutant.job_type).stop
    caught = judge(
        mutant.name, _report(tmp_path / "a.json", mutant.clause, {mutant.operation: "FAIL", witness: "PASS"}), 1, ""
    )
    assert (caught.verdict, caught.as_expected) == ("FAIL", True)
    missed = judge(
        mutant.name, _report(tmp_path / "b.json", mutant.clause, {mutant.operation: "PASS", witness: "PASS"}), 1, ""
    )
    assert (missed.verdict, missed.as_expected) == ("PASS", False)


def test_a_mutant_whose_clause_also_fails_on_the_witness_stop_is_not_caught(tmp_path: Path) -> None:
    """A check that fails an operation the mutant leaves alone is judging the wrong operation."""
    mutant = MUTANTS["offsets-off-by-one-entities"]
    witness = witness_of(mutant.job_type).stop
    kill = judge(
        mutant.name, _report(tmp_path / "r.json", mutant.clause, {mutant.operation: "FAIL", witness: "FAIL"}), 1, ""
    )
    assert not kill.as_expected
    assert f"also failed {witness}" in kill.detail


def test_a_mutant_without_a_verdict_for_its_stop_is_not_caught(tmp_path: Path) -> None:
    mutant = MUTANTS["offsets-off-by-one-entities"]
    kill = judge(mutant.name, _report(tmp_path / "r.json", mutant.clause, {}), 1, "")
    assert (kill.verdict, kill.as_expected) == ("NOT JUDGED", False)


@pytest.mark.slow
def test_every_mutant_is_caught_for_its_clause_and_the_control_is_clean() -> None:
    """The whole zoo, as ``comprehend-contract mutants`` runs it: a 100% kill rate (each clause FAILs on the broken
    Stop and on no other) and a clean control."""
    kills = {kill.mutant: kill for kill in run_zoo([CONTROL, *MUTANTS])}
    control = [kills.pop(name) for name in controls()]
    survivors = [f"{k.mutant} ({k.clause}): {k.verdict} {k.detail}" for k in kills.values() if not k.as_expected]
    assert not survivors, f"{len(survivors)} of {len(kills)} mutant(s) survived:\n" + "\n".join(survivors)
    assert sorted(kills) == sorted(MUTANTS)
    dirty = [f"{k.mutant}: {k.detail}" for k in control if not k.as_expected]
    assert not dirty, f"the unmutated reference did not pass through the same path: {dirty}"
