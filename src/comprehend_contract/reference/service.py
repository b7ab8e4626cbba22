"""Start and stop the reference: in-process as a context manager, or in the foreground for ``serve``."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import boto3

from comprehend_contract.reference.accounts import DEFAULT_ACCOUNTS, Account
from comprehend_contract.reference.behaviour import Behaviour, JobBook
from comprehend_contract.reference.faults import FaultPlan
from comprehend_contract.reference.http import ComprehendApp, EdgeApp
from comprehend_contract.reference.jobs import JobTable
from comprehend_contract.reference.operations import DetectionJobs
from comprehend_contract.reference.pacing import Pace
from comprehend_contract.reference.runner import JobRunner
from comprehend_contract.reference.s3 import embedded_s3
from comprehend_contract.reference.server import ReferenceServer, RequestHandler
from comprehend_contract.reference.storage import S3Storage
from comprehend_contract.reference.tls import self_signed

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
    """Fault rehearsal: server errors, throttles, delays, resets and latency for chosen requests (``faults``)."""
    behaviour: Behaviour = field(default_factory=Behaviour)
    """Behaviour seams: hooks that vary validation, operations, job ends, output and responses (``behaviour``)."""
    tls: bool = False
    """Serve HTTPS with a self-signed certificate for 127.0.0.1, ::1 and localhost, made at start
    (``RunningService.certificate``: the PEM clients trust, e.g. as ``AWS_CA_BUNDLE``)."""


@dataclass(frozen=True, slots=True)
class RunningService:
    """Where a started reference listens, and the accounts it knows."""

    endpoint_url: str
    s3_endpoint_url: str
    region: str
    accounts: tuple[Account, ...]
    certificate: str | None = None
    """With TLS: the PEM of the server's self-signed certificate, the CA bundle a client verifies it with."""

    def ready_document(self, ca_bundle: str | None = None) -> dict[str, Any]:
        """The ``--ready-file`` JSON document (with ``ca_bundle``, the path of the certificate, under TLS)."""
        document: dict[str, Any] = {
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
        if ca_bundle is not None:
            document["ca_bundle"] = ca_bundle
        return document


class ReferenceService:
    """The reference implementation, started with ``with ReferenceService(config) as running: ...``.

    Its public face is ``config``, ``running`` (where it listens, once started), ``jobs`` (the job table,
    read-only) and ``start``/``close``; to vary what it does, give ``ServiceConfig`` a ``Behaviour``.
    """

    def __init__(self, config: ServiceConfig | None = None) -> None:
        self.config = config or ServiceConfig()
        self.running: RunningService | None = None
        self._table = JobTable()
        self._server: ReferenceServer | None = None
        self._thread: threading.Thread | None = None
        self._runner: JobRunner | None = None
        self._certificate_file: str | None = None

    @property
    def jobs(self) -> JobBook:
        """Every job the service has started, read-only (``JobView`` snapshots): for self-tests and tooling."""
        return JobBook(self._table)

    def start(self) -> RunningService:
        config = self.config
        handler = type(
            "Handler",
            (RequestHandler,),
            {"timeout": config.read_timeout_seconds, "max_skip_bytes": config.max_body_bytes},
        )
        edge = EdgeApp(_NotReady(), None, config.s3_endpoint_url)
        secured = self_signed() if config.tls else None
        # Bind here, so a busy port raises OSError (werkzeug would print and exit the process instead).
        with socket.create_server((config.host, config.port)) as listener:
            server = ReferenceServer(
                config.host, config.port, edge, handler, listener.fileno(), None if secured is None else secured.context
            )
        scheme = "http" if secured is None else "https"
        url = f"{scheme}://{_url_host(config.host)}:{server.socket.getsockname()[1]}"
        s3_url = config.s3_endpoint_url or url
        verify: str | None = None
        if secured is not None and config.s3_endpoint_url is None:  # the jobs reach the embedded S3 over this TLS
            verify = self._certificate_file = _write_certificate(secured.certificate_pem)
        first = config.accounts[0]
        own_keys = {"aws_access_key_id": first.access_key_id, "aws_secret_access_key": first.secret_access_key}
        # an external S3 is reached with boto3's default credentials when there are any, else with the first
        # account's keys (what local S3 emulators accept)
        storage_credentials = (
            None if config.s3_endpoint_url and boto3.session.Session().get_credentials() is not None else own_keys
        )
        behaviour = config.behaviour
        storage = S3Storage(s3_url, config.region, storage_credentials, verify=verify)
        runner = JobRunner(self._table, storage, config.pace, behaviour)
        jobs = DetectionJobs(self._table, runner, config.region, behaviour=behaviour)
        edge.comprehend = ComprehendApp(
            jobs, config.accounts, config.region, config.max_body_bytes, faults=config.faults, behaviour=behaviour
        )
        edge.s3 = None if config.s3_endpoint_url else embedded_s3()
        self._runner = runner
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="reference-http",
            daemon=True,
        )
        self._thread.start()
        certificate = None if secured is None else secured.certificate_pem
        self.running = RunningService(url, s3_url, config.region, config.accounts, certificate)
        return self.running

    def close(self) -> None:
        """Stop serving (open keep-alive connections included) and end the job threads; jobs that were running
        stay as they are."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
        if self._runner is not None:
            self._runner.close()
        if self._thread is not None:
            self._thread.join(5)
        if self._certificate_file is not None:
            os.unlink(self._certificate_file)
        self._server = self._runner = self._thread = self._certificate_file = None

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


def _write_certificate(pem: str) -> str:
    """The certificate (public) in a temporary file, for the jobs' own S3 client to verify the server with."""
    descriptor, path = tempfile.mkstemp(prefix="comprehend-contract-", suffix=".cert.pem")
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(pem)
    return path


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
