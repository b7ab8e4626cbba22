"""Targets the suite starts in its own process: the reference implementation, and moto."""

from __future__ import annotations

import importlib.metadata
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from comprehend_contract import __version__
from comprehend_contract.clients import Credentials
from comprehend_contract.targets.profile import LARGE_INPUT, Budgets, TargetError, TargetProfile, budgets_from

MOTO_SECRET = "moto-testing-secret"


class ReferenceTarget:
    """The kit's reference implementation, started in-process (once per pytest process)."""

    name: str = "reference"
    kind: str = "reference"
    embedded: bool = True
    endpoint_url: str | None = None
    region: str = "us-east-1"
    implementation: tuple[str, str] | None = ("comprehend-contract reference", __version__)
    job_types: tuple[str, ...] = ()

    def __init__(self, values: Mapping[str, Any]) -> None:
        from comprehend_contract.reference import Pace, PaceError

        try:
            self.pace = Pace.preset(values.get("reference_pace") or "fast", values.get("reference_time_scale") or 1.0)
        except PaceError as error:
            raise TargetError(f"option --reference-pace: {error}") from None
        largest_job = self.pace.lifetime(LARGE_INPUT)
        self.budgets = budgets_from(values, Budgets.embedded(largest_job, self.pace.submitted_seconds))
        self._service: Any = None

    def start(self) -> TargetProfile:
        from comprehend_contract.reference import REHEARSAL_JOB_ID_PREFIX, FaultPlan, ReferenceService, ServiceConfig

        self._service = ReferenceService(ServiceConfig(pace=self.pace, faults=FaultPlan.rehearsal()))
        running = self._service.start()
        first, second = running.accounts[0], running.accounts[1]
        return TargetProfile(
            name=self.name,
            kind=self.name,
            endpoint_url=running.endpoint_url,
            s3_endpoint_url=running.s3_endpoint_url,
            region=running.region,
            credentials=Credentials(first.access_key_id, first.secret_access_key),
            second_credentials=Credentials(second.access_key_id, second.secret_access_key),
            bucket=f"comprehend-contract-{uuid.uuid4().hex[:12]}",
            role_arn=f"arn:aws:iam::{first.account_id}:role/ComprehendContractDataAccess",
            create_bucket=True,
            budgets=self.budgets,
            internal_error_job_id_prefix=REHEARSAL_JOB_ID_PREFIX,
        )

    def secrets(self) -> tuple[str, ...]:
        from comprehend_contract.reference import DEFAULT_ACCOUNTS

        return tuple(account.secret_access_key for account in DEFAULT_ACCOUNTS)

    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


class MotoTarget:
    """moto's server, started in-process on a loopback port, with moto's one default account."""

    name: str = "moto"
    kind: str = "moto"
    embedded: bool = True
    endpoint_url: str | None = None
    region: str = "us-east-1"
    implementation: tuple[str, str] | None = ("moto", importlib.metadata.version("moto"))
    job_types: tuple[str, ...] = ()

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.budgets = budgets_from(values, Budgets.embedded())
        self._server: Any = None

    def start(self) -> TargetProfile:
        from moto.server import ThreadedMotoServer

        for noisy in ("werkzeug", "moto"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        _, port = self._server.get_host_and_port()
        url = f"http://127.0.0.1:{port}"
        return TargetProfile(
            name=self.name,
            kind=self.name,
            endpoint_url=url,
            s3_endpoint_url=url,
            region="us-east-1",
            credentials=Credentials("AKIAMOTOTESTING00001", MOTO_SECRET),
            second_credentials=None,
            bucket=f"comprehend-contract-{uuid.uuid4().hex[:12]}",
            role_arn="arn:aws:iam::123456789012:role/ComprehendContractDataAccess",
            create_bucket=True,
            budgets=self.budgets,
        )

    def secrets(self) -> tuple[str, ...]:
        return (MOTO_SECRET,)

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
