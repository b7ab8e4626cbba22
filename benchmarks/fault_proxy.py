"""A flaky network in front of any endpoint: a loopback HTTP proxy that resets, throttles and delays requests.

    python benchmarks/fault_proxy.py UPSTREAM_URL --reset 0.1 --throttle 0.05 --delay 0.1 [--seed N] [--port P]

Each request is, by a seeded draw: reset before it reaches the upstream (``--reset``/2 of them) or after it was
answered there (the other half: the work was done, the answer lost); answered 503 ``ThrottlingException`` in
AWS's JSON 1.1 form without reaching the upstream (``--throttle``); delayed 0-2 s (``--delay``); or relayed as it
is. Binds 127.0.0.1 only. Used by ``benchmarks/faults.py`` and the fault self-test; runnable by hand to rehearse
any implementation behind a flaky network.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


@dataclass
class Faults:
    reset: float = 0.0
    throttle: float = 0.0
    delay: float = 0.0
    max_delay_seconds: float = 2.0
    latency_seconds: float = 0.0
    """Added to every request (a distant endpoint), on top of any drawn delay."""
    seed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"reset": 0, "throttle": 0, "delay": 0, "relayed": 0})

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()

    def draw(self) -> tuple[str, float]:
        """The fate of one request: reset-before, reset-after, throttle, delay (with seconds) or relay."""
        with self._lock:
            roll, pause = self._random.random(), self._random.random() * self.max_delay_seconds
            if roll < self.reset:
                fate = "reset-before" if roll < self.reset / 2 else "reset-after"
                self.counts["reset"] += 1
            elif roll < self.reset + self.throttle:
                fate = "throttle"
                self.counts["throttle"] += 1
            elif roll < self.reset + self.throttle + self.delay:
                fate = "delay"
                self.counts["delay"] += 1
            else:
                fate = "relay"
                self.counts["relayed"] += 1
            return fate, pause


class FaultProxy:
    """``with FaultProxy(upstream, Faults(...)) as url: ...`` serves the proxy on a loopback port."""

    def __init__(self, upstream: str, faults: Faults, port: int = 0) -> None:
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.faults = faults
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # an answer's headers and body are two writes: with Nagle's algorithm on, the body waits for the
            # client's delayed ACK of the headers (40 ms a request on Linux), more than the latency it models
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fate, pause = proxy.faults.draw()
                if proxy.faults.latency_seconds:
                    time.sleep(proxy.faults.latency_seconds)
                if fate == "reset-before":
                    self._reset()
                    return
                if fate == "throttle":
                    self._throttled()
                    return
                if fate == "delay":
                    time.sleep(pause)
                upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    if fate == "reset-after":
                        self._reset()
                        return
                    self.send_response(answer.status, answer.reason)
                    for name, value in answer.getheaders():
                        if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            def _reset(self) -> None:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def _throttled(self) -> None:
                body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
                self.send_response(503)
                for name, value in (
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("x-amzn-RequestId", str(uuid.uuid4())),
                    ("x-amzn-ErrorType", "ThrottlingException"),
                    ("Content-Length", str(len(body))),
                ):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="fault-proxy", daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_profile(path: Path, service: Any, endpoint: str, budgets: str) -> Path:
    """A target profile for the running reference ``service`` reached at ``endpoint`` (S3 directly), with the
    fault rehearsal it runs and the ``[budgets]`` lines given."""
    from comprehend_contract.reference import REHEARSAL_JOB_ID_PREFIX

    running = service.running
    first, second = running.accounts[0], running.accounts[1]
    path.write_text(
        f'name = "{path.stem}"\nendpoint_url = "{endpoint}"\ns3_endpoint_url = "{running.endpoint_url}"\n'
        f'region = "{running.region}"\n'
        f'[credentials]\naccess_key_id = "{first.access_key_id}"\nsecret_access_key = "{first.secret_access_key}"\n'
        f'[second_credentials]\naccess_key_id = "{second.access_key_id}"\n'
        f'secret_access_key = "{second.secret_access_key}"\n'
        f'[s3]\nbucket = "bench-{path.stem}"\nrole_arn = "arn:aws:iam::{first.account_id}:role/Bench"\n'
        f"create_bucket = true\n[budgets]\n{budgets}\n"
        f'[rehearsal]\ninternal_error_job_id_prefix = "{REHEARSAL_JOB_ID_PREFIX}"\n',
        encoding="utf-8",
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream")
    parser.add_argument("--reset", type=float, default=0.05)
    parser.add_argument("--throttle", type=float, default=0.025)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    faults = Faults(args.reset, args.throttle, args.delay, latency_seconds=args.latency, seed=args.seed)
    with FaultProxy(args.upstream, faults, args.port) as url:
        print(f"fault proxy {url} -> {args.upstream}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print(f"faults: {faults.counts}")


if __name__ == "__main__":
    main()
