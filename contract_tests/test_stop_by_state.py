"""Each job type's Stop in every state a job can be in, judged on what the state drivers recorded.

"If the job state is IN_PROGRESS the job is marked for termination and put into the STOP_REQUESTED state. If the
job completes before it can be stopped, it is put into the COMPLETED state; otherwise the job is be stopped and
put into the STOPPED state. If the job is in the COMPLETED or FAILED state ... the operation returns a 400
[InvalidRequestException]. When a job is stopped, any documents already processed are written to the output
location."
"""

from __future__ import annotations

import pytest

from comprehend_contract.suite import (
    ClauseChecks,
    Evidence,
    Exchange,
    JobType,
    Output,
    Scenario,
    Step,
    documented_form,
    job_status,
    judges,
    properties_of,
    reached,
    record_problems,
)

ENDED_BY_STOP = ("STOPPED", "COMPLETED")


def step(evidence: Evidence, name: Step) -> Exchange:
    exchange = evidence.step(name)
    if exchange is None:
        pytest.skip(f"not exercised: the scenario made no '{name}' request")
    return exchange


def statuses_after(evidence: Evidence, exchange: Exchange) -> list[str]:
    """The statuses Describe showed for the job after ``exchange`` (in the order they were seen)."""
    job_id = exchange.request.get("JobId") if isinstance(exchange.request, dict) else None
    found = []
    for later in evidence.after(exchange):
        properties = properties_of(later)
        if properties is not None and properties.get("JobId") == job_id:
            found.append(str(properties.get("JobStatus")))
    return found


def final_status(evidence: Evidence) -> str | None:
    return job_status(evidence.step(Step.FINAL))


def retried(evidence: Evidence) -> str:
    return (
        f" (after {len(evidence.attempts)} fresh job(s): {'; '.join(evidence.attempts)})" if evidence.attempts else ""
    )


@pytest.mark.clause("STOP-IN-PROGRESS")
@pytest.mark.scenario(Scenario.STOP_IN_PROGRESS)
def test_stop_on_in_progress_job_answers_stop_requested_and_it_never_runs_again(
    evidence: Evidence, checks: ClauseChecks
) -> None:
    stop = step(reached(evidence), Step.STOP)
    with checks.clause("STOP-IN-PROGRESS", "the stop's answer" + retried(evidence)):
        assert stop.status == 200, f"stop of an IN_PROGRESS job: {stop.describe()}"
        assert job_status(stop) == "STOP_REQUESTED", f"answered {stop.describe()}"
    with checks.clause("STOP-IN-PROGRESS", "what Describe shows afterwards"):
        after = statuses_after(evidence, stop)
        assert after, "the job was never described after the stop"
        assert "IN_PROGRESS" not in after, f"after the stop the job showed {after}"
        assert set(after) <= {"STOP_REQUESTED", *ENDED_BY_STOP}, f"after the stop the job showed {after}"


@pytest.mark.clause("STOP-OUTCOME")
@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param("stop-in-progress", marks=pytest.mark.scenario(Scenario.STOP_IN_PROGRESS)),
        pytest.param("stop-submitted", marks=pytest.mark.scenario(Scenario.STOP_SUBMITTED)),
    ],
)
def test_stop_requested_job_ends_stopped_or_completed_within_the_budget(evidence: Evidence, scenario: str) -> None:
    stop = step(reached(evidence), Step.STOP)
    if stop.status != 200 or job_status(stop) != "STOP_REQUESTED":
        pytest.skip(f"not exercised: the stop did not put the job in STOP_REQUESTED ({stop.describe()})")
    assert evidence.never_ended is None, f"the STOP_REQUESTED job never ended: {evidence.never_ended}"
    assert final_status(evidence) in ENDED_BY_STOP, f"the stopped job ended {final_status(evidence)}"


@pytest.mark.clause("STOP-SUBMITTED")
@pytest.mark.scenario(Scenario.STOP_SUBMITTED)
def test_stop_on_submitted_job_answers_stop_requested(evidence: Evidence) -> None:
    stop = step(reached(evidence), Step.STOP)
    assert stop.status == 200, f"stop of a SUBMITTED job{retried(evidence)}: {stop.describe()}"
    assert job_status(stop) == "STOP_REQUESTED", f"answered {stop.describe()}"
    assert evidence.never_ended is None, f"the stopped job never ended: {evidence.never_ended}"
    assert final_status(evidence) in ENDED_BY_STOP, f"the job then ended {final_status(evidence)}"


@pytest.mark.clause("STOP-REPEAT-REQUESTED")
@pytest.mark.scenario(Scenario.STOP_IN_PROGRESS)
def test_repeated_stop_while_stop_requested_answers_stop_requested(evidence: Evidence) -> None:
    before = step(reached(evidence), Step.DESCRIBE_BEFORE_REPEAT)
    repeat = step(evidence, Step.REPEAT_STOP)
    status_before = job_status(before)
    if status_before != "STOP_REQUESTED":
        pytest.skip(f"not exercised: the job was {status_before}, not STOP_REQUESTED, before the repeated stop")
    answered = job_status(repeat)
    after = statuses_after(evidence, repeat)
    if answered == "STOPPED" and after[:1] != ["STOP_REQUESTED"]:
        pytest.skip("not exercised: the job stopped between the Describe and the repeated stop")
    assert repeat.status == 200, f"repeated stop: {repeat.describe()}"
    assert answered == "STOP_REQUESTED", f"the job was still running, yet the repeated stop answered {answered!r}"


