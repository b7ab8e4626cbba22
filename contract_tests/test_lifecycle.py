"""The job lifecycle as Describe, List and Start show it while the state drivers move jobs along."""

from __future__ import annotations

import re
from typing import Any

import pytest

from comprehend_contract.suite import (
    END_STATES,
    Evidence,
    Exchange,
    JobStatus,
    JobType,
    Output,
    Scenario,
    Step,
    TargetProfile,
    TimestampForm,
    documented_form,
    expected_locations,
    may_follow,
    properties_of,
    reached,
    record_problems,
    validator_for,
)

EVERY_SCENARIO = [
    pytest.param(str(name), marks=pytest.mark.scenario(name), id=str(name))
    for name in (Scenario.COMPLETED, Scenario.FAILED, Scenario.STOP_IN_PROGRESS, Scenario.STOP_SUBMITTED)
]
STATUSES = {status.value for status in JobStatus}
OUTPUTS = [
    pytest.param("completed", Output.BEFORE_STOP, marks=pytest.mark.scenario(Scenario.COMPLETED), id="completed"),
    pytest.param("stop-in-progress", Output.FINAL, marks=pytest.mark.scenario(Scenario.STOP_IN_PROGRESS), id="stopped"),
]
"""The scenarios whose job output is read: COMPLETED, and STOPPED (or COMPLETED before the stop took)."""


@pytest.mark.clause("LIFE-TRANSITIONS")
@pytest.mark.parametrize("scenario", EVERY_SCENARIO)
def test_observed_statuses_follow_the_transition_graph(evidence: Evidence, scenario: str) -> None:
    """SUBMITTED→IN_PROGRESS→{COMPLETED,FAILED}, SUBMITTED→FAILED, {SUBMITTED,IN_PROGRESS}→STOP_REQUESTED→{STOPPED,
    COMPLETED}; end states never change. Polling may miss steps, so a later status must be reachable."""
    if not evidence.timeline:
        pytest.skip(f"not exercised: the scenario saw no status ({evidence.reason})")
    last: dict[str, str] = {}
    for _, job_id, status in evidence.timeline:
        assert status in STATUSES, f"job {job_id}: {status!r} is not a job status"
        earlier = last.get(job_id)
        if earlier is not None:
            assert may_follow(JobStatus(earlier), JobStatus(status)), f"job {job_id} went {earlier} -> {status}"
        last[job_id] = status


def _describes(evidence: Evidence) -> list[dict[str, object]]:
    return [properties for exchange in evidence.exchanges if (properties := properties_of(exchange)) is not None]


@pytest.mark.clause("LIFE-ENDTIME")
@pytest.mark.parametrize("scenario", EVERY_SCENARIO)
def test_end_time_only_on_ended_jobs_and_not_before_submit_time(evidence: Evidence, scenario: str) -> None:
    describes = _describes(reached(evidence))
    if not any(p.get("JobStatus") in END_STATES for p in describes):
        pytest.skip("not exercised: no job of the scenario was seen in an end state")
    for properties in describes:
        status = properties.get("JobStatus")
        if status in END_STATES:
            assert "EndTime" in properties, f"a {status} job has no EndTime"
            assert properties["EndTime"] >= properties["SubmitTime"], f"EndTime precedes SubmitTime: {properties}"  # type: ignore[operator]
        else:
            assert "EndTime" not in properties, f"a {status} job already has an EndTime"


def _jobs_shown(exchange: Exchange, job_type: JobType) -> list[dict[str, Any]]:
    """The jobs a successful Start, Describe or List of ``job_type`` shows (Start: its JobId and JobArn)."""
    body = exchange.json()
    if not isinstance(body, dict):
        return []
    if exchange.operation == job_type.describe:
        return [body[job_type.properties_member]]
    if exchange.operation == job_type.list:
        return list(body.get(job_type.list_member, []))
    return [body] if exchange.operation == job_type.start else []


