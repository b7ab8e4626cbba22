"""Start and stop the reference: in-process as a context manager, or in the foreground for ``serve``."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import boto3
from werkzeug.serving import BaseWSGIServer, make_server

from comprehend_contract.reference.accounts import DEFAULT_ACCOUNTS, Account
from comprehend_contract.reference.faults import FaultPlan
from comprehend_contract.reference.http import ComprehendApp, EdgeApp, QuietJsonRequestHandler, WSGIApp
from comprehend_contract.reference.jobs import JobTable
from comprehend_contract.reference.operations import SentimentJobs
from comprehend_contract.reference.pacing import Pace
from comprehend_contract.reference.runner import JobRunner
from comprehend_contract.reference.storage import S3Storage

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """How to run the reference. The defaults make the suite's embedded target."""

    host: str = "127.0.0.1"
    port: int = 0
    region: str = "us-east-1"
    pace: Pace = field(default_factory=lambda: Pace.preset("fast"))
    s3_endpoint_url: str | None = None
    """An external S3 to read input from and write output to; None starts the embedded one."""
    accounts: tuple[Account, ...] = DEFAULT_ACCOUNTS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    read_timeout_seconds: float = 10.0
    faults: FaultPlan = field(default_factory=FaultPlan)
    """Fault rehearsal: requests answered with a server error, a throttle or a delay (``reference.faults``)."""


@dataclass(frozen=True, slots=True)
class RunningService:
    """Where a started reference listens, and the accounts it knows."""

    endpoint_url: str
    s3_endpoint_url: str
    region: str
    accounts: tuple[Account, ...]

    def ready_document(self) -> dict[str, Any]:
        """The ``--ready-file`` JSON document."""
        return {
            "endpoint_url": self.endpoint_url,
            "s3_endpoint_url": self.s3_endpoint_url,
            "region": self.region,
            "accounts": [
                {
                    "account_id": account.account_id,
                    "access_key_id": account.access_key_id,
                    "secret_access_key": account.secret_access_key,
                }
                for account in self.accounts
            ],
        }


def _embedded_s3() -> WSGIApp:
    """moto's S3 in server mode, as a WSGI application (its buckets live in this process's memory)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app: WSGIApp = DomainDispatcherApplication(create_backend_app)
    return app


class ReferenceService:
    """The reference implementation, started with ``with ReferenceService(config) as running: ...``."""

    def __init__(self, config: ServiceConfig | None = None) -> None:
        self.config = config or ServiceConfig()
        self.table = JobTable()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.edge: EdgeApp | None = None
        self.http: ComprehendApp | None = None
        self.operations: SentimentJobs | None = None
        self.runner: JobRunner | None = None
        self.running: RunningService | None = None

    def start(self) -> RunningService:
        config = self.config
        handler = type("Handler", (QuietJsonRequestHandler,), {"timeout": config.read_timeout_seconds})
        edge = EdgeApp(_NotReady(), None, config.s3_endpoint_url)
        # Bind here, so a busy port raises OSError (werkzeug would print and exit the process instead).
        with socket.create_server((config.host, config.port)) as listener:
            server = make_server(
                config.host, config.port, edge, threaded=True, request_handler=handler, fd=listener.fileno()
            )
        url = f"http://{_url_host(config.host)}:{server.socket.getsockname()[1]}"
        s3_url = config.s3_endpoint_url or url
        first = config.accounts[0]
        own_keys = {"aws_access_key_id": first.access_key_id, "aws_secret_access_key": first.secret_access_key}
        # an external S3 is reached with boto3's default credentials when there are any, else with the first
        # account's keys (what local S3 emulators accept)
        storage_credentials = (
            None if config.s3_endpoint_url and boto3.session.Session().get_credentials() is not None else own_keys
        )
        runner = JobRunner(self.table, S3Storage(s3_url, config.region, storage_credentials), config.pace)
        jobs = SentimentJobs(self.table, runner, config.region)
        comprehend = ComprehendApp(jobs, config.accounts, config.region, config.max_body_bytes, faults=config.faults)
        edge.comprehend = comprehend
        # the wiring, for the reference's own self-tests and the mutant zoo (tests/, mutants/); the suite never
        # touches it: it reaches the reference over HTTP only
        self.edge, self.http, self.operations, self.runner = edge, comprehend, jobs, runner
        edge.s3 = None if config.s3_endpoint_url else _embedded_s3()
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="reference-http", daemon=True)
        self._thread.start()
        self.running = RunningService(url, s3_url, config.region, config.accounts)
        return self.running

    def close(self) -> None:
        """Stop serving and end the job threads; jobs that were running stay as they are."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self.runner is not None:
            self.runner.close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = self.runner = self._thread = None

    def __enter__(self) -> RunningService:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class _NotReady:
    """Placeholder until the service is wired; never reached, since serving starts after wiring."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise RuntimeError("reference service is not started")


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
