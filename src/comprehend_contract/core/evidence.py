"""What a scenario did and saw, as JSON: any process of the run can judge a job another process drove."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from comprehend_contract.core.exchange import Exchange


@dataclass
class Evidence:
    """Everything one scenario did and saw: JSON, so that any xdist worker can judge it."""

    scenario: str
    reached: bool = True
    reason: str = ""
    incomplete: bool = False
    """Not reached because requests met only transient faults: the tests judging it make the run incomplete."""
    attempts: list[str] = field(default_factory=list)
    """One line per abandoned attempt (a race lost), so verdicts can say the scenario retried."""
    jobs: list[str] = field(default_factory=list)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    timeline: list[tuple[float, str, str]] = field(default_factory=list)
    """(seconds since the scenario began, job id, status) for every status any response showed."""
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    output: dict[str, Any] = field(default_factory=dict)
    input_documents: dict[str, int] = field(default_factory=dict)
    """Input file name -> number of lines (documents) the job was given."""
    judged: list[dict[str, Any]] = field(default_factory=list, compare=False, repr=False)
    """The steps a test looked at, latest last (not serialised): a failed test's evidence shows these."""

    def step(self, name: str) -> Exchange | None:
        data = self.steps.get(name)
        if data and "operation" in data:
            self.judged.append(data)
        return Exchange.from_dict(data) if data and "operation" in data else None

    def all_exchanges(self) -> list[Exchange]:
        return [Exchange.from_dict(data) for data in self.exchanges]

    def to_json(self) -> str:
        return json.dumps({key: value for key, value in self.__dict__.items() if key != "judged"})

    @classmethod
    def from_json(cls, text: str) -> Evidence:
        data = json.loads(text)
        data["timeline"] = [tuple(entry) for entry in data["timeline"]]
        return cls(**data)