@pytest.mark.clause("LIFE-DESCRIBE-SCHEMA")
@pytest.mark.parametrize("scenario", EVERY_SCENARIO)
def test_start_describe_and_list_responses_fit_their_schemas(
    evidence: Evidence, target: TargetProfile, job_type: JobType, scenario: str
) -> None:
    """Each answer fits its operation's response schema, and each job's ARN is the type's:
    ``arn:<partition>:comprehend:<region>:<account>:<type's resource>/<JobId>``."""
    arn = re.compile(
        rf"^arn:aws(-[a-z]+)*:comprehend:(?P<region>[a-z0-9-]+):\d{{12}}:{job_type.arn_resource}/(?P<id>.+)$"
    )
    checked = 0
    for exchange in evidence.exchanges:
        if exchange.status != 200 or exchange.operation == job_type.stop:
            continue
        body = exchange.json()
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator_for(f"{exchange.operation}.response", TimestampForm.LENIENT).iter_errors(body)
        ]
        assert not errors, f"{exchange.operation}: {errors[:3]}"
        for job in _jobs_shown(exchange, job_type):
            match = arn.match(str(job.get("JobArn", "")))
            assert match, f"{exchange.operation}: JobArn {job.get('JobArn')!r} is not a {job_type.arn_resource} ARN"
            assert match["region"] == target.region, f"JobArn {job['JobArn']!r} names another region"
            assert match["id"] == job.get("JobId"), (
                f"JobArn {job['JobArn']!r} does not end with JobId {job.get('JobId')!r}"
            )
        checked += 1
    if not checked:
        pytest.skip(f"not exercised: no successful Start, Describe or List in the scenario ({evidence.reason})")


@pytest.mark.clause("LIFE-OUTPUT-RECORD")
@pytest.mark.parametrize(("scenario", "label"), OUTPUTS)
def test_every_output_record_is_one_of_its_types_or_an_error_record(
    evidence: Evidence, job_type: JobType, scenario: str, label: Output
) -> None:
    """Every record is a JSON line of the type's documented shape, or an error record; offsets lie within the
    document and ``Text`` is the text between them."""
    output = reached(evidence).output(label)
    if output is None:
        pytest.skip("not exercised: the scenario read no output")
    assert "error" not in output, f"the output at {output.get('uri')!r} could not be read: {output.get('error')}"
    if not output["records"]:
        pytest.skip("not exercised: the output holds no record")
    for record in output["records"]:
        problems = record_problems(job_type, record, evidence.input_texts)
        assert not problems, f"record {record!r}: {problems}"


def _start_output_uri(evidence: Evidence, job_type: JobType, job_id: str) -> str | None:
    """The ``OutputDataConfig.S3Uri`` the scenario gave to the Start that created ``job_id``."""
    for exchange in evidence.exchanges:
        body = exchange.json()
        if exchange.operation == job_type.start and isinstance(body, dict) and body.get("JobId") == job_id:
            request = exchange.request if isinstance(exchange.request, dict) else {}
            return str(request.get("OutputDataConfig", {}).get("S3Uri", "")) or None
    return None


@pytest.mark.clause("LIFE-OUTPUT-LOCATION")
@pytest.mark.parametrize(("scenario", "label"), OUTPUTS)
def test_output_is_at_account_code_job_id_under_the_given_s3_uri(
    evidence: Evidence, job_type: JobType, scenario: str, label: Output
) -> None:
    """AWS's documented form: ``<S3Uri given to Start>/<account>-<CODE>-<JobId>/output/...`` with the type's code
    (``TS`` for sentiment), in a form documented for the type, and the output exists there."""
    final = reached(evidence).step(Step.FINAL)
    properties = properties_of(final) if final is not None else None
    if properties is None or properties.get("JobStatus") not in ("COMPLETED", "STOPPED"):
        pytest.skip("not exercised: the scenario saw no COMPLETED or STOPPED job")
    job_id, arn = str(properties.get("JobId")), str(properties.get("JobArn", ""))
    account = arn.split(":")[4] if arn.count(":") >= 5 else ""
    given = _start_output_uri(evidence, job_type, job_id)
    if not account.isdigit() or given is None:
        pytest.skip(f"not exercised: no account id in JobArn {arn!r} or no Start of {job_id} recorded")
    expected = expected_locations(job_type, given, account, job_id)
    reported = properties.get("OutputDataConfig", {}).get("S3Uri")
    assert reported in expected, f"Describe reports the output at {reported!r}; the documented forms: {expected}"
    output = evidence.output(label) or {}
    assert output, f"the scenario did not read the output at {reported!r}"
    assert "error" not in output, f"no output at {reported!r}: {output['error']}"
    if output["form"] == "empty" and properties["JobStatus"] == "STOPPED":
        pytest.skip(f"not exercised: the job was stopped before it processed a document, and {reported!r} is empty")
    assert documented_form(job_type, output["form"]), (
        f"the output at {reported!r} is {output['form']} ({output.get('files')}), not a documented form of "
        f"{job_type.name}: {', '.join(map(str, job_type.output_forms))}"
    )
