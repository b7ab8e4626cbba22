"""The ``comprehend-contract`` command line: run the suite, and inspect the spec the kit encodes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from comprehend_contract import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NO_TESTS = 5
"""pytest's own code for "no tests were collected", kept so a CI never mistakes an empty run for a pass."""


class CliError(Exception):
    """A user error the CLI reports in one line, without a traceback."""

    exit_code = 2


class RunUsageError(CliError):
    """A bad option of ``run``: exit 4, as pytest's own usage errors (the run's status codes are pytest's)."""

    exit_code = 4


class CommandParser(argparse.ArgumentParser):
    """A command's parser: a bad option is one line; ``run``'s exit with 4, like every usage error of a run."""

    def __init__(self, *args: Any, usage_exit: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.usage_exit = usage_exit

    def error(self, message: str) -> NoReturn:
        hint = " (pytest's own options go after --)" if "unrecognized arguments" in message else ""
        self.exit(self.usage_exit, f"{self.prog}: error: {message}{hint}\n")


def _cmd_run(args: argparse.Namespace) -> int:
    import os
    import signal
    import subprocess

    from comprehend_contract.options import PARENT_PID_VARIABLE
    from comprehend_contract.resources import contract_tests_dir

    suite = contract_tests_dir()
    chosen = _suite_options(args)
    terse = [] if _asks_for_detail(args.pytest_args) else ["--tb=no", "-rN"]
    command = [sys.executable, "-m", "pytest", str(suite), "--rootdir", str(suite), *terse]
    if "no:cacheprovider" not in args.pytest_args:
        # pytest's cache (--lf, --ff) in the working directory, not in the suite's, which may be in site-packages
        command += ["-o", f"cache_dir={Path.cwd() / '.pytest_cache'}"]
    # A fresh interpreter, so that pytest can rewrite the asserts of the kit's own harness modules; in a session
    # of its own, so that a terminal's Ctrl-C reaches it once, through this process: the suite then stops its jobs,
    # removes its objects and writes a report marked interrupted. It watches this process, and does the same if
    # this process dies (SIGKILL, a lost CI runner).
    environment = {**os.environ, PARENT_PID_VARIABLE: str(os.getpid())}
    child = subprocess.Popen([*command, *chosen, *args.pytest_args], env=environment, start_new_session=True)
    received: list[int] = []

    def forward(signum: int, frame: object) -> None:
        received.append(signum)
        if len(received) == 1:
            child.send_signal(signum)
            print(f"comprehend-contract: {signal.Signals(signum).name}: stopping the run's jobs and cleaning up "
                  "(again twice to kill it at once)", file=sys.stderr)  # fmt: skip
        elif len(received) >= 3:
            child.kill()

    previous = {signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received:
        return 128 + received[0]
    if code == EXIT_NO_TESTS:
        print(
            f"comprehend-contract: no contract tests were collected from {suite}: nothing was checked, "
            "so there is no verdict. (The suite has no contract tests yet, or the given arguments selected none.)",
            file=sys.stderr,
        )
    return code


def _settings(args: argparse.Namespace, names: frozenset[str]) -> Any:
    """The run settings the command line gave for the options ``names`` (environment variables fill the rest)."""
    from comprehend_contract.options import OptionError, Settings

    try:
        return Settings.read(lambda name: getattr(args, f"cc_{name}", None) if name in names else None)
    except OptionError as error:
        raise CliError(str(error)) from None


def _add_options(parser: argparse.ArgumentParser, names: frozenset[str]) -> None:
    """The options of the one option table named by ``names``, each with its environment variable."""
    from comprehend_contract.options import OPTIONS

    for option in OPTIONS:
        if option.name not in names:
            continue
        how: dict[str, Any] = {"dest": f"cc_{option.name}", "help": f"{option.help} [env: {option.env}]"}
        if option.kind == "clauses":
            how.update(action="append", metavar=option.metavar)
        elif option.kind == "bool":
            how.update(nargs="?", const="true", metavar="true/false")
        else:
            how.update(metavar=option.metavar)
        parser.add_argument(option.flag, **how)


def _cmd_cleanup(args: argparse.Namespace) -> int:
    import re

    from comprehend_contract.harness.cleanup import clean_up
    from comprehend_contract.options import OPTIONS, OptionError
    from comprehend_contract.targets import resolve_target

    if not re.fullmatch(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}", args.run_id):
        raise CliError(f"--run-id {args.run_id!r} is not a run id (like 20261129T031200Z-1a2b3c)")
    settings = _settings(args, frozenset(o.name for o in OPTIONS if o.target))
    try:
        target = resolve_target(settings.target_values())
    except OptionError as error:
        raise CliError(str(error)) from None
    if target.embedded:
        raise CliError(f"--target {target.name} is embedded: its jobs and objects ended with the run's process")
    cleaned = clean_up(target.start(), args.run_id)
    print(
        f"comprehend-contract cleanup: run {args.run_id} on '{target.name}': stopped {len(cleaned.stopped)} job(s)"
        + (f" ({', '.join(cleaned.stopped)})" if cleaned.stopped else "")
        + f", removed {cleaned.objects_removed} object(s)"
    )
    return EXIT_OK


def _suite_options(args: argparse.Namespace) -> list[str]:
    """The suite options given to ``run`` (checked now: a bad value is one line, exit 4), as pytest flags."""
    from comprehend_contract.options import OPTIONS, OptionError, Settings

    given = {o.name: getattr(args, f"cc_{o.name}") for o in OPTIONS if getattr(args, f"cc_{o.name}") not in (None, [])}
    try:
        Settings.read(given.get)
    except OptionError as error:
        raise RunUsageError(str(error)) from None
    flags: list[str] = []
    for option in OPTIONS:
        value = given.get(option.name)
        for one in value if isinstance(value, list) else ([] if value is None else [value]):
            flags += [option.flag, str(one)]
    return flags


def _asks_for_detail(pytest_args: Sequence[str]) -> bool:
    """Whether pytest's own arguments ask for per-test output (else the run prints the verdicts, not tracebacks)."""
    return any(arg.startswith(("-v", "--verbose", "--tb", "-r", "-l", "--showlocals")) for arg in pytest_args)


def _cmd_clauses(args: argparse.Namespace) -> int:
    from comprehend_contract.spec import catalogue

    clauses = catalogue()
    if args.json:
        rows = [
            {"id": c.id, "level": c.level.value, "group": c.group, "text": c.text, "source": c.source, "notes": c.notes}
            for c in clauses
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for group, members in clauses.groups().items():
        print(f"## {group}")
        for clause in members:
            print(f"  {clause.id:<24} {clause.level.value:<6} {clause.text}")
    return EXIT_OK


def _cmd_drift(args: argparse.Namespace) -> int:
    from comprehend_contract.spec.drift import check_installed_botocore, load_botocore_model

    _, botocore_version = load_botocore_model()
    mismatches = check_installed_botocore()
    for mismatch in mismatches:
        print(mismatch)
    verdict = "match" if not mismatches else f"differ in {len(mismatches)} place(s)"
    print(f"schemas and botocore {botocore_version}'s comprehend model {verdict}")
    return EXIT_OK if not mismatches else EXIT_FAILED


def _cmd_validate(args: argparse.Namespace) -> int:
    from comprehend_contract.spec import UnknownSchema, validator_for

    try:
        validator = validator_for(args.schema)
    except UnknownSchema as unknown:
        raise CliError(str(unknown)) from None
    try:
        data = sys.stdin.buffer.read() if args.document == "-" else Path(args.document).read_bytes()
        document = json.loads(data.decode("utf-8"))
    except OSError as error:
        raise CliError(f"cannot read {args.document}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CliError(f"{args.document} is not UTF-8 text (byte {error.start}: {error.reason})") from None
    except json.JSONDecodeError as error:
        raise CliError(f"{args.document} is not JSON: {error}") from None
    except RecursionError:
        raise CliError(f"{args.document} is nested too deeply to read") from None
    try:
        errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        raise CliError(f"{args.document} is nested too deeply to validate") from None
    for failure in errors:
        location = "/".join(str(part) for part in failure.absolute_path) or "(root)"
        print(f"{location}: {failure.message}")
    print(f"{args.document}: {'valid' if not errors else 'invalid'} against {args.schema}")
    return EXIT_OK if not errors else EXIT_FAILED


def _emit(text: str, output: Path | None) -> int:
    """Write ``text`` to ``output``, or to standard output without one."""
    if output is None:
        print(text, end="")
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CliError(f"cannot write {output}: {error.strerror}") from None
        print(f"wrote {output}")
    return EXIT_OK


def _cmd_expectations(args: argparse.Namespace) -> int:
    from comprehend_contract.reports.compare import ReportError, load_report
    from comprehend_contract.reports.expectations import expectations_from_report

    try:
        report = load_report(args.source)
    except ReportError as error:
        raise CliError(str(error)) from None
    return _emit(expectations_from_report(report), args.output)


def _cmd_compare(args: argparse.Namespace) -> int:
    from comprehend_contract.reports.compare import ReportError, load_report, markdown, to_html

    try:
        reports = [load_report(path) for path in args.reports]
    except ReportError as error:
        raise CliError(str(error)) from None
    as_html = args.format == "html" or (args.output is not None and args.output.suffix == ".html")
    text = to_html(reports, output=args.output) if as_html else markdown(reports, output=args.output)
    return _emit(text, args.output)


def _cmd_snapshot_diff(args: argparse.Namespace) -> int:
    from comprehend_contract.snapshots import Snapshot, SnapshotError, compare, render_markdown

    try:
        recorded, current = Snapshot.load(args.recorded), Snapshot.load(args.current)
    except SnapshotError as error:
        raise CliError(str(error)) from None
    comparison = compare(recorded, current)
    by_suffix = args.format is None and args.output is not None and args.output.suffix == ".json"
    as_json = args.format == "json" or by_suffix
    if as_json:
        text = json.dumps(comparison.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    else:
        text = render_markdown(comparison)
    _emit(text, args.output)
    return EXIT_OK if not comparison.differences else EXIT_FAILED


def _cmd_mutants(args: argparse.Namespace) -> int:
    from comprehend_contract.mutants import MUTANTS
    from comprehend_contract.mutants.zoo import CONTROL, Kill, run_zoo

    names = args.only or list(MUTANTS)
    unknown = [name for name in names if name not in MUTANTS and name != CONTROL]
    if unknown:
        raise CliError(f"unknown mutant(s): {', '.join(unknown)}; known: {', '.join(MUTANTS)}")
    print(f"{'mutant':<36} {'clause':<24} {'verdict':<14} {'caught':<7} {'s':>5}  what the suite said")

    def row(kill: Kill) -> None:
        caught = "yes" if kill.killed else "NO"
        timing = f"{kill.seconds:>5.1f}"
        print(f"{kill.mutant:<36} {kill.clause:<24} {kill.verdict:<14} {caught:<7} {timing}  {kill.detail[:90]}")

    mode = "subprocess" if args.subprocess else "fork"
    kills = run_zoo([CONTROL, *names] if not args.only else names, workers=args.workers, progress=row, mode=mode)
    mutants = [k for k in kills if k.mutant != CONTROL]
    caught = sum(1 for k in mutants if k.killed)
    control = [k for k in kills if k.mutant == CONTROL]
    print(f"kill rate: {caught}/{len(mutants)} mutants caught ({100 * caught / max(1, len(mutants)):.0f}%)")
    if control:
        print(f"control (unmutated reference): {'clean' if control[0].killed else 'FAILED: ' + control[0].detail}")
    return EXIT_OK if caught == len(mutants) and all(k.killed for k in control) else EXIT_FAILED


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number greater than 0")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number of seconds >= 0")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is outside 0..65535")
    return value


def _http_url(text: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL such as http://127.0.0.1:9000")
    return text


def _cmd_serve(args: argparse.Namespace) -> int:
    import dataclasses
    import logging
    import signal
    import tempfile
    import threading

    from comprehend_contract.reference import (
        FaultPlan,
        FaultSpecError,
        Pace,
        ReferenceService,
        ServiceConfig,
        TlsUnavailable,
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
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    certificate: Path | None = None
    try:
        if running.certificate is not None:
            # beside the ready file, for clients to verify the server with (AWS_CA_BUNDLE); else in a temporary file
            if ready_file is not None:
                certificate = ready_file.with_name(ready_file.name + ".cert.pem")
            else:
                handle, name = tempfile.mkstemp(prefix="comprehend-contract-", suffix=".cert.pem")
                os.close(handle)
                certificate = Path(name)
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


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="comprehend-contract",
        description="Conformance kit for the Amazon Comprehend StopSentimentDetectionJob API.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=CommandParser)

    run = commands.add_parser(
        "run",
        help="run the contract suite (arguments after -- go to pytest)",
        description="Run the contract suite against a target (default: the embedded reference) and write its "
        "reports. Every option below can also come from its environment variable; everything after -- goes to "
        "pytest unchanged (e.g. -- -n 4, -- --lf, -- -v for each test's failure).",
        usage_exit=RunUsageError.exit_code,
    )
    from comprehend_contract.options import OPTIONS

    _add_options(run, frozenset(o.name for o in OPTIONS))
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments passed on to pytest, after --")
    run.set_defaults(handler=_cmd_run)

    serve = commands.add_parser(
        "serve",
        help="run the reference implementation in the foreground (a local Comprehend sentiment-job service)",
        description="Run the reference implementation: Comprehend's sentiment-job operations and, unless "
        "--s3-endpoint-url is given, an embedded S3, on one loopback port. Stop it with Ctrl-C or SIGTERM.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=0, help="port to bind (default: 0, any free port)")
    serve.add_argument("--region", default="us-east-1", help="the region requests must be signed for")
    serve.add_argument(
        "--ready-file", type=Path, help="write endpoints and account credentials here as JSON when ready"
    )
    serve.add_argument("--pace", choices=("fast", "aws-like"), default="fast", help="job timing preset (default: fast)")
    serve.add_argument("--time-scale", type=_positive_float, default=1.0, help="multiply every preset duration by F")
    serve.add_argument(
        "--submitted-seconds", type=_seconds, help="seconds a job stays SUBMITTED (overrides the preset)"
    )
    serve.add_argument(
        "--per-document-seconds", type=_seconds, help="seconds spent on each document (overrides the preset)"
    )
    serve.add_argument("--s3-endpoint-url", type=_http_url, help="use this S3 instead of the embedded one")
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
    serve.set_defaults(handler=_cmd_serve)

    cleanup = commands.add_parser(
        "cleanup",
        help="stop the jobs and remove the objects a killed run left behind, by its run id",
        description="Find what a run that was killed (SIGKILL, a lost CI runner) left on a target: its running "
        "jobs (named cc-<run id>-...) are stopped and its objects (under <prefix>run-<run id>/) removed.",
    )
    cleanup.add_argument("--run-id", required=True, help="the run's id (its report directory ends with it)")
    from comprehend_contract.options import OPTIONS

    _add_options(cleanup, frozenset(o.name for o in OPTIONS if o.target))
    cleanup.set_defaults(handler=_cmd_cleanup)

    expectations = commands.add_parser(
        "expectations", help="write an expectations file accepting a run's failures as known deviations"
    )
    expectations.add_argument("--from", dest="source", type=Path, required=True, help="a report.json")
    expectations.add_argument("--output", type=Path, help="write here instead of standard output")
    expectations.set_defaults(handler=_cmd_expectations)

    compare = commands.add_parser("compare", help="a matrix of clauses x implementations from several report.json")
    compare.add_argument("reports", type=Path, nargs="+", help="report.json files (two of one target: what changed)")
    compare.add_argument("--format", choices=("md", "html"), default="md", help="output format (default: md)")
    compare.add_argument("--output", type=Path, help="write here instead of standard output (.html implies html)")
    compare.set_defaults(handler=_cmd_compare)

    snapshot = commands.add_parser("snapshot", help="parity snapshots: compare two recorded snapshot files")
    snapshot_commands = snapshot.add_subparsers(
        dest="snapshot_command", metavar="SUBCOMMAND", required=True, parser_class=CommandParser
    )
    snapshot_diff = snapshot_commands.add_parser(
        "diff",
        help="how snapshot B answers differently from snapshot A (exit 0 identical, 1 different, 2 bad input)",
        description="Compare two parity snapshots (written by run --record-snapshot): every difference of B from "
        "A per test, exchange and field, and the parity score. Exit status 0 when they are identical, 1 when they "
        "differ, 2 when either file is not a snapshot.",
    )
    snapshot_diff.add_argument("recorded", type=Path, metavar="A", help="the recorded snapshot (e.g. AWS's)")
    snapshot_diff.add_argument("current", type=Path, metavar="B", help="the snapshot judged against A")
    snapshot_diff.add_argument(
        "--format", choices=("md", "json"), help="output format (default: md; an --output ending in .json: json)"
    )
    snapshot_diff.add_argument("--output", type=Path, help="write here instead of standard output")
    snapshot_diff.set_defaults(handler=_cmd_snapshot_diff)

    mutants = commands.add_parser(
        "mutants",
        help="run the suite against the zoo of deliberately wrong servers and print the kill rate",
        description="Each mutant is the reference with one behaviour broken; the suite (only the tests of the "
        "mutant's clause) must report that clause FAIL. The control run (the unmutated reference) must be clean.",
    )
    mutants.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants (no control run)")
    mutants.add_argument(
        "--workers",
        type=int,
        help="mutants run at once (default: five per processor, at most 12; 2 with --subprocess)",
    )
    mutants.add_argument(
        "--subprocess",
        action="store_true",
        help="run each mutant's suite in a fresh interpreter (slower; benchmarks/zoo.py compares both ways)",
    )
    mutants.set_defaults(handler=_cmd_mutants)

    spec = commands.add_parser("spec", help="inspect the spec the kit encodes")
    spec_commands = spec.add_subparsers(dest="spec_command", metavar="SUBCOMMAND", required=True)
    clauses = spec_commands.add_parser("clauses", help="list the clause catalogue")
    clauses.add_argument("--json", action="store_true", help="print JSON instead of a table")
    clauses.set_defaults(handler=_cmd_clauses)
    drift = spec_commands.add_parser("drift", help="compare the schemas with the installed botocore's model")
    drift.set_defaults(handler=_cmd_drift)
    validate = spec_commands.add_parser("validate", help="validate a JSON document against one of the schemas")
    validate.add_argument("schema", help="schema name, e.g. StopSentimentDetectionJob.request")
    validate.add_argument("document", help="path of a JSON file, or - for standard input")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``comprehend-contract`` script; returns the process exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        usage_exit = RunUsageError.exit_code if args.command == "run" else EXIT_USAGE
        hint = " (pytest's own options go after --)" if args.command == "run" else ""
        print(
            f"comprehend-contract {args.command}: error: unrecognized arguments: {' '.join(extra)}{hint}",
            file=sys.stderr,
        )
        return usage_exit
    if getattr(args, "pytest_args", None) and args.pytest_args[0] == "--":
        args.pytest_args = args.pytest_args[1:]
    try:
        code: int = args.handler(args)
        sys.stdout.flush()
    except CliError as error:
        print(f"comprehend-contract: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # the reader went away (``comprehend-contract spec clauses | head``): what it read is all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return code
