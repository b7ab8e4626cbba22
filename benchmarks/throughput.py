"""Describe requests per second: the reference against moto's server, with 1 and 8 client threads.

    .venv/bin/python benchmarks/throughput.py [--seconds 3] [--rounds 3] [--threads 1 8]

Both servers run in this process (``ReferenceService``; ``moto.server.ThreadedMotoServer``), each with one job
started on it. Each client thread has its own ``RawSender`` (the kit's raw signed requests, through botocore's HTTP
session: one connection, reused for as long as the server keeps it alive) and sends DescribeSentimentDetectionJob
for that job for a fixed time. Rounds interleave the two servers, so that both meet the same machine; the figure of
each is its best round. Prints req/s for each and the ratio reference / moto (goal: >= 3).

Then each server runs in a process of its own (``comprehend-contract serve``, ``python -m moto.server``) and is
measured once with the most client threads: requests per second, and the server process's CPU time per answered
request. In-process, both rates are bounded by the clients' own cost (botocore signing and HTTP, about 0.8 ms of
CPU per request, sharing one GIL with the server); the server's CPU per request is what the server itself costs.

``--per-type [--baseline COMMIT]``: only the reference in its own process, each job type's Describe in turn (rate and
server CPU per request), after the sentiment Describe of ``COMMIT``'s reference (its tree from ``git archive``, run
with this virtualenv), and the ratio of today's costliest type to it (issue 20's goal: no worse, <= 1).

Before persistent connections and the faster request path (issue 12; every answer said ``Connection: close``), the
same measurement gave reference 576 and 462 req/s against moto's 346 and 324 (1 and 8 threads): 1.7 and 1.4 times.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moto.server import ThreadedMotoServer

from comprehend_contract.clients import Credentials, RawSender, comprehend_client, s3_client
from comprehend_contract.core.jobs import call
from comprehend_contract.reference import ReferenceService, ServiceConfig
from comprehend_contract.spec.family import JobType, family

ROOT = Path(__file__).resolve().parents[1]
DESCRIBE = "DescribeSentimentDetectionJob"
ROLE = "arn:aws:iam::111111111111:role/ComprehendDataAccess"


@dataclass(frozen=True)
class Subject:
    """A server to measure: where it is, how to sign for it, and the job to describe."""

    name: str
    endpoint_url: str
    region: str
    credentials: Credentials
    job_id: str


def start_job(endpoint_url: str, region: str, credentials: Credentials, with_input: bool) -> str:
    """Start one sentiment job (over a small input in the server's own S3 if ``with_input``); its JobId."""
    bucket = "throughput-benchmark"
    if with_input:
        s3 = s3_client(endpoint_url, region, credentials)
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="in/docs.txt", Body=b"I love this.\nThis is awful.\n")
    client = comprehend_client(endpoint_url, region, credentials)
    started = client.start_sentiment_detection_job(
        InputDataConfig={"S3Uri": f"s3://{bucket}/in/", "InputFormat": "ONE_DOC_PER_LINE"},
        OutputDataConfig={"S3Uri": f"s3://{bucket}/out/"},
        DataAccessRoleArn=ROLE,
        LanguageCode="en",
        JobName="throughput",
    )
    job_id: str = started["JobId"]
    return job_id


