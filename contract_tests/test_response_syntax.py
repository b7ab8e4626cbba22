"""The response of a successful Stop<Type>DetectionJob: status, schema, echoed JobId, JobStatus value.

Judged on the stops the state drivers made: of a job IN_PROGRESS, of a job SUBMITTED, and of a job STOPPED.
"""

from __future__ import annotations

import pytest

from comprehend_contract.suite import Evidence, Exchange, Scenario, Step, reached, validator_for

STOPS = [
    pytest.param(
        "stop-in-progress", Step.STOP, marks=pytest.mark.scenario(Scenario.STOP_IN_PROGRESS), id="in-progress"
    ),
    pytest.param("stop-submitted", Step.STOP, marks=pytest.mark.scenario(Scenario.STOP_SUBMITTED), id="submitted"),
    pytest.param(
        "stop-in-progress", Step.STOP_AFTER_END, marks=pytest.mark.scenario(Scenario.STOP_IN_PROGRESS), id="stopped"
    ),
]


def successful_stop(evidence: Evidence, step: Step) -> Exchange:
    exchange = reached(evidence).step(step)
    if exchange is None:
        pytest.skip(f"not exercised: the scenario made no '{step}' request")
    if exchange.status != 200:
        pytest.skip(f"not exercised: that stop did not succeed ({exchange.describe()}); other clauses judge it")
    return exchange


@pytest.mark.clause("RESP-SCHEMA")
@pytest.mark.parametrize(("scenario", "step"), STOPS)
def test_successful_stop_body_fits_the_response_schema(evidence: Evidence, scenario: str, step: Step) -> None:
    """'If the action is successful, the service sends back an HTTP 200 response' with JobId and JobStatus."""
    exchange = successful_stop(evidence, step)
    body = exchange.json()
    assert isinstance(body, dict), f"body is not a JSON object: {exchange.body[:200]!r}"
    errors = [error.message for error in validator_for(f"{exchange.operation}.response").iter_errors(body)]
    assert errors == [], errors


@pytest.mark.clause("RESP-JOBID-ECHO")
@pytest.mark.parametrize(("scenario", "step"), STOPS)
def test_stop_echoes_the_requested_job_id(evidence: Evidence, scenario: str, step: Step) -> None:
    """'JobId: The identifier of the sentiment detection job to stop.'"""
    exchange = successful_stop(evidence, step)
    body = exchange.json()
    asked = exchange.request.get("JobId") if isinstance(exchange.request, dict) else None
    assert isinstance(body, dict), exchange.describe()
    assert body.get("JobId") == asked, f"asked to stop {asked!r}, the answer names {body.get('JobId')!r}"


@pytest.mark.clause("RESP-STATUS-VALUE")
@pytest.mark.parametrize(("scenario", "step"), STOPS)
def test_stop_answers_stop_requested_or_stopped(evidence: Evidence, scenario: str, step: Step) -> None:
    """'JobStatus: Either STOP_REQUESTED if the job is currently running, or STOPPED if ... previously stopped'."""
    body = successful_stop(evidence, step).json()
    assert isinstance(body, dict)
    assert body.get("JobStatus") in ("STOP_REQUESTED", "STOPPED"), f"JobStatus is {body.get('JobStatus')!r}"
