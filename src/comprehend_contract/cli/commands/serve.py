"""``comprehend-contract serve``: the reference implementation in the foreground, until Ctrl-C or SIGTERM.

It listens, writes the ready file (and, under ``--tls``, the certificate beside it), prints where it is, and on a
signal stops serving and removes both files.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

from comprehend_contract.cli import values
from comprehend_contract.cli.errors import EXIT_OK, CliError


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the reference implementation in the foreground (a local Comprehend job service)",
        description="Run the reference implementation: Comprehend's job operations and, unless "
        "--s3-endpoint-url is given, an embedded S3, on one loopback port. Stop it with Ctrl-C or SIGTERM.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=values.port, default=0, help="port to bind (default: 0, any free port)")
    serve.add_argument("--region", default="us-east-1", help="the region requests must be signed for")
    serve.add_argument(
        "--ready-file", type=Path, help="write endpoints and account credentials here as JSON when ready"
    )
    serve.add_argument("--pace", choices=("fast", "aws-like"), default="fast", help="job timing preset (default: fast)")
    serve.add_argument("--time-scale", type=values.positive, default=1.0, help="multiply every preset duration by F")
    serve.add_argument(
        "--submitted-seconds", type=values.seconds, help="seconds a job stays SUBMITTED (overrides the preset)"
    )
    serve.add_argument(
        "--per-document-seconds", type=values.seconds, help="seconds spent on each document (overrides the preset)"
    )
    serve.add_argument("--s3-endpoint-url", type=values.http_url, help="use this S3 instead of the embedded one")
    serve.add_argument(
        "--faults",
        action="append",
        default=[],
        metavar="RULE",
        help="rehearse a fault: KIND[:key=value,...], KIND internal|throttle|unavailable|delay|reset|latency, keys "
        "operation, job-id-prefix, first-only, rate, seconds, when=before|after (reset) (repeatable; see README, "
        "'Fault rehearsal')",
    )
    serve.add_argument("--fault-seed", type=int, default=0, metavar="N", help="seed of the faults' rates (default: 0)")
    serve.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost, written beside the ready file "
        "as READY-FILE.cert.pem (its path is the ready file's ca_bundle; use it as AWS_CA_BUNDLE)",
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from comprehend_contract.reference import (
        FaultPlan,
        FaultSpecError,
        Pace,
        ReferenceService,
        ServiceConfig,
        TlsUnavailable,
        warm_up,
    )

    try:
        faults = FaultPlan.of(args.faults, seed=args.fault_seed)
    except FaultSpecError as error:
        raise CliError(f"--faults: {error}") from None
    pace = Pace.preset(args.pace, args.time_scale)
    overrides = {
        name: getattr(args, name)
        for name in ("submitted_seconds", "per_document_seconds")
        if getattr(args, name) is not None
    }
    pace = dataclasses.replace(pace, **overrides)
    ready_file: Path | None = args.ready_file
    if ready_file is not None and not ready_file.parent.is_dir():
        raise CliError(f"--ready-file: directory {ready_file.parent} does not exist")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    config = ServiceConfig(
        host=args.host,
        port=args.port,
        region=args.region,
        pace=pace,
        s3_endpoint_url=args.s3_endpoint_url,
        faults=faults,
        tls=args.tls,
    )
    service = ReferenceService(config)
    try:
        running = service.start()
    except OSError as error:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    except TlsUnavailable as error:
        raise CliError(f"--tls: {error}") from None
    threading.Thread(target=warm_up, name="analyses-warm-up", daemon=True).start()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    certificate: Path | None = None
    try:
        if running.certificate is not None:
            certificate = _certificate_file(ready_file)
            certificate.write_text(running.certificate, encoding="ascii")
        if ready_file is not None:
            partial = ready_file.with_name(ready_file.name + ".partial")
            document = running.ready_document(None if certificate is None else str(certificate.resolve()))
            partial.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            partial.replace(ready_file)
        s3_where = "same port" if running.s3_endpoint_url == running.endpoint_url else running.s3_endpoint_url
        accounts = ", ".join(account.account_id for account in running.accounts)
        trust = "" if certificate is None else f", certificate {certificate}"
        print(
            f"comprehend-contract reference ready: Comprehend at {running.endpoint_url} (S3: {s3_where}), "
            f"region {running.region}, accounts {accounts}{trust}",
            flush=True,
        )
        stop.wait()
    finally:
        service.close()
        if ready_file is not None:
            ready_file.unlink(missing_ok=True)
        if certificate is not None:
            certificate.unlink(missing_ok=True)
    print("comprehend-contract reference stopped", flush=True)
    return EXIT_OK


def _certificate_file(ready_file: Path | None) -> Path:
    """Where clients find the certificate to verify the server with (AWS_CA_BUNDLE): beside the ready file, else in
    a temporary file."""
    if ready_file is not None:
        return ready_file.with_name(ready_file.name + ".cert.pem")
    handle, name = tempfile.mkstemp(prefix="comprehend-contract-", suffix=".cert.pem")
    os.close(handle)
    return Path(name)
