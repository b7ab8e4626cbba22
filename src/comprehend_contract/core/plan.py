"""The plan of a run: the scenarios (jobs) its tests need for each job type, how many jobs and documents that is,
what AWS would bill for them, and the worst-case wait."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from comprehend_contract.targets import Budgets

REQUEST_GRACE_SECONDS = 30.0
"""Time for a scenario's requests themselves, on top of its waits for job states."""
UNIT_CHARACTERS = 100
MINIMUM_UNITS = 3


def billed_units(characters: int) -> int:
    """Comprehend bills a document in units of 100 characters, at least 3 units."""
    return max(MINIMUM_UNITS, math.ceil(characters / UNIT_CHARACTERS))


@dataclass(frozen=True, slots=True)
class TypePlan:
    """One job type's share of the plan: its scenarios, jobs, documents and what they would be billed."""

    job_type: str
    scenarios: tuple[str, ...]
    jobs: int
    """Jobs the scenarios start when no race is lost."""
    most_jobs: int
    """Jobs they may start with every retry (before ``--max-jobs``)."""
    documents: int
    characters: int
    units: int
    most_units: int
    """Billing units of the documents submitted when no race is lost, and with every retry."""
    price_per_unit: float
    price_documented: bool
    """Whether the price has a known source (else it is a placeholder the user should set)."""
    most_active: int
    """Jobs of the type that may be active at once (every scenario's job at the same time)."""
    active_quota: int
    """Jobs of the type an account may have active at once (the family's ``active_jobs_quota``)."""

    def cost(self, *, most: bool = False) -> float:
        return (self.most_units if most else self.units) * self.price_per_unit


@dataclass(frozen=True, slots=True)
class Plan:
    """Computed once per run, when the tests are known; printed at the start and used by every wait."""

    types: tuple[TypePlan, ...]
    worst_wait: float
    """Seconds a test may wait for a scenario's evidence: every attempt's wait to leave SUBMITTED, one job's
    time budget, and the requests' own time."""

    @classmethod
    def of(
        cls,
        scenarios: Mapping[str, Sequence[str]],
        jobs: Mapping[str, tuple[int, int]],
        documents: Mapping[str, tuple[Sequence[int], Sequence[int]]],
        prices: Mapping[str, tuple[float, bool]],
        budgets: Budgets,
        attempts: int,
        quotas: Mapping[str, int],
    ) -> Plan:
        """``scenarios``: each job type's scenario names, in the family's order; ``jobs``: each scenario's (jobs
        without retries, jobs with every retry); ``documents``: the characters of each document its jobs submit
        (without retries, with every retry); ``prices``: each type's price per unit and whether it is documented;
        ``quotas``: each type's active-jobs quota."""
        types = []
        for job_type, names in scenarios.items():
            chosen = tuple(sorted(set(names)))
            if not chosen:
                continue
            normal = [c for name in chosen for c in documents[name][0]]
            most = [c for name in chosen for c in documents[name][1]]
            price, documented = prices[job_type]
            types.append(
                TypePlan(
                    job_type,
                    chosen,
                    sum(jobs[name][0] for name in chosen),
                    sum(jobs[name][1] for name in chosen),
                    len(normal),
                    sum(normal),
                    sum(billed_units(c) for c in normal),
                    sum(billed_units(c) for c in most),
                    price,
                    documented,
                    len(chosen),
                    quotas[job_type],
                )
            )
        worst = attempts * budgets.leave_submitted_seconds + budgets.job_timeout_seconds + REQUEST_GRACE_SECONDS
        return cls(tuple(types), worst if types else 0.0)

    @property
    def scenarios(self) -> tuple[tuple[str, str], ...]:
        """Every (job type, scenario) the run drives."""
        return tuple((plan.job_type, name) for plan in self.types for name in plan.scenarios)

    @property
    def jobs(self) -> int:
        return sum(plan.jobs for plan in self.types)

    @property
    def most_jobs(self) -> int:
        return sum(plan.most_jobs for plan in self.types)

    def cost(self, *, most: bool = False) -> float:
        return sum(plan.cost(most=most) for plan in self.types)

    def over_quota(self) -> list[TypePlan]:
        """The job types whose scenarios could have more jobs active at once than the type's quota allows."""
        return [plan for plan in self.types if plan.most_active > plan.active_quota]

    def describe(self, max_jobs: int | None, *, priced: bool = False) -> list[str]:
        """The plan as the run prints it: one line for the run, and with ``priced`` one line per job type with its
        documents, characters, units and price (a price of unknown provenance is marked)."""
        capped = f", capped at {max_jobs} by --max-jobs" if max_jobs is not None else ""
        names = ", ".join(f"{plan.job_type} ({len(plan.scenarios)})" for plan in self.types)
        lines = [
            f"comprehend-contract plan: {self.jobs} job(s) to start up front for {len(self.types)} job type(s): "
            f"{names}; up to {self.most_jobs} with retries{capped}; all run concurrently; worst-case wait "
            f"{self.worst_wait:g} s"
        ]
        if not priced:
            return lines
        for plan in self.types:
            marked = "" if plan.price_documented else " (a placeholder price of unknown provenance: set yours)"
            lines.append(
                f"  {plan.job_type}: {plan.jobs} job(s), at most {plan.most_active} active at once (quota "
                f"{plan.active_quota}), "
                f"{plan.documents} document(s), {plan.characters} characters, {plan.units} billed units: about "
                f"${plan.cost():.4f} (at most ${plan.cost(most=True):.4f} with retries) at "
                f"${plan.price_per_unit:g} per 100-character unit{marked}"
            )
        lines.append(
            f"  in all: about ${self.cost():.4f}, at most ${self.cost(most=True):.4f} with every retry "
            "(units of 100 characters, 3 units minimum per document)"
        )
        return lines
