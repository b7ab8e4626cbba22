"""The mutant zoo: deliberately wrong variations of the reference, one clause broken in each.

A conformance suite is only as good as the faults it catches. Each mutant starts from a working reference and
changes one behaviour; ``zoo`` runs the contract suite (only the tests of the mutant's clause) against it and
expects that clause to FAIL.
"""

from comprehend_contract.mutants.catalogue import MUTANTS, Mutant

__all__ = ["MUTANTS", "Mutant"]
