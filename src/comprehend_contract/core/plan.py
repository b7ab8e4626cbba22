"""The plan of a run: the scenarios (jobs) its tests need, how many jobs and documents that is, what AWS would bill
for them, and the worst-case wait."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from comprehend_contract.targets import Budgets

REQUEST_GRACE_SECONDS = 30.0
"""Time for a scenario's requests themselves, on top of its waits for job states."""
UNIT_CHARACTERS = 100
MINIMUM_UNITS = 3
DEFAULT_PRICE_PER_UNIT = 0.0001
"""US dollars per unit of 100 characters (Comprehend's list price for sentiment; set --price-per-unit for yours)."""


def billed_units(characters: int) -> int:
    """Comprehend bills a document in units of 100 characters, at least 3 units."""
    return max(MINIMUM_UNITS, math.ceil(characters / UNIT_CHARACTERS))


@dataclass(frozen=True, slots=True)
class Plan:
    """Computed once per run, when the tests are known; printed at the start and used by every wait."""

    scenarios: tuple[str, ...]
    jobs: int
    """Jobs the scenarios start when no race is lost."""
    most_jobs: int
    """Jobs they may start with every retry (before ``--max-jobs``)."""
    worst_wait: float
    """Seconds a test may wait for a scenario's evidence: every attempt's wait to leave SUBMITTED, one job's
    time budget, and the requests' own time."""
    documents: int = 0
    characters: int = 0
    units: int = 0
    most_units: int = 0
    """Billing units of the documents submitted when no race is lost, and with every retry."""

    @classmethod
    def of(
        cls,
        names: Sequence[str],
        jobs: Mapping[str, tuple[int, int]],
        budgets: Budgets,
        attempts: int,
        documents: Mapping[str, tuple[Sequence[int], Sequence[int]]] | None = None,
    ) -> Plan:
        """``jobs``: each scenario's (jobs without retries, jobs with every retry); ``documents``: the characters of
        each document its jobs submit (without retries, with every retry)."""
        chosen = tuple(sorted(set(names)))
        worst = attempts * budgets.leave_submitted_seconds + budgets.job_timeout_seconds + REQUEST_GRACE_SECONDS
        normal = [c for name in chosen for c in (documents or {}).get(name, ((), ()))[0]]
        most = [c for name in chosen for c in (documents or {}).get(name, ((), ()))[1]]
        return cls(
            chosen,
            sum(jobs[name][0] for name in chosen),
            sum(jobs[name][1] for name in chosen),
            worst if chosen else 0.0,
            len(normal),
            sum(normal),
            sum(billed_units(c) for c in normal),
            sum(billed_units(c) for c in most),
        )

    def cost(self, price_per_unit: float, *, most: bool = False) -> float:
        return (self.most_units if most else self.units) * price_per_unit

    def describe(self, max_jobs: int | None, price_per_unit: float | None = None) -> str:
        capped = f", capped at {max_jobs} by --max-jobs" if max_jobs is not None else ""
        line = (
            f"comprehend-contract plan: {self.jobs} job(s) to start up front ({', '.join(self.scenarios)}), up to "
            f"{self.most_jobs} with retries{capped}; all run concurrently; worst-case wait {self.worst_wait:g} s"
        )
        if price_per_unit is not None:
            line += (
                f"; {self.documents} document(s), {self.characters} characters, {self.units} billed units: "
                f"about ${self.cost(price_per_unit):.4f} (at most ${self.cost(price_per_unit, most=True):.4f} "
                f"with retries) at ${price_per_unit:g} per 100-character unit, 3 units minimum per document"
            )
        return line
