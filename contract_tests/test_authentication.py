"""SigV4 authentication (service ``comprehend``) on every operation of each job type, its Stop first, and isolation.

Every AUTH clause is exercised in each of its ways (``Refusal``) on all four operations of the type: Stop and
Describe of a real running job (the ``refused-auth`` scenario: the job's status is unchanged afterwards), Start (no
job is created) and List. An accepted request (any 2xx) fails the clause whatever else it answered.
"""

from __future__ import annotations

import uuid

import pytest

from comprehend_contract.suite import (
    Api,
    ClauseChecks,
    Evidence,
    Exchange,
    JobType,
    Refusal,
    Scenario,
    Step,
    TargetProfile,
    Workspace,
    job_status,
    judges,
    not_exercised,
    reached,
    start_request,
)

RUNNING = ("SUBMITTED", "IN_PROGRESS")


def _ways(verbs: tuple[str, ...], scenario: Scenario | None = None) -> list[object]:
    """(verb, refusal) pairs, each marked with the refusal's clause (and the scenario that provides the job)."""
    marks = [pytest.mark.scenario(scenario)] if scenario else []
    return [
        pytest.param(verb, refusal, marks=[pytest.mark.clause(refusal.clause), *marks], id=f"{verb}-{refusal.label}")
        for verb in verbs
        for refusal in Refusal
    ]


@judges("AUTH-REQUIRED", "AUTH-SIGNATURE", "AUTH-UNKNOWN-KEY", "AUTH-EXPIRED")
def _judge_refusal(checks: ClauseChecks, refusal: Refusal, exchange: Exchange) -> None:
    with checks.clause(refusal.clause, f"{exchange.operation} sent {refusal.label} is refused"):
        problem = refusal.refusal_problem(exchange.status, exchange.error_code, exchange.message)
        assert problem is None, f"{exchange.operation}: {problem}"


@pytest.mark.parametrize(("verb", "refusal"), _ways(("stop", "describe"), scenario=Scenario.REFUSED_AUTH))
def test_refused_request_on_a_running_job_is_refused_and_leaves_it_running(
    evidence: Evidence, checks: ClauseChecks, verb: str, refusal: Refusal
) -> None:
    """A Stop (or Describe) of a real, running job that must be refused for authentication, and the job after it."""
    reached(evidence)
    before = job_status(evidence.step(Step.REFUSED_BEFORE, refusal.label))
    sent = evidence.step(Step.REFUSED_STOP if verb == "stop" else Step.REFUSED_DESCRIBE, refusal.label)
    if before not in RUNNING or sent is None:
        tried = "; ".join(evidence.attempts) or f"the job was {before} before it"
        not_exercised(f"no {refusal.label} request was sent to a running job ({tried})")
    _judge_refusal(checks, refusal, sent)
    with checks.clause(refusal.clause, "the job is untouched"):
        after = job_status(evidence.step(Step.REFUSED_AFTER, refusal.label))
        assert after not in ("STOP_REQUESTED", "STOPPED"), f"the job went {before} -> {after} after a refused request"


@pytest.mark.parametrize(("verb", "refusal"), _ways(("start", "list")))
def test_refused_start_or_list_is_refused_and_does_nothing(
    api: Api,
    checks: ClauseChecks,
    target: TargetProfile,
    workspace: Workspace,
    job_type: JobType,
    verb: str,
    refusal: Refusal,
) -> None:
    """A Start (or List) that must be refused for authentication; a refused Start creates no job."""
    name = workspace.job_name(f"refused-{uuid.uuid4().hex[:12]}")
    if verb == "start":
        folder = workspace.uri(workspace.new_folder("refused"))
        exchange = api.call(job_type.start, start_request(target, job_type, folder, JobName=name), refusal=refusal)
    else:
        exchange = api.list(refusal=refusal)
    _judge_refusal(checks, refusal, exchange)
    if verb == "start":
        with checks.clause(refusal.clause, "no job was created"):
            listing = api.list({"Filter": {"JobName": name}})
            body = listing.json()
            jobs = body.get(job_type.list_member) if isinstance(body, dict) else None
            assert listing.status == 200, f"cannot check for side effects: List answered {listing.describe()}"
            assert jobs == [], f"the refused request created job(s): {[j.get('JobId') for j in jobs or []]}"


@pytest.mark.clause("AUTH-ISOLATION")
@pytest.mark.scenario(Scenario.ISOLATION)
def test_other_account_can_neither_see_nor_stop_a_job(evidence: Evidence, checks: ClauseChecks) -> None:
    """A job belongs to the account that started it: to another it does not exist."""
    reached(evidence)
    stop = evidence.step(Step.STOP_FROM_OTHER_ACCOUNT)
    if stop is None:
        not_exercised(evidence.why_not(Step.STOP_FROM_OTHER_ACCOUNT) or "no stop from another account was sent")
    with checks.clause("AUTH-ISOLATION", "stop from the other account"):
        assert stop.error_code == "JobNotFoundException", f"expected JobNotFoundException, got {stop.describe()}"
    with checks.clause("AUTH-ISOLATION", "describe from the other account"):
        seen = evidence.step(Step.DESCRIBE_FROM_OTHER_ACCOUNT)
        assert seen is not None
        assert seen.error_code == "JobNotFoundException", f"expected JobNotFoundException, got {seen.describe()}"
    with checks.clause("AUTH-ISOLATION", "the job is untouched"):
        status_before = job_status(evidence.step(Step.BEFORE))
        status_after = job_status(evidence.step(Step.AFTER))
        assert status_before is not None, "the job was not described before the other account's requests"
        assert status_after is not None, "the job was not described after the other account's requests"
        assert status_after not in ("STOP_REQUESTED", "STOPPED"), f"the job went {status_before} -> {status_after}"
