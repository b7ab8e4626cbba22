"""Fault rehearsal: rules parsed from ``--faults``, matched per request, answered as AWS answers server errors."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any

import pytest

from comprehend_contract.clients import RawSender, Signature
from comprehend_contract.reference import (
    FaultPlan,
    FaultRule,
    FaultSpecError,
    ReferenceService,
    RunningService,
    ServiceConfig,
)
from comprehend_contract.spec.family import family
from tests.reference.conftest import credentials
from tests.reference.support import ROLE, signed_request

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


def test_new_kinds_are_parsed_from_their_specs() -> None:
    assert FaultRule.parse("reset") == FaultRule("reset")
    assert FaultRule.parse(f"reset:when=after,operation={STOP},rate=0.1") == FaultRule(
        "reset", operation=STOP, rate=0.1, when="after"
    )
    assert FaultRule.parse("latency:seconds=0.03") == FaultRule("latency", seconds=0.03)


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("reset:when=later", "fault when 'later' is not one of before, after"),
        ("throttle:when=after", "'when' applies to reset only"),
        ("latency:seconds=0.1,job-id-prefix=x", "job-id-prefix and first-only do not"),
        ("latency:seconds=0.1,first-only", "job-id-prefix and first-only do not"),
        ("latency:seconds=-0.1", "negative"),
    ],
)
def test_bad_new_kind_is_refused_with_what_is_wrong(spec: str, says: str) -> None:
    with pytest.raises(FaultSpecError, match=says):
        FaultRule.parse(spec)


def test_the_embedded_rehearsal_covers_every_stop_operation() -> None:
    """Other parts of the kit (the embedded target, the zoo) rely on exactly these rules: one per Stop operation."""
    assert FaultPlan.rehearsal().rules == tuple(
        FaultRule("internal", operation=stop, job_id_prefix="cc-fault-500-", first_only=True)
        for stop in family().stops()
    )


def test_latency_adds_up_and_is_never_chosen_as_a_fault() -> None:
    plan = FaultPlan.of(["latency:seconds=0.25", f"latency:seconds=0.5,operation={STOP}", "throttle:rate=0.5"])
    assert plan.latency(STOP) == 0.75
    assert plan.latency("ListSentimentDetectionJobs") == 0.25
    assert plan.latency(None) == 0.25, "a request that names no operation crosses the same network"
    chosen = {plan.choose(STOP, {}) for _ in range(50)}
    assert chosen == {None, FaultRule("throttle", rate=0.5)}


def test_latency_rates_are_drawn_from_the_seed() -> None:
    def draws(seed: int) -> list[float]:
        plan = FaultPlan.of(["latency:seconds=1,rate=0.5"], seed=seed)
        return [plan.latency(STOP) for _ in range(100)]

    assert draws(3) == draws(3)
    assert 25 <= sum(draws(3)) <= 75


def _send_and_expect_reset(running: RunningService, operation: str, body: bytes) -> BaseException:
    """Send a signed request on a fresh connection; the error the client meets (the server must not answer)."""
    host, port = running.endpoint_url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("POST", "/", body=body, headers=signed_request(running, operation, body))
        answer = connection.getresponse()
        raise AssertionError(f"the server answered {answer.status} instead of resetting the connection")
    except (ConnectionResetError, http.client.RemoteDisconnected) as error:
        return error
    finally:
        connection.close()


@pytest.mark.parametrize(("when", "jobs_after"), [("before", 0), ("after", 1)])
def test_reset_closes_the_connection_without_an_answer_before_or_after_the_operation(
    when: str, jobs_after: int
) -> None:
    start = "StartSentimentDetectionJob"
    plan = FaultPlan.of([f"reset:operation={start},when={when}"])
    body = json.dumps(
        {
            "InputDataConfig": {"S3Uri": "s3://reset-bucket/in/"},
            "OutputDataConfig": {"S3Uri": "s3://reset-bucket/out/"},
            "DataAccessRoleArn": ROLE,
            "LanguageCode": "en",
        }
    ).encode()
    service = ReferenceService(ServiceConfig(faults=plan))
    running = service.start()
    try:
        error = _send_and_expect_reset(running, start, body)
        assert isinstance(error, ConnectionResetError), f"a TCP RST, not a polite close: {error!r}"
        assert len(service.jobs.all_jobs()) == jobs_after
        raw = RawSender(running.endpoint_url, running.region, credentials(running))
        assert raw.send("ListSentimentDetectionJobs", {}).status == 200, "other operations are answered"
    finally:
        service.close()


def test_latency_delays_every_request_and_combines_with_a_fault() -> None:
    plan = FaultPlan.of(["latency:seconds=0.2", f"internal:operation={STOP}"])
    with ReferenceService(ServiceConfig(faults=plan)) as running:
        raw = RawSender(running.endpoint_url, running.region, credentials(running))
        timings = []
        for operation, signature in (
            ("ListSentimentDetectionJobs", Signature.VALID),
            (STOP, Signature.VALID),
            (STOP, Signature.NONE),
        ):
            began = time.monotonic()
            answer = raw.send(operation, {"JobId": "x"}, signature=signature)
            timings.append(
                (time.monotonic() - began, answer.status, answer.json()["__type"] if answer.status != 200 else None)
            )
    assert all(seconds >= 0.2 for seconds, _, _ in timings), timings
    assert [status for _, status, _ in timings] == [200, 500, 400]
    assert timings[1][2] == "InternalServerException"
    assert timings[2][2].endswith("MissingAuthenticationTokenException")
