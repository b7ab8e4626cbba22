"""The run's pacing: its overall rate and each operation's share of its quota, across every process of the run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from comprehend_contract.clients import Credentials, comprehend_client
from comprehend_contract.clients.raw import RawSender
from comprehend_contract.clients.retry import NO_RETRIES
from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.pacing import Pacer, operation_rate
from comprehend_contract.harness.api import BotoTransport
from comprehend_contract.reference import ReferenceService, RunningService
from comprehend_contract.spec.family import family
from comprehend_contract.targets import Budgets


class Clock:
    """A fake clock for the run's coordination (which reads ``time.time`` and sleeps with ``time.sleep``): ``sleep``
    advances it and is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "time", fake.time)
    monkeypatch.setattr(time, "sleep", fake.sleep)
    return fake


def test_each_operation_may_use_its_share_of_its_own_types_quota() -> None:
    entities = family().get("Entities")
    assert operation_rate(entities.start, 0.5) == entities.requests_per_second.start * 0.5
    assert operation_rate(entities.describe, 0.5) == entities.requests_per_second.describe * 0.5
    assert operation_rate(entities.stop, 1.0) == entities.requests_per_second.stop
    assert operation_rate("DetectSentiment", 0.5) is None, "outside the family: not paced one by one"
    assert operation_rate(entities.start, None) is None, "no share: operations are not paced one by one"


def test_aws_budgets_keep_to_half_of_each_quota_and_five_requests_a_second() -> None:
    assert (Budgets.for_aws().quota_share, Budgets.for_aws().requests_per_second) == (0.5, 5.0)
    assert (Budgets().quota_share, Budgets().requests_per_second) == (None, None)


def test_requests_to_one_operation_are_spaced_by_its_share_and_other_operations_keep_their_own_pace(
    tmp_path: Path, clock: Clock
) -> None:
    sentiment, entities = family().get("Sentiment"), family().get("Entities")
    pace = Pacer(Coordination(tmp_path), Budgets(quota_share=0.5))
    for _ in range(3):
        pace(sentiment.start)
    pace(entities.start)  # another operation's bucket: no wait of its own
    gap = 1 / (sentiment.requests_per_second.start * 0.5)
    assert clock.slept == [gap, gap]


def test_the_overall_rate_spaces_every_operation_together(tmp_path: Path, clock: Clock) -> None:
    pace = Pacer(Coordination(tmp_path), Budgets(requests_per_second=4.0))
    for job_type in list(family())[:3]:
        pace(job_type.describe)
    assert clock.slept == [0.25, 0.25]


def test_two_processes_sharing_the_directory_share_the_buckets(tmp_path: Path, clock: Clock) -> None:
    """Workers of one run open the controller's directory: a second Pacer over it waits behind the first's slot."""
    stop = family().seed.stop
    Pacer(Coordination(tmp_path), Budgets(quota_share=1.0))(stop)
    Pacer(Coordination(tmp_path), Budgets(quota_share=1.0))(stop)
    assert clock.slept == [1 / family().seed.requests_per_second.stop]


@pytest.fixture(scope="module")
def served() -> Iterator[RunningService]:
    with ReferenceService() as running:
        yield running


def test_both_senders_pace_each_attempt_by_the_operation_it_calls(served: RunningService) -> None:
    account = served.accounts[0]
    keys = Credentials(account.access_key_id, account.secret_access_key)
    paced: list[str] = []
    raw = RawSender(served.endpoint_url, served.region, keys, before_send=paced.append)
    raw.send("StopEntitiesDetectionJob", {"JobId": "0" * 32})
    client = comprehend_client(served.endpoint_url, served.region, keys, max_attempts=1)
    BotoTransport(client, NO_RETRIES, before_send=paced.append).call("DescribeEventsDetectionJob", {"JobId": "0" * 32})
    assert paced == ["StopEntitiesDetectionJob", "DescribeEventsDetectionJob"]
