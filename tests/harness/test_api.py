"""``Api.stop_each``: independent Stops sent a few at a time, each answer kept with its own request, in order."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from comprehend_contract.clients import Credentials, RawSender, comprehend_client
from comprehend_contract.core.checks import ClauseChecks
from comprehend_contract.core.jobs import JobLedger
from comprehend_contract.harness.api import TRANSPORTS, Api, BotoTransport
from comprehend_contract.reference import ReferenceService, RunningService
from comprehend_contract.spec.family import family


class NoStatuses:
    def record_status(self, job_id: str, status: str, sent: float, received: float) -> list[tuple[str, float, float]]:
        return []


@pytest.fixture(scope="module")
def served() -> Iterator[RunningService]:
    with ReferenceService() as running:
        yield running


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_each_answer_of_stop_each_is_its_own_requests_in_order(served: RunningService, transport: str) -> None:
    """Forty unknown JobIds, eight in flight at a time: each exchange names its own id (an answer crossed between
    threads would name another), and every one is recorded for the test's checks in the order given."""
    account = served.accounts[0]
    keys = Credentials(account.access_key_id, account.secret_access_key)
    raw = RawSender(served.endpoint_url, served.region, keys)
    client = comprehend_client(served.endpoint_url, served.region, keys, max_attempts=1)
    # a pause between botocore's parse of an answer and the call's return: a thread that kept another thread's
    # answer there would be caught every time, not once in a while
    client.meta.events.register("after-call.comprehend", lambda **_: time.sleep(0.005))
    boto = BotoTransport(client)
    checks = ClauseChecks(("STOP-NOT-FOUND",))
    api = Api(checks, raw, boto, JobLedger(), NoStatuses(), family().get("Events"))
    ids = [f"unknown{index:02d}" for index in range(40)]
    exchanges = api.stop_each(ids, transport=transport)
    assert [exchange.request for exchange in exchanges] == [{"JobId": job_id} for job_id in ids]
    for job_id, exchange in zip(ids, exchanges, strict=True):
        assert exchange.operation == "StopEventsDetectionJob"
        assert exchange.error_code == "JobNotFoundException", exchange.describe()
        assert job_id.encode() in exchange.body, f"the answer to {job_id} is another request's: {exchange.body!r}"
    assert len(checks.exchanges) == len(ids)
