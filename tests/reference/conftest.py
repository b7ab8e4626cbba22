"""Fixtures for the reference's self-tests: one running reference, clients for both accounts, a bucket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, RawSender, comprehend_client, s3_client
from comprehend_contract.reference import ReferenceService, RunningService, ServiceConfig
from tests.reference.support import Jobs


@pytest.fixture(scope="session")
def reference() -> Iterator[RunningService]:
    with ReferenceService(ServiceConfig()) as running:
        yield running


def credentials(running: RunningService, index: int = 0) -> Credentials:
    account = running.accounts[index]
    return Credentials(account.access_key_id, account.secret_access_key)


@pytest.fixture(scope="session")
def comprehend(reference: RunningService) -> Any:
    return comprehend_client(reference.endpoint_url, reference.region, credentials(reference), max_attempts=1)


@pytest.fixture(scope="session")
def comprehend_b(reference: RunningService) -> Any:
    return comprehend_client(reference.endpoint_url, reference.region, credentials(reference, 1), max_attempts=1)


@pytest.fixture(scope="session")
def s3(reference: RunningService) -> Any:
    return s3_client(reference.s3_endpoint_url, reference.region, credentials(reference))


@pytest.fixture(scope="session")
def raw(reference: RunningService) -> RawSender:
    return RawSender(reference.endpoint_url, reference.region, credentials(reference))


@pytest.fixture(scope="session")
def bucket(s3: Any) -> str:
    name = f"reference-selftest-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def jobs(comprehend: Any, s3: Any, bucket: str) -> Jobs:
    return Jobs(comprehend, s3, bucket)