@pytest.mark.clause("STOP-STOPPED")
@pytest.mark.scenario(Scenario.STOP_IN_PROGRESS)
def test_stop_on_stopped_job_answers_stopped(evidence: Evidence) -> None:
    """'STOPPED if the job was previously stopped with the Stop<Type>DetectionJob operation'."""
    if final_status(reached(evidence)) != "STOPPED":
        pytest.skip(f"not exercised: the stopped job ended {final_status(evidence)}, not STOPPED")
    again = step(evidence, Step.STOP_AFTER_END)
    assert again.status == 200, f"stop of a STOPPED job: {again.describe()}"
    assert job_status(again) == "STOPPED", f"answered {again.describe()}"


@judges("STOP-COMPLETED", "STOP-FAILED")
def assert_stop_refused_and_job_unchanged(evidence: Evidence, ended: str) -> None:
    """400 InvalidRequestException ("a 400 Internal Request Exception", see the clause notes), and the job stays."""
    stop = step(reached(evidence), Step.STOP)
    assert stop.status == 400, f"stop of a {ended} job: {stop.describe()}"
    assert stop.error_code == "InvalidRequestException", f"expected InvalidRequestException, got {stop.describe()}"
    after = job_status(step(evidence, Step.AFTER_STOP))
    assert after == ended, f"after the refused stop the job is {after}"


@pytest.mark.clause("STOP-COMPLETED")
@pytest.mark.scenario(Scenario.COMPLETED)
def test_stop_on_completed_job_is_rejected(evidence: Evidence) -> None:
    assert_stop_refused_and_job_unchanged(evidence, "COMPLETED")


@pytest.mark.clause("STOP-FAILED")
@pytest.mark.scenario(Scenario.FAILED)
def test_stop_on_failed_job_is_rejected(evidence: Evidence) -> None:
    assert_stop_refused_and_job_unchanged(evidence, "FAILED")


@pytest.mark.clause("STOP-NO-SIDE-EFFECT")
@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param("completed", marks=pytest.mark.scenario(Scenario.COMPLETED)),
        pytest.param("failed", marks=pytest.mark.scenario(Scenario.FAILED)),
    ],
)
def test_rejected_stop_changes_nothing(evidence: Evidence, scenario: str) -> None:
    stop = step(reached(evidence), Step.STOP)
    if not 400 <= stop.status < 500:
        pytest.skip(f"not exercised: the stop was not rejected ({stop.describe()}); STOP-{scenario.upper()} judges it")
    before = properties_of(step(evidence, Step.FINAL)) or {}
    after = properties_of(step(evidence, Step.AFTER_STOP)) or {}
    for name in ("JobStatus", "EndTime", "Message", "OutputDataConfig"):
        assert before.get(name) == after.get(name), f"{name} changed from {before.get(name)!r} to {after.get(name)!r}"
    if scenario == "completed":
        was, now = evidence.output(Output.BEFORE_STOP) or {}, evidence.output(Output.AFTER_STOP) or {}
        assert was.get("etag") == now.get("etag"), "the output archive changed after the refused stop"


@pytest.mark.clause("STOP-OUTPUT")
@pytest.mark.scenario(Scenario.STOP_IN_PROGRESS)
def test_stopped_job_output_holds_valid_records_of_the_input_none_twice(evidence: Evidence, job_type: JobType) -> None:
    """'When a job is stopped, any documents already processed are written to the output location': in a form
    documented for the type, valid records of its type, each for a document of the input, none twice."""
    if final_status(reached(evidence)) != "STOPPED":
        pytest.skip(f"not exercised: the stopped job ended {final_status(evidence)}, not STOPPED")
    output = evidence.output(Output.FINAL) or {}
    assert "error" not in output, f"no output at OutputDataConfig.S3Uri {output.get('uri')!r}: {output.get('error')}"
    if output["form"] == "empty":
        pytest.skip(f"not exercised: the job was stopped before it processed a document{retried(evidence)}")
    assert documented_form(job_type, output["form"]), f"the output is {output['form']}: {output.get('files')}"
    records = output["records"]
    invalid = [(r, problems) for r in records if (problems := record_problems(job_type, r, evidence.input_texts))]
    assert not invalid, f"{len(invalid)} record(s) are not {job_type.name} records, e.g. {invalid[0]!r}"
    for record in records:
        assert record["File"] in evidence.input_documents, f"record for a file not in the input: {record!r}"
        assert 0 <= record.get("Line", 0) < evidence.input_documents[record["File"]], f"no such line: {record!r}"
    keys = [(r["File"], r.get("Line")) for r in records]
    assert len(keys) == len(set(keys)), "a document has more than one record"
