"""What a scenario did and saw: any process of the run can judge a job another process drove.

``Evidence`` holds ``Exchange`` objects and typed step names; it becomes JSON only to cross to another process
(``to_json``/``from_json``, through the coordination directory).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.scenarios import SHAPES, Output, Scenario, Step, UnknownName


class UndeclaredStep(UnknownName):
    """A step or output the scenario does not record (a bug in a script or a test): never a NOT_EXERCISED."""


@dataclass
class Evidence:
    """Everything one scenario did and saw."""

    scenario: Scenario
    job_type: str = ""
    """The job type whose operations drove the job (``Sentiment``, ...)."""
    reached: bool = True
    reason: str = ""
    incomplete: bool = False
    """Not reached because requests met only transient faults: the tests judging it make the run incomplete."""
    attempts: list[str] = field(default_factory=list)
    """One line per abandoned attempt (a race lost), so verdicts can say the scenario retried."""
    jobs: list[str] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    """Every request the scenario made and what came back, oldest first (transient answers included)."""
    steps: dict[str, int] = field(default_factory=dict)
    """Recorded step name (``Step.key``) -> index of its exchange in ``exchanges``."""
    timeline: list[tuple[float, str, str]] = field(default_factory=list)
    """(seconds since the scenario began, job id, status) for every status any response showed."""
    outputs: dict[Output, dict[str, Any]] = field(default_factory=dict)
    """Each reading of the job's output: its URI, what was found there, or the error reading it."""
    input_documents: dict[str, int] = field(default_factory=dict)
    """Input file name -> number of lines (documents) the job was given."""
    input_texts: dict[str, list[str]] = field(default_factory=dict)
    """Input file name -> the text of each of its documents (record offsets point into them)."""
    not_made: dict[str, str] = field(default_factory=dict)
    """Recorded step name -> why the scenario could not make that step (e.g. the target has one account only)."""
    never_ended: str | None = None
    """Why the job was never seen in an end state, when the scenario waited for one in vain."""
    judged: list[Exchange] = field(default_factory=list, compare=False, repr=False)
    """The steps a test looked at, latest last (not serialised): a failed test's evidence shows these."""

    def record(self, exchange: Exchange, step: Step | None = None, refusal: str | None = None) -> Exchange:
        """Keep ``exchange``, as ``step`` if it is one of the scenario's steps."""
        self.exchanges.append(exchange)
        if step is not None:
            self._declared(step)
            self.steps[step.key(refusal)] = len(self.exchanges) - 1
        return exchange

    def mark(self, step: Step) -> None:
        """The latest exchange is also ``step`` (e.g. the Describe of a wait that saw the end state is FINAL)."""
        self._declared(step)
        self.steps[step.key()] = len(self.exchanges) - 1

    def step(self, step: Step, refusal: str | None = None) -> Exchange | None:
        """The exchange recorded as ``step`` (for ``refusal``, if the step is one per refusal); None if the scenario
        did not get that far."""
        self._declared(step)
        index = self.steps.get(step.key(refusal))
        if index is None:
            return None
        exchange = self.exchanges[index]
        self.judged.append(exchange)
        return exchange

    def why_not(self, step: Step) -> str | None:
        """Why the scenario did not make ``step``, when it says so."""
        return self.not_made.get(step.key()) if not step.per_refusal else None

    def after(self, exchange: Exchange) -> list[Exchange]:
        """The exchanges recorded after ``exchange``, oldest first."""
        position = next(i for i, seen in enumerate(self.exchanges) if seen is exchange or seen == exchange)
        return self.exchanges[position + 1 :]

    def output(self, output: Output) -> dict[str, Any] | None:
        """The reading ``output`` of the job's output, if the scenario made it."""
        if output not in SHAPES[self.scenario].outputs:
            raise UndeclaredStep(f"scenario {self.scenario} reads no output {output.name}")
        return self.outputs.get(output)

    def _declared(self, step: Step) -> None:
        if step not in SHAPES[self.scenario].steps:
            steps = ", ".join(s.name for s in SHAPES[self.scenario].steps)
            raise UndeclaredStep(f"scenario {self.scenario} records no step {step.name}; its steps: {steps}")

    def to_json(self) -> str:
        return json.dumps(
            {
                "scenario": str(self.scenario),
                "job_type": self.job_type,
                "reached": self.reached,
                "reason": self.reason,
                "incomplete": self.incomplete,
                "attempts": self.attempts,
                "jobs": self.jobs,
                "exchanges": [exchange.to_dict() for exchange in self.exchanges],
                "steps": self.steps,
                "timeline": self.timeline,
                "outputs": {str(label): found for label, found in self.outputs.items()},
                "input_documents": self.input_documents,
                "input_texts": self.input_texts,
                "not_made": self.not_made,
                "never_ended": self.never_ended,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Evidence:
        data = json.loads(text)
        return cls(
            scenario=Scenario.named(data["scenario"]),
            job_type=data["job_type"],
            reached=data["reached"],
            reason=data["reason"],
            incomplete=data["incomplete"],
            attempts=list(data["attempts"]),
            jobs=list(data["jobs"]),
            exchanges=[Exchange.from_dict(exchange) for exchange in data["exchanges"]],
            steps={str(name): int(index) for name, index in data["steps"].items()},
            timeline=[(float(t), str(job), str(status)) for t, job, status in data["timeline"]],
            outputs={Output.named(label): found for label, found in data["outputs"].items()},
            input_documents={str(name): int(count) for name, count in data["input_documents"].items()},
            input_texts={str(name): list(texts) for name, texts in data["input_texts"].items()},
            not_made={str(name): str(why) for name, why in data["not_made"].items()},
            never_ended=data["never_ended"],
        )
