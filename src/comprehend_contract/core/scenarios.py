"""The scenarios' names, their steps and their shapes: the vocabulary scenarios and contract tests share.

A *scenario* drives one job into a state (``drivers.scenarios`` holds the scripts); a *step* names one request of
it that a test judges (``evidence.step(Step.STOP)``), and an *output* names one reading of the job's output. All
three are typed constants: a misspelt name fails when the module that spells it is imported, with a message that
names the choices, instead of reading as a step the scenario "never made". A scenario's ``Shape`` says what it
costs (jobs and documents, for the plan) and which steps and outputs it records.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from comprehend_contract.targets import SMALL_INPUT

MAX_ATTEMPTS = 3
"""Fresh jobs a scenario may start when a race took the state it needed (e.g. the job completed first)."""


class _NamesItsChoices(enum.EnumType):
    """An enum whose missing attribute is an error that lists the members: ``Step.STPO`` says what exists."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        choices = ", ".join(member.name for member in cls)  # type: ignore[var-annotated]
        raise AttributeError(f"{cls.__name__} has no {name!r}; the choices are: {choices}")


class UnknownName(ValueError):
    """A scenario, step or output named by a string that is none of them (a typo in a marker or a script)."""


class _Named(enum.StrEnum, metaclass=_NamesItsChoices):
    @classmethod
    def named(cls, name: object) -> Any:
        """The member ``name`` (a member or its value); ``UnknownName`` naming the choices otherwise."""
        if isinstance(name, cls):
            return name
        for member in cls:
            if member.value == name:
                return member
        raise UnknownName(f"{name!r} is not a {cls.__name__.lower()}; the choices are: {', '.join(m for m in cls)}")


class Scenario(_Named):
    """A script over one job that brings it into a state, once per run."""

    COMPLETED = "completed"
    """A small job run to COMPLETED, then a stop that must be refused and change nothing."""
    FAILED = "failed"
    """A job over an input folder with no objects, FAILED, then a refused stop."""
    STOP_IN_PROGRESS = "stop-in-progress"
    """A large job stopped while IN_PROGRESS, stopped again, followed to its end, stopped once more."""
    STOP_SUBMITTED = "stop-submitted"
    """A job stopped while still SUBMITTED, then followed to its end."""
    ISOLATION = "isolation"
    """A job of the first account, which the second account, and another job type's operations, try to describe,
    list and stop."""
    REFUSED_AUTH = "refused-auth"
    """A running job, and Stop and Describe of it sent in every way that must be refused for authentication."""


ENDING_ORDER: tuple[Scenario, ...] = (
    Scenario.REFUSED_AUTH,
    Scenario.ISOLATION,
    Scenario.STOP_SUBMITTED,
    Scenario.FAILED,
    Scenario.COMPLETED,
    Scenario.STOP_IN_PROGRESS,
)
"""The order in which the scenarios' evidence is expected, first to last, at any pace: a few requests over a
running job; a job stopped before it runs; a job that fails as it starts; one job's lifetime; a job stopped while
it runs, then followed to its end. The run judges their tests in this order, so that tests of evidence already there
are not queued behind a test still waiting."""


class Step(_Named):
    """One recorded request of a scenario that tests judge. Steps ending in ``-{refusal}`` are recorded once per
    ``Refusal`` (``evidence.step(Step.REFUSED_STOP, refusal)``)."""

    FINAL = "final"
    """The Describe that saw the job in its end state."""
    STOP = "stop"
    """The scenario's stop of the job (of a COMPLETED, FAILED, IN_PROGRESS or SUBMITTED job)."""
    AFTER_STOP = "after-stop"
    """A Describe right after a refused stop."""
    LIST = "list"
    """A List of the account's jobs after the job ended."""
    DESCRIBE_BEFORE_REPEAT = "describe-before-repeat"
    """A Describe right before the repeated stop of a STOP_REQUESTED job."""
    REPEAT_STOP = "repeat-stop"
    """The repeated stop of a job that should still be STOP_REQUESTED."""
    STOP_AFTER_END = "stop-after-end"
    """A stop of the job after it ended (STOPPED, or COMPLETED if it completed first)."""
    BEFORE = "before"
    """A Describe of the job before another account touches it."""
    STOP_FROM_OTHER_ACCOUNT = "stop-other"
    DESCRIBE_FROM_OTHER_ACCOUNT = "describe-other"
    STOP_AS_OTHER_TYPE = "stop-as-other-type"
    """Another job type's Stop of the job's id."""
    DESCRIBE_AS_OTHER_TYPE = "describe-as-other-type"
    """Another job type's Describe of the job's id."""
    LIST_AS_OTHER_TYPE = "list-as-other-type"
    """Another job type's List, filtered by the job's name."""
    LIST_OWN_TYPE = "list-own-type"
    """The job's own type's List, filtered by the job's name (the filter works: the job is there)."""
    AFTER = "after"
    """A Describe of the job after another account and another type tried to stop it."""
    REFUSED_BEFORE = "before-{refusal}"
    """A valid Describe of the running job before a refused request."""
    REFUSED_STOP = "stop-{refusal}"
    """A Stop of the running job made to be refused for authentication."""
    REFUSED_DESCRIBE = "describe-{refusal}"
    """A Describe of the running job made to be refused for authentication."""
    REFUSED_AFTER = "after-{refusal}"
    """A valid Describe of the job after the refused requests."""

    @property
    def per_refusal(self) -> bool:
        return "{refusal}" in self.value

    def key(self, refusal: str | None = None) -> str:
        """The name the step is recorded under (``stop-unsigned`` for ``REFUSED_STOP`` and the ``unsigned`` way)."""
        if self.per_refusal != (refusal is not None):
            raise UnknownName(f"step {self.name} {'needs' if self.per_refusal else 'takes no'} refusal")
        return self.value.format(refusal=refusal) if refusal is not None else self.value


