"""Scenario, step and output names are typed: a misspelt one fails where it is spelt, naming the choices."""

from __future__ import annotations

import pytest

from comprehend_contract.core.evidence import Evidence, UndeclaredStep
from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.scenarios import ENDING_ORDER, Output, Scenario, Step, UnknownName


def _exchange(operation: str = "StopSentimentDetectionJob", status: int = 200) -> Exchange:
    return Exchange(operation, "raw", {"JobId": "j"}, status, {"x-amzn-requestid": "r"}, b'{"JobStatus": "STOPPED"}')


def test_a_misspelt_step_names_the_steps() -> None:
    with pytest.raises(AttributeError, match=r"Step has no 'STPO'; the choices are: FINAL, STOP, "):
        _ = Step.STPO


def test_a_misspelt_scenario_string_names_the_scenarios() -> None:
    with pytest.raises(UnknownName, match=r"'complete' is not a scenario; the choices are: completed, failed"):
        Scenario.named("complete")
    assert Scenario.named("stop-submitted") is Scenario.STOP_SUBMITTED


def test_a_step_the_scenario_does_not_record_is_a_bug_not_a_skip() -> None:
    evidence = Evidence(Scenario.FAILED)
    with pytest.raises(UndeclaredStep, match="scenario failed records no step REPEAT_STOP"):
        evidence.step(Step.REPEAT_STOP)
    with pytest.raises(UndeclaredStep, match="reads no output FINAL"):
        evidence.output(Output.FINAL)
    assert evidence.step(Step.STOP) is None, "a declared step the scenario did not get to is None (not exercised)"


def test_per_refusal_steps_need_their_refusal() -> None:
    assert Step.REFUSED_STOP.key("unsigned") == "stop-unsigned"
    with pytest.raises(UnknownName, match="needs refusal"):
        Step.REFUSED_STOP.key()
    with pytest.raises(UnknownName, match="takes no refusal"):
        Step.STOP.key("unsigned")


def test_evidence_survives_json_with_its_exchanges_steps_and_outputs() -> None:
    evidence = Evidence(Scenario.COMPLETED, attempts=["attempt 1: COMPLETED first"], never_ended=None)
    evidence.record(_exchange("DescribeSentimentDetectionJob"))
    evidence.mark(Step.FINAL)
    stop = evidence.record(_exchange(status=400), Step.STOP)
    evidence.timeline.append((0.1, "j", "COMPLETED"))
    evidence.outputs[Output.BEFORE_STOP] = {"uri": "s3://b/k", "records": [{"File": "f"}]}
    again = Evidence.from_json(evidence.to_json())
    assert again == evidence
    assert again.step(Step.STOP) == stop
    assert again.after(again.exchanges[0]) == [stop]


def test_the_ending_order_names_every_scenario_once() -> None:
    assert sorted(ENDING_ORDER, key=str) == sorted(Scenario, key=str)
    assert len(set(ENDING_ORDER)) == len(ENDING_ORDER)
