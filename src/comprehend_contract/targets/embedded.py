"""Targets the suite starts in its own process: the reference implementation, and moto."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.metadata
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from comprehend_contract import __version__
from comprehend_contract.clients import Credentials
from comprehend_contract.targets.profile import LARGE_INPUT, Budgets, TargetError, TargetProfile, budgets_from

MOTO_SECRET = "moto-testing-secret"
CHILD_MODULE = "comprehend_contract.reference.child"
CHILD_START_SECONDS = 60
"""How long the embedded reference may take to answer that it is ready (a cold start on a loaded machine)."""


class ReferenceTarget:
    """The kit's reference implementation, started as a child of this process (once per pytest process): its jobs'
    analyses and its answers then run beside the tests, not under their interpreter lock. The child ends when this
    process closes it, or when this process ends in any way (``reference.child``)."""

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
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    def start(self) -> TargetProfile:
        ready = self._start_child()
        first, second = ready["accounts"][0], ready["accounts"][1]
        return TargetProfile(
            name=self.name,
            kind=self.name,
            endpoint_url=ready["endpoint_url"],
            s3_endpoint_url=ready["s3_endpoint_url"],
            region=ready["region"],
            credentials=Credentials(first["access_key_id"], first["secret_access_key"]),
            second_credentials=Credentials(second["access_key_id"], second["secret_access_key"]),
            bucket=f"comprehend-contract-{uuid.uuid4().hex[:12]}",
            role_arn=f"arn:aws:iam::{first['account_id']}:role/ComprehendContractDataAccess",
            create_bucket=True,
            budgets=self.budgets,
            internal_error_job_id_prefix=ready["internal_error_job_id_prefix"],
        )

    def _start_child(self) -> dict[str, Any]:
        """Start ``reference.child`` in a session of its own (the terminal's Ctrl-C is the suite's to handle) and
        read its ready document; its log goes to a file, shown if it does not start."""
        handle, name = tempfile.mkstemp(prefix="comprehend-contract-reference-", suffix=".log")
        self._log = Path(name)
        with os.fdopen(handle, "wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", CHILD_MODULE, json.dumps(dataclasses.asdict(self.pace))],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self._stdout().readline()), daemon=True)
        reader.start()
        reader.join(CHILD_START_SECONDS)
        try:
            ready: dict[str, Any] = json.loads(line[0]) if line and line[0] else {}
        except ValueError:
            ready = {}
        if not ready:
            tail = self._log.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
            self.close()
            raise TargetError(
                f"the embedded reference did not start within {CHILD_START_SECONDS} s"
                + (f": {tail}" if tail else " and said nothing")
            )
        return ready

    def _stdout(self) -> Any:
        assert self._process is not None
        return self._process.stdout

    def secrets(self) -> tuple[str, ...]:
        from comprehend_contract.reference import DEFAULT_ACCOUNTS

        return tuple(account.secret_access_key for account in DEFAULT_ACCOUNTS)

    def close(self) -> None:
        """End the child: its standard input closed, it stops its jobs and exits (killed if it has not in 10 s)."""
        process, self._process = self._process, None
        if process is not None:
            for stream in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.unlink(missing_ok=True)
            self._log = None


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
        # its jobs and its bucket live in this process's server and go with it: waiting at the end for the jobs it
        # stopped protects nothing (and a stopped moto job never ends: the wait would be the whole job timeout)
        self.budgets = budgets_from(values, dataclasses.replace(Budgets.embedded(), end_wait_seconds=0.0))
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
