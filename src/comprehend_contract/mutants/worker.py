"""The zoo's fork server: imports pytest, the kit and their dependencies once, then forks a child per mutant.

Run as ``python -m comprehend_contract.mutants.worker`` by the zoo (``fork`` mode), never by hand. It reads one JSON
request per line on stdin, ``{"id": N, "mutant": NAME, "work": DIR}``, forks a child for it at once (several may
run at the same time: the zoo bounds how many) and, when that child has ended, answers with one line on stdout,
``{"id": N, "exit": CODE}``. The child starts the mutant's reference, runs the suite in-process (``pytest.main``)
against it through a target profile, writes its terminal output to ``DIR/NAME.log`` and its kill to
``DIR/NAME.kill.json`` (``zoo.run_in_this_process``), and exits. Every child starts from the same freshly imported
state and ends with its session, so nothing one session does (modules, caches, globals, threads) reaches the next.
The server ends when its stdin ends and its children have.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.metadata
import inspect
import json
import os
import pkgutil
import selectors
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

from comprehend_contract.mutants.zoo import CLAUSE_FILES, run_in_this_process
from comprehend_contract.resources import contract_tests_dir

WARM = ("pytest", "boto3", "moto.moto_server.werkzeug_app", "hypothesis")
"""What every mutant's session would otherwise import itself, besides the kit's own modules and pytest's plugins."""

SESSION_TIMEOUT_SECONDS = 600


def warm() -> None:
    """Import what the sessions will import and load what they will load (service models, schemas, a reference's
    first start, the contract tests collected once). Whatever fails here is left for the session itself to report."""
    for name in (*WARM, *_kit_modules()):
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for entry_point in importlib.metadata.entry_points(group="pytest11"):
        with contextlib.suppress(Exception):
            entry_point.load()
    with contextlib.suppress(Exception):
        _load_once()
    with contextlib.suppress(Exception):
        _collect_once()
    # fill inspect's file-to-module cache for every module loaded so far: pytest looks up the source of each
    # failure's traceback, and a cold cache walks all of sys.modules in each child
    inspect.getmodule(warm.__code__)
    # fork only a single-threaded process: no other thread may hold a lock the children inherit
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(5)


def _kit_modules() -> list[str]:
    import comprehend_contract

    found = pkgutil.walk_packages(comprehend_contract.__path__, "comprehend_contract.", onerror=lambda name: None)
    return [module.name for module in found if not module.name.endswith("__main__")]


def _load_once() -> None:
    """What a session's first requests would load: schemas and their patterns, report templates, S3 and Comprehend
    models, the embedded S3's backends, every type's analysis, the reference's first Start and Describe."""
    from comprehend_contract.clients import Credentials, comprehend_client, s3_client
    from comprehend_contract.core.jobs import call
    from comprehend_contract.reference import ReferenceService, warm_up
    from comprehend_contract.reports.rendering import environment
    from comprehend_contract.spec import catalogue, load_schema, schema_names, validator_for
    from comprehend_contract.spec.family import family
    from comprehend_contract.spec.patterns import compile_pattern

    catalogue()
    for template in environment().list_templates():
        environment().get_template(template)  # each session writes report.html: compile its templates once
    for name in schema_names():
        validator_for(name)
        for pattern in _patterns(load_schema(name)):
            compile_pattern(pattern)
    with ReferenceService() as running:
        account = running.accounts[0]
        keys = Credentials(account.access_key_id, account.secret_access_key)
        s3 = s3_client(running.s3_endpoint_url, running.region, keys)
        comprehend = comprehend_client(running.endpoint_url, running.region, keys, max_attempts=1)
        bucket = "comprehend-contract-zoo-warm-up"
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="in/doc.txt", Body=b"A warm welcome.\n")
        warm_up()  # every type's analysis loads its tables and models
        job_type = family().seed  # a Start and a Describe: the request path, validation, the job table
        job_id = call(
            comprehend,
            job_type.start,
            InputDataConfig={"S3Uri": f"s3://{bucket}/in/", "InputFormat": "ONE_DOC_PER_LINE"},
            OutputDataConfig={"S3Uri": f"s3://{bucket}/out/"},
            DataAccessRoleArn=f"arn:aws:iam::{account.account_id}:role/ComprehendContractZoo",
            **job_type.start_with,
        )["JobId"]
        call(comprehend, job_type.describe, JobId=job_id)
        call(comprehend, job_type.list)
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                s3.delete_object(Bucket=bucket, Key=item["Key"])
        s3.delete_bucket(Bucket=bucket)


def _collect_once() -> None:
    """Collect the contract suite as a session would, its output discarded: each child's session then finds the
    contract tests imported (their asserts rewritten) and their parameters built, and only collects them. What it
    learns of each clause's test files (``zoo.CLAUSE_FILES``) lets each child collect those files alone."""
    import pytest

    class FilesOfClauses:
        def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
            found: dict[str, set[str]] = {}
            for item in items:
                for marker in item.iter_markers("clause"):
                    for clause in marker.args:
                        found.setdefault(str(clause), set()).add(item.path.name)
            CLAUSE_FILES.update({clause: tuple(sorted(files)) for clause, files in found.items()})

    suite = str(contract_tests_dir())
    with tempfile.TemporaryDirectory(prefix="comprehend-contract-zoo-warm-") as reports, _silenced():
        pytest.main(
            [suite, "--rootdir", suite, "-q", "-p", "no:cacheprovider", "--collect-only", "--report-dir", reports],
            plugins=[FilesOfClauses()],
        )


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """Standard output and error (the file descriptors: this process's stdout is the zoo's channel) to /dev/null."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved, null = (os.dup(1), os.dup(2)), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for descriptor in (*saved, null):
            os.close(descriptor)


def _patterns(schema: object) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
        return own + [pattern for value in schema.values() for pattern in _patterns(value)]
    if isinstance(schema, list):
        return [pattern for value in schema for pattern in _patterns(value)]
    return []


def fork_child(mutant: str, work: Path) -> int:
    """Fork a child that runs ``mutant`` and exits; its process id."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1  # the child, from here on: it never returns
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        signal.alarm(SESSION_TIMEOUT_SECONDS)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        log = os.open(work / f"{mutant}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        run_in_this_process(mutant, work)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    """Fork a child per request on stdin; answer each on stdout when its child has ended."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    children: dict[int, object] = {}
    pending = b""
    reading = True
    while reading or children:
        for key, _ in selector.select():
            if key.fileobj != 0:
                os.read(wake_read, 4096)
                continue
            data = os.read(0, 65536)
            if not data:
                selector.unregister(0)
                reading = False
            *lines, pending = (pending + data).split(b"\n")
            for line in filter(None, lines):
                request = json.loads(line)
                children[fork_child(request["mutant"], Path(request["work"]))] = request["id"]
        for pid in list(children):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                answer = {"id": children.pop(pid), "exit": os.waitstatus_to_exitcode(status)}
                print(json.dumps(answer), flush=True)


def main() -> int:
    warm()
    # what every child shares stays out of the children's garbage collections (pytest collects at the end of
    # each session: a full collection of this heap costs 0.1 s a time) and out of their copy-on-write pages
    gc.freeze()
    print(json.dumps({"ready": True}), flush=True)
    serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
