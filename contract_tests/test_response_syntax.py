"""The response of a successful StopSentimentDetectionJob: status, schema, echoed JobId, JobStatus value."""

from __future__ import annotations

import pytest

from comprehend_contract.harness.api import Api, Exchange
from comprehend_contract.harness.jobs import StoppedJob
from comprehend_contract.spec import validator_for


def _schema_errors(exchange: Exchange) -> list[str]:
    body = exchange.json()
    return [error.message for error in validator_for("StopSentimentDetectionJob.response").iter_errors(body)]


@pytest.mark.clause("RESP-SCHEMA")
def test_successful_stop_returns_200_and_a_body_that_fits_the_schema(stopped_job: StoppedJob) -> None:
    """'If the action is successful, the service sends back an HTTP 200 response.'"""
    exchange = stopped_job.stop
    assert exchange.status == 200, exchange.describe()
    assert isinstance(exchange.json(), dict), f"body is not a JSON object: {exchange.body[:200]!r}"
    assert _schema_errors(exchange) == []


@pytest.mark.clause("RESP-SCHEMA")
def test_repeated_stop_over_boto3_also_fits_the_schema(api: Api, stopped_job: StoppedJob) -> None:
    exchange = api.stop(stopped_job.job_id, transport="boto3")
    assert exchange.status == 200, exchange.describe()
    assert _schema_errors(exchange) == []


@pytest.mark.clause("RESP-JOBID-ECHO")
def test_stop_echoes_the_requested_job_id(stopped_job: StoppedJob) -> None:
    """'JobId: The identifier of the sentiment detection job to stop.'"""
    body = stopped_job.stop.json()
    assert isinstance(body, dict), stopped_job.stop.describe()
    assert body.get("JobId") == stopped_job.job_id, (
        f"asked to stop {stopped_job.job_id!r}, answer names {body.get('JobId')!r}"
    )


@pytest.mark.clause("RESP-STATUS-VALUE")
def test_stop_answers_stop_requested_or_stopped(stopped_job: StoppedJob) -> None:
    """'JobStatus: Either STOP_REQUESTED if the job is currently running, or STOPPED if ... previously stopped'."""
    body = stopped_job.stop.json()
    assert isinstance(body, dict), stopped_job.stop.describe()
    assert body.get("JobStatus") in ("STOP_REQUESTED", "STOPPED"), f"JobStatus is {body.get('JobStatus')!r}"
