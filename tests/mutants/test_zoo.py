"""The mutant zoo: every mutant is caught, for its own clause, and the unmutated reference stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from comprehend_contract.mutants import MUTANTS
from comprehend_contract.mutants.zoo import CONTROL, run_mutant
from comprehend_contract.spec import catalogue


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


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_caught_for_its_clause(name: str, tmp_path: Path) -> None:
    kill = run_mutant(name, tmp_path)
    assert kill.verdict == "FAIL", f"{name} ({kill.clause}) survived: {kill.verdict} {kill.detail}"


def test_unmutated_reference_passes_through_the_same_path(tmp_path: Path) -> None:
    kill = run_mutant(CONTROL, tmp_path)
    assert kill.killed, kill.detail
