"""Start and stop the reference: in-process as a context manager, or in the foreground for ``serve``."""

from __future__ import annotations

import functools
import socket
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import boto3
from werkzeug.serving import BaseWSGIServer, make_server

from comprehend_contract.reference.accounts import DEFAULT_ACCOUNTS, Account
from comprehend_contract.reference.behaviour import Behaviour, JobBook
from comprehend_contract.reference.faults import FaultPlan
from comprehend_contract.reference.http import ComprehendApp, EdgeApp, QuietJsonRequestHandler, WSGIApp
from comprehend_contract.reference.jobs import JobTable
from comprehend_contract.reference.operations import SentimentJobs
from comprehend_contract.reference.pacing import Pace
from comprehend_contract.reference.runner import JobRunner
from comprehend_contract.reference.storage import S3Storage

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
SHUTDOWN_POLL_SECONDS = 0.05
"""How often the serving thread checks for ``close()`` (the standard library's 0.5 s made every close take 0.5 s)."""


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
    behaviour: Behaviour = field(default_factory=Behaviour)
    """Behaviour seams: hooks that vary validation, operations, job ends, output and responses (``behaviour``)."""


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


@functools.cache
def _embedded_s3() -> WSGIApp:
    """moto's S3 in server mode, as a WSGI application: one per process, since its buckets live in this process's
    memory whichever application serves them (building it for each start cost each start a third of a second)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app: WSGIApp = DomainDispatcherApplication(create_backend_app)
    return app


class ReferenceService:
    """The reference implementation, started with ``with ReferenceService(config) as running: ...``.

    Its public face is ``config``, ``running`` (where it listens, once started), ``jobs`` (the job table,
    read-only) and ``start``/``close``; to vary what it does, give ``ServiceConfig`` a ``Behaviour``.
    """

    def __init__(self, config: ServiceConfig | None = None) -> None:
        self.config = config or ServiceConfig()
        self.running: RunningService | None = None
        self._table = JobTable()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._runner: JobRunner | None = None

    @property
    def jobs(self) -> JobBook:
        """Every job the service has started, read-only (``JobView`` snapshots): for self-tests and tooling."""
        return JobBook(self._table)

    @property
    def table(self) -> JobBook:
        """The same read-only view as ``jobs``, under the name older self-tests use."""
        return self.jobs

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
        behaviour = config.behaviour
        storage = S3Storage(s3_url, config.region, storage_credentials)
        runner = JobRunner(self._table, storage, config.pace, behaviour)
        jobs = SentimentJobs(self._table, runner, config.region, behaviour=behaviour)
        edge.comprehend = ComprehendApp(
            jobs, config.accounts, config.region, config.max_body_bytes, faults=config.faults, behaviour=behaviour
        )
        edge.s3 = None if config.s3_endpoint_url else _embedded_s3()
        self._runner = runner
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="reference-http",
            daemon=True,
        )
        self._thread.start()
        self.running = RunningService(url, s3_url, config.region, config.accounts)
        return self.running

    def close(self) -> None:
        """Stop serving and end the job threads; jobs that were running stay as they are."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._runner is not None:
            self._runner.close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = self._runner = self._thread = None

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
