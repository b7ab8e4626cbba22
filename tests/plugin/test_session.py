"""What the session adapter makes of pytest's reports."""

from __future__ import annotations

import re
import subprocess
import sys

from comprehend_contract.core.scenarios import ENDING_ORDER
from comprehend_contract.plugin.session import _group_message
from comprehend_contract.resources import contract_tests_dir


def test_a_group_of_failures_is_said_by_its_first() -> None:
    """Hypothesis raises an ExceptionGroup of its distinct failures: the reason names the first one's words."""
    group = ExceptionGroup(
        "Hypothesis found 2 distinct failures.",
        [AssertionError("a well-formed JobId must pass validation\nassert 400 == 200"), ValueError("other")],
    )
    assert _group_message(group) == (
        "2 distinct failures; the first: AssertionError: a well-formed JobId must pass validation"
    )


def test_a_nested_group_is_said_by_its_innermost_first_failure() -> None:
    inner = ExceptionGroup("inner", [KeyError("JobStatus")])
    assert _group_message(ExceptionGroup("outer", [inner])) == "a failure: KeyError: 'JobStatus'"


def test_tests_of_scenarios_are_ordered_as_the_scenarios_are_expected_to_end() -> None:
    """The transition-graph test is made once per scenario (its id names it): collected in ``ENDING_ORDER``, after
    every test that needs no job."""
    suite = contract_tests_dir()
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), "--co", "-q", "-p", "no:cacheprovider",
         "--job-type", "Sentiment"],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout.splitlines()  # fmt: skip
    graph = [line for line in collected if "test_observed_statuses_follow_the_transition_graph[" in line]
    found = [match.group(1) for line in graph if (match := re.search(r"\[StopSentimentDetectionJob-(.+)\]$", line))]
    assert len(found) >= 4, graph
    assert found == [str(scenario) for scenario in ENDING_ORDER if str(scenario) in found]
    first_graph = collected.index(graph[0])
    assert not any("test_unknown_job.py" in line for line in collected[first_graph:])