class Output(_Named):
    """One reading of a job's output that a scenario records."""

    BEFORE_STOP = "before-stop"
    """The output of a COMPLETED job, read before the refused stop."""
    AFTER_STOP = "after-stop"
    """The same output, read again after the refused stop."""
    FINAL = "final"
    """The output of a stopped job (or of one that completed before the stop took effect), read once it ended."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What a scenario costs and what it records.

    ``size`` is its job's input: ``small`` (SMALL_INPUT documents), ``large`` (the budgets' ``large_input``) or
    ``empty`` (an input folder with no objects); ``retries``: a race lost makes it start a fresh job (up to
    MAX_ATTEMPTS in all); ``doubles``: each fresh job is twice as large as the one before.
    """

    size: str
    steps: frozenset[Step]
    outputs: frozenset[Output] = frozenset()
    retries: bool = False
    doubles: bool = False
    jobs: int = 1
    """Jobs it starts when nothing goes wrong."""

    @property
    def most_jobs(self) -> int:
        """Jobs it may start with every retry."""
        return self.jobs + (MAX_ATTEMPTS - 1 if self.retries else 0)

    def documents(self, large: int, *, most: bool = False) -> list[int]:
        """The documents of each job it starts: when nothing goes wrong, or (``most``) with every retry."""
        first = {"small": SMALL_INPUT, "large": large, "empty": 0}[self.size]
        attempts = self.most_jobs if most else self.jobs
        return [first * (2**attempt if self.doubles else 1) for attempt in range(attempts)]


SHAPES: Mapping[Scenario, Shape] = {
    Scenario.COMPLETED: Shape(
        "small",
        frozenset({Step.FINAL, Step.STOP, Step.AFTER_STOP, Step.LIST}),
        frozenset({Output.BEFORE_STOP, Output.AFTER_STOP}),
    ),
    Scenario.FAILED: Shape("empty", frozenset({Step.FINAL, Step.STOP, Step.AFTER_STOP})),
    Scenario.STOP_IN_PROGRESS: Shape(
        "large",
        frozenset({Step.STOP, Step.DESCRIBE_BEFORE_REPEAT, Step.REPEAT_STOP, Step.FINAL, Step.STOP_AFTER_END}),
        frozenset({Output.FINAL}),
        retries=True,
        doubles=True,
    ),
    Scenario.STOP_SUBMITTED: Shape("large", frozenset({Step.STOP, Step.FINAL}), retries=True),
    Scenario.ISOLATION: Shape(
        "large",
        frozenset(
            {
                Step.BEFORE,
                Step.STOP_FROM_OTHER_ACCOUNT,
                Step.DESCRIBE_FROM_OTHER_ACCOUNT,
                Step.STOP_AS_OTHER_TYPE,
                Step.DESCRIBE_AS_OTHER_TYPE,
                Step.LIST_AS_OTHER_TYPE,
                Step.LIST_OWN_TYPE,
                Step.AFTER,
            }
        ),
    ),
    Scenario.REFUSED_AUTH: Shape(
        "large",
        frozenset({Step.REFUSED_BEFORE, Step.REFUSED_STOP, Step.REFUSED_DESCRIBE, Step.REFUSED_AFTER}),
        retries=True,
    ),
}
"""Every scenario's shape (a self-test checks that every scenario has one, and a script)."""


@dataclass(frozen=True, slots=True)
class Drive:
    """One scenario for one job type: a job of that type driven through that type's own operations, once per run.

    Its text form, ``<type>/<scenario>`` (``Sentiment/completed``), names it in the coordination directory."""

    job_type: str
    scenario: Scenario

    def __str__(self) -> str:
        return f"{self.job_type}/{self.scenario}"

    @classmethod
    def parse(cls, text: str) -> Drive:
        job_type, _, scenario = text.partition("/")
        return cls(job_type, Scenario.named(scenario))
