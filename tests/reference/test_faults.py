"""Fault rehearsal: rules parsed from ``--faults``, matched per request, answered as AWS answers server errors."""

from __future__ import annotations

from typing import Any

import pytest

from comprehend_contract.clients import RawSender, Signature
from comprehend_contract.reference import FaultPlan, FaultRule, FaultSpecError, ReferenceService, ServiceConfig
from tests.reference.conftest import credentials

STOP = "StopSentimentDetectionJob"


def test_rule_is_parsed_from_its_spec() -> None:
    rule = FaultRule.parse(f"internal:operation={STOP},job-id-prefix=fault-,first-only,rate=0.5")
    assert rule == FaultRule("internal", operation=STOP, job_id_prefix="fault-", first_only=True, rate=0.5)
    assert FaultRule.parse("delay:seconds=0.25") == FaultRule("delay", seconds=0.25)


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("explode", "fault kind 'explode'"),
        ("internal:rate=2", "not between 0 and 1"),
        ("internal:rate=lots", "is not a number"),
        ("internal:colour=red", "unknown or incomplete setting 'colour=red'"),
        ("delay:seconds=-1", "negative"),
        ("internal:operation", "unknown or incomplete setting 'operation'"),
    ],
)
def test_bad_rule_is_refused_with_what_is_wrong(spec: str, says: str) -> None:
    with pytest.raises(FaultSpecError, match=says):
        FaultRule.parse(spec)


def test_first_only_fires_once_per_job_id_and_only_where_it_matches() -> None:
    plan = FaultPlan((FaultRule("internal", operation=STOP, job_id_prefix="f-", first_only=True),))
    assert plan.choose(STOP, {"JobId": "f-1"}) is not None
    assert plan.choose(STOP, {"JobId": "f-1"}) is None, "a retry is answered normally"
    assert plan.choose(STOP, {"JobId": "f-2"}) is not None
    assert plan.choose(STOP, {"JobId": "g-1"}) is None
    assert plan.choose("DescribeSentimentDetectionJob", {"JobId": "f-3"}) is None


def test_rates_are_drawn_from_the_seed() -> None:
    def draws(seed: int) -> list[bool]:
        plan = FaultPlan.of(["throttle:rate=0.3"], seed=seed)
        return [plan.choose(STOP, {}) is not None for _ in range(200)]

    assert draws(7) == draws(7)
    assert 30 <= sum(draws(7)) <= 90


def test_rehearsed_internal_error_then_a_normal_answer_over_http() -> None:
    with ReferenceService(ServiceConfig(faults=FaultPlan.rehearsal())) as running:
        raw = RawSender(running.endpoint_url, running.region, credentials(running))
        job_id = "cc-fault-500-abc"
        first, retry = raw.send(STOP, {"JobId": job_id}), raw.send(STOP, {"JobId": job_id})
    assert first.status == 500
    body: Any = first.json()
    assert body["__type"] == "InternalServerException"
    assert first.headers["x-amzn-requestid"]
    assert retry.status == 400
    assert retry.json()["__type"] == "JobNotFoundException"


def test_unsigned_request_gets_no_fault() -> None:
    """Faults come after authentication: a rehearsal never hides an AUTH answer."""
    with ReferenceService(ServiceConfig(faults=FaultPlan.of(["internal"]))) as running:
        raw = RawSender(running.endpoint_url, running.region, None)
        answer = raw.send(STOP, {"JobId": "abc"}, signature=Signature.NONE)
    assert answer.json()["__type"].endswith("MissingAuthenticationTokenException")
