"""The mutant zoo: every mutant is caught, for its own clause, and the unmutated reference stays clean."""

from __future__ import annotations

import pytest

from comprehend_contract.mutants import MUTANTS
from comprehend_contract.mutants.zoo import CONTROL, run_zoo
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


@pytest.mark.slow
def test_every_mutant_is_caught_for_its_clause_and_the_control_is_clean() -> None:
    """The whole zoo, as ``comprehend-contract mutants`` runs it: a 100% kill rate and a clean control."""
    kills = {kill.mutant: kill for kill in run_zoo([CONTROL, *MUTANTS])}
    control = kills.pop(CONTROL)
    survivors = [f"{k.mutant} ({k.clause}): {k.verdict} {k.detail}" for k in kills.values() if k.verdict != "FAIL"]
    assert not survivors, f"{len(survivors)} of {len(kills)} mutant(s) survived:\n" + "\n".join(survivors)
    assert sorted(kills) == sorted(MUTANTS)
    assert control.as_expected, f"the unmutated reference did not pass through the same path: {control.detail}"