def measure(subject: Subject, threads: int, seconds: float, describe: str = DESCRIBE) -> tuple[float, int]:
    """Describe requests per second answered 200 by ``subject`` with ``threads`` client threads; and the others."""
    senders = [RawSender(subject.endpoint_url, subject.region, subject.credentials) for _ in range(threads)]
    for sender in senders:  # open each thread's connection before the clock starts
        sender.send(describe, {"JobId": subject.job_id})
    counts = [0] * threads
    failures = [0] * threads
    ready = threading.Barrier(threads + 1)
    deadline: list[float] = []

    def client(index: int) -> None:
        sender, body = senders[index], {"JobId": subject.job_id}
        ready.wait()
        end = deadline[0]
        while time.perf_counter() < end:
            if sender.send(describe, body).status == 200:
                counts[index] += 1
            else:
                failures[index] += 1

    workers = [threading.Thread(target=client, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    ready.wait()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    return sum(counts) / elapsed, sum(failures)


def with_servers(run: Callable[[Subject, Subject], None]) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request otherwise
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        moto_url = f"http://{host}:{port}"
        moto_keys = Credentials("testing", "testing")
        with ReferenceService(ServiceConfig()) as running:
            account = running.accounts[0]
            keys = Credentials(account.access_key_id, account.secret_access_key)
            reference = Subject(
                "reference",
                running.endpoint_url,
                running.region,
                keys,
                start_job(running.endpoint_url, running.region, keys, True),
            )
            moto_subject = Subject(
                "moto", moto_url, running.region, moto_keys, start_job(moto_url, running.region, moto_keys, False)
            )
            run(reference, moto_subject)
    finally:
        moto.stop()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux: /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def out_of_process(threads: int, seconds: float) -> None:
    """Each server in a process of its own (``comprehend-contract serve``; ``python -m moto.server``): requests per
    second with ``threads`` client threads here, and the server process's CPU time per answered request."""
    with tempfile.TemporaryDirectory() as directory:
        ready = Path(directory) / "ready.json"
        port = free_port()
        servers = {
            "reference": subprocess.Popen([sys.executable, "-m", "comprehend_contract", "serve", "--ready-file",
                                           str(ready)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            "moto": subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        }  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not ready.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            answer = json.loads(ready.read_text(encoding="utf-8"))
            account = answer["accounts"][0]
            keys = Credentials(account["access_key_id"], account["secret_access_key"])
            moto_url, moto_keys = f"http://127.0.0.1:{port}", Credentials("testing", "testing")
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            subjects = [
                Subject("reference", answer["endpoint_url"], answer["region"], keys,
                        start_job(answer["endpoint_url"], answer["region"], keys, True)),
                Subject("moto", moto_url, answer["region"], moto_keys,
                        start_job(moto_url, answer["region"], moto_keys, False)),
            ]  # fmt: skip
            costs = {}
            print(f"each server in its own process, {threads} client thread(s) here, {seconds:g} s:")
            for subject in subjects:
                before = cpu_seconds(servers[subject.name].pid)
                rate, _ = measure(subject, threads, seconds)
                used = cpu_seconds(servers[subject.name].pid) - before
                costs[subject.name] = used / (rate * seconds)
                print(
                    f"  {subject.name:9} {rate:6.0f} req/s, server CPU {costs[subject.name] * 1000:.2f} ms per request"
                )
            print(f"  server CPU per request, moto / reference = {costs['moto'] / costs['reference']:.1f}")
        finally:
            for server in servers.values():
                server.terminate()
                server.wait(10)


def serve(tree: Path | None, ready: Path) -> subprocess.Popen[bytes]:
    """``comprehend-contract serve`` from ``tree`` (another commit's checkout) or from this kit, in its own process."""
    environment = {**os.environ, **({"PYTHONPATH": str(tree / "src")} if tree is not None else {})}
    command = [sys.executable, "-m", "comprehend_contract", "serve", "--ready-file", str(ready)]
    return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def served(ready: Path) -> tuple[dict[str, Any], Credentials]:
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    answer: dict[str, Any] = json.loads(ready.read_text(encoding="utf-8"))
    account = answer["accounts"][0]
    return answer, Credentials(account["access_key_id"], account["secret_access_key"])


def start_job_of(job_type: JobType, endpoint_url: str, region: str, credentials: Credentials) -> str:
    """Start one job of ``job_type`` over a small input in the server's own S3; its JobId."""
    bucket = f"throughput-{job_type.name.lower()}"
    s3 = s3_client(endpoint_url, region, credentials)
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="in/docs.txt", Body=b"Jane Doe of Acme Corp loves Seattle.\nThis is awful.\n")
    client = comprehend_client(endpoint_url, region, credentials)
    started = call(
        client,
        job_type.start,
        InputDataConfig={"S3Uri": f"s3://{bucket}/in/", "InputFormat": "ONE_DOC_PER_LINE"},
        OutputDataConfig={"S3Uri": f"s3://{bucket}/out/"},
        DataAccessRoleArn=ROLE,
        JobName="throughput",
        **job_type.start_with,
    )
    job_id: str = started["JobId"]
    return job_id


def per_type(threads: int, seconds: float, baseline: str | None) -> None:
    """The reference in its own process: each type's Describe, requests per second with ``threads`` client threads
    and the server's CPU per request; with ``baseline``, that commit's reference (its sentiment Describe) first."""
    with tempfile.TemporaryDirectory() as directory:
        trees: list[tuple[str, Path | None]] = [("today", None)]
        if baseline is not None:
            tree = Path(directory) / "baseline"
            tree.mkdir()
            archive = subprocess.run(["git", "archive", baseline], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            trees.insert(0, (baseline, tree))
        print(f"the reference in its own process, each type's Describe, {threads} client thread(s), {seconds:g} s:")
        costs: dict[str, float] = {}
        for label, tree in trees:
            ready = Path(directory) / f"ready-{label}.json"
            server = serve(tree, ready)
            try:
                answer, keys = served(ready)
                time.sleep(2)  # past the server's start-up work (today's warms its analyses up on a thread)
                types = [family().seed] if tree is not None else list(family())
                for job_type in types:
                    job_id = start_job_of(job_type, answer["endpoint_url"], answer["region"], keys)
                    subject = Subject(label, answer["endpoint_url"], answer["region"], keys, job_id)
                    measure(subject, threads, 0.5, job_type.describe)  # the job has run; connections are open
                    before = cpu_seconds(server.pid)
                    rate, _ = measure(subject, threads, seconds, job_type.describe)
                    cost = (cpu_seconds(server.pid) - before) / (rate * seconds)
                    costs[f"{label} {job_type.name}"] = cost
                    said = f"{rate:6.0f} req/s, server CPU {cost * 1000:.2f} ms/request"
                    print(f"  {label:>9} {job_type.describe:<40} {said}")
            finally:
                server.terminate()
                server.wait(10)
        if baseline is not None:
            before = costs[f"{baseline} {family().seed.name}"]
            worst = max(cost for name, cost in costs.items() if name.startswith("today "))
            print(f"  server CPU per Describe, today's costliest type / {baseline}'s sentiment = {worst / before:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement (default: 3)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default: 3)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8], help="client threads (default: 1 8)")
    parser.add_argument("--per-type", action="store_true", help="only each type's Describe, served (see --baseline)")
    parser.add_argument("--baseline", metavar="COMMIT", help="with --per-type: that commit's reference first")
    args = parser.parse_args()
    if args.per_type:
        per_type(max(args.threads), args.seconds, args.baseline)
        return

    def run(reference: Subject, moto: Subject) -> None:
        rates: dict[tuple[str, int], list[float]] = {}
        failed = 0
        for number in range(args.rounds):
            for threads in args.threads:
                for subject in (reference, moto) if number % 2 == 0 else (moto, reference):
                    rate, failures = measure(subject, threads, args.seconds)
                    rates.setdefault((subject.name, threads), []).append(rate)
                    failed += failures
                    print(f"  round {number + 1}: {subject.name:9} {threads} thread(s): {rate:7.0f} req/s", flush=True)
        print(f"DescribeSentimentDetectionJob, {args.seconds:g} s per measurement, best of {args.rounds} rounds:")
        for threads in args.threads:
            best_reference, best_moto = max(rates["reference", threads]), max(rates["moto", threads])
            median_reference = statistics.median(rates["reference", threads])
            median_moto = statistics.median(rates["moto", threads])
            print(
                f"  {threads} thread(s): reference {best_reference:6.0f} req/s (median {median_reference:.0f}), "
                f"moto {best_moto:6.0f} req/s (median {median_moto:.0f}), "
                f"reference / moto = {best_reference / best_moto:.2f}   (goal >= 3)"
            )
        if failed:
            print(f"  {failed} answers were not 200")

    with_servers(run)
    out_of_process(max(args.threads), args.seconds)


if __name__ == "__main__":
    main()
