"""The command line: version, help, spec inspection, and clear errors for bad input."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from comprehend_contract import __version__
from comprehend_contract.cli import EXIT_FAILED, EXIT_NO_TESTS, EXIT_OK, EXIT_USAGE, main
from comprehend_contract.plugin import EXIT_TARGET_UNREACHABLE


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"comprehend-contract {__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "run" in out
    assert "spec" in out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == EXIT_USAGE
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_spec_drift_reports_a_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "drift"]) == EXIT_OK
    assert "match" in capsys.readouterr().out


def test_spec_clauses_json_lists_every_clause(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["spec", "clauses", "--json"]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)
    assert "STOP-COMPLETED" in {row["id"] for row in rows}


@pytest.mark.parametrize(
    ("document", "code", "said"),
    [
        ({"JobId": "日本語"}, EXIT_OK, "valid against"),
        ({"JobId": "a#b"}, EXIT_FAILED, "JobId: 'a#b' does not match"),
        ({}, EXIT_FAILED, "(root): 'JobId' is a required property"),
    ],
)
def test_spec_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object, code: int, said: str
) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["spec", "validate", "StopSentimentDetectionJob.request", str(path)]) == code
    assert said in capsys.readouterr().out


@pytest.mark.parametrize(
    ("schema", "content", "said"),
    [
        ("NoSuchSchema", "{}", "no schema named 'NoSuchSchema'"),
        ("StopSentimentDetectionJob.request", "{not json", "is not JSON"),
        ("StopSentimentDetectionJob.request", None, "cannot read"),
    ],
)
def test_spec_validate_bad_input_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: str, content: str | None, said: str
) -> None:
    path = tmp_path / "doc.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["spec", "validate", schema, str(path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("comprehend-contract: error: ")
    assert said in err
    assert "Traceback" not in err


def test_run_that_selects_no_test_says_so_and_does_not_pass(capsys: pytest.CaptureFixture[str]) -> None:
    """An empty run is never mistaken for a green one."""
    assert main(["run", "--", "-k", "no_test_is_named_like_this", "-p", "no:cacheprovider"]) == EXIT_NO_TESTS
    assert "nothing was checked" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["compare", "no-such-report.json"], "no-such-report.json does not exist"),
        (["expectations", "--from", "no-such-report.json"], "no-such-report.json does not exist"),
        (["mutants", "--only", "no-such-mutant"], "unknown mutant(s): no-such-mutant"),
    ],
)
def test_report_and_zoo_commands_refuse_bad_input_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err


def cli(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed command, as a user types it."""
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "comprehend_contract", *args]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=120, env=environment, check=False)


def one_line_error(result: subprocess.CompletedProcess[bytes], says: str) -> None:
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert "Traceback" not in output, output
    assert "INTERNALERROR" not in output, output
    assert says in output, output
    assert len([line for line in output.splitlines() if line.strip()]) <= 2, output


@pytest.mark.parametrize(
    ("stdin", "says"),
    [(b'{"JobId": "\xff\xfe"}', "is not UTF-8 text"), (b"[" * 100_000 + b"]" * 100_000, "nested too deeply")],
    ids=["not-utf8", "deep"],
)
def test_spec_validate_refuses_unreadable_input_in_one_line(stdin: bytes, says: str) -> None:
    result = cli("spec", "validate", "StopSentimentDetectionJob.request", "-", stdin=stdin)
    assert result.returncode == EXIT_USAGE
    one_line_error(result, says)


def test_binary_profile_is_one_usage_error(tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)))
    result = cli("run", "--target", str(binary), "--", "-q")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    one_line_error(result, "is not UTF-8 text")


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("file", "file is a file, not a directory: give a directory"),
        ("file/reports", "which is a file, not a directory"),
    ],
    ids=["a-file", "under-a-file"],
)
def test_a_report_dir_that_is_a_file_is_found_before_the_run(tmp_path: Path, where: str, says: str) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = cli("run", "--", "-q", "--report-dir", str(tmp_path / where))
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    one_line_error(result, f"comprehend-contract: error: option --report-dir: {tmp_path / where} ")
    one_line_error(result, says)


def test_a_snapshot_that_cannot_be_written_is_found_before_the_run(tmp_path: Path) -> None:
    result = cli("run", "--record-snapshot", str(tmp_path / "missing" / "x.json"))
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    one_line_error(result, f"option --record-snapshot: cannot write {tmp_path / 'missing' / 'x.json'}: ")
    one_line_error(result, "does not exist: give a file in a writable directory")


@pytest.mark.parametrize(
    ("pytest_args", "says"),
    [
        (["--bogus-option"], "comprehend-contract: error: unrecognized arguments: --bogus-option (everything after"),
        (["-n"], "comprehend-contract: error: argument -n/--numprocesses: expected one argument (everything after"),
        (["-p", "no_such_plugin"], 'comprehend-contract: error: Error importing plugin "no_such_plugin"'),
    ],
    ids=["unknown-option", "missing-value", "unknown-plugin"],
)
def test_an_argument_pytest_refuses_is_one_line_naming_the_kit_and_its_help(pytest_args: list[str], says: str) -> None:
    """pytest's own usage error names ``python -m pytest`` and its usage line: the run says it in the kit's words."""
    result = cli("run", "--", *pytest_args)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    one_line_error(result, says)
    output = (result.stdout + result.stderr).decode()
    assert "`comprehend-contract run --help` lists the kit's options" in output
    assert "goes to pytest, which refused it" in output
    assert "python -m pytest" not in output
    assert "usage:" not in output


def test_what_pytest_says_before_the_suite_starts_is_passed_on_when_it_is_no_usage_error() -> None:
    from comprehend_contract.cli.launcher import usage_error_reason

    assert usage_error_reason("ERROR: usage: python -m pytest [options]\npython -m pytest: error: bad -x\n") == "bad -x"
    assert usage_error_reason("ERROR: file or directory not found: x\n\n") == "file or directory not found: x"
    assert usage_error_reason("ERROR: while parsing:\n\nTraceback (most recent call last):\n  ...\n") is None
    assert usage_error_reason("DeprecationWarning: something\n") is None


def test_a_usage_error_of_pytest_after_it_started_names_the_kit() -> None:
    result = cli("run", "--", "-q", "no_such_test_file.py")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    last = (result.stdout + result.stderr).decode().strip().splitlines()[-1]
    assert last == "comprehend-contract: error: pytest: file or directory not found: no_such_test_file.py"


def test_an_unreachable_endpoint_is_one_line_and_exit_12(tmp_path: Path) -> None:
    """Not pytest's ``! _pytest.outcomes.Exit: ... !``: one line naming the kit, the target and the fix."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = cli(
        "run", "--endpoint-url", f"http://127.0.0.1:{port}", "--access-key-id", "AKIAEXAMPLE",
        "--secret-access-key", "secret", "--bucket", "some-bucket", "--role-arn", "arn:aws:iam::123456789012:role/x",
        "--report-dir", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == EXIT_TARGET_UNREACHABLE
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"comprehend-contract: error: target '127.0.0.1:{port}' is unreachable: no answer from")
    assert lines[0].endswith("Check that the implementation is running and that its endpoint URL (--endpoint-url, "
                             "or endpoint_url in the profile) is right.")  # fmt: skip


def test_clause_list_into_a_closed_pipe_ends_quietly() -> None:
    listing = subprocess.Popen(
        [sys.executable, "-m", "comprehend_contract", "spec", "clauses"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert listing.stdout is not None
    listing.stdout.readline()
    listing.stdout.close()  # as `| head -1` does
    _, err = listing.communicate(timeout=60)
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err


def test_an_environment_variable_for_another_target_is_ignored() -> None:
    """README suggests exporting the secret for URL targets; a reference run must not trip over it."""
    from comprehend_contract.core.context import RunContext
    from comprehend_contract.options import OptionError, Settings

    environ = {"COMPREHEND_CONTRACT_SECRET_ACCESS_KEY": "s3cr3t", "COMPREHEND_CONTRACT_BUCKET": "my-bucket"}
    context = RunContext.create(Settings.read(lambda name: None, environ=environ))
    assert context.target.name == "reference"
    context.coordination.remove()
    with pytest.raises(OptionError, match="--secret-access-key"):
        RunContext.create(Settings.read(lambda name: "s3cr3t" if name == "secret_access_key" else None, environ={}))


def test_run_takes_every_suite_option_and_lists_its_environment_variable() -> None:
    from comprehend_contract.options import OPTIONS

    result = cli("run", "--help")
    text = " ".join(result.stdout.decode().split())
    assert result.returncode == 0
    for option in OPTIONS:
        assert option.flag in text, option.flag
        assert option.env in text, option.env


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["run", "-q"], "unrecognized arguments: -q (pytest's own options go after --)"),
        (["run", "--max-jobs", "many"], "option --max-jobs: 'many' is not a whole number"),
        (["run", "--clause", "NOPE-1", "--", "-q"], "unknown clause id 'NOPE-1'"),
        (["run", "--progress", "fancy"], "option --progress: 'fancy' is not one of auto, plain, none"),
    ],
)
def test_a_bad_run_option_is_one_line_and_exit_4(args: list[str], says: str) -> None:
    result = cli(*args)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    one_line_error(result, says)


ONE_CLAUSE = [sys.executable, "-m", "comprehend_contract", "run", "--clause", "STOP-NOT-FOUND"]
ONE_CLAUSE += ["--job-type", "Sentiment"]


@pytest.mark.slow
def test_run_passes_pytest_arguments_unchanged_so_last_failed_works(tmp_path: Path) -> None:
    """`-- --lf` needs pytest's cache: the run keeps it in the working directory, not in the installed suite."""
    first = subprocess.run(
        [*ONE_CLAUSE, "--", "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert (tmp_path / ".pytest_cache").is_dir()
    again = subprocess.run(
        [*ONE_CLAUSE, "--", "-q", "--lf"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert "passed" in again.stdout


@pytest.mark.parametrize(
    ("pytest_args", "named"),
    [
        ([], False),
        (["-k", "randomly", "-v"], False),
        (["--random-order"], True),
        (["--random-order-seed=3"], True),
        (["-p", "random_order"], True),
        (["-prandomly"], True),
        (["--randomly-seed", "7"], True),
    ],
)
def test_a_contract_run_leaves_the_random_order_plugins_out_unless_pytests_arguments_ask_for_one(
    pytest_args: list[str], named: bool
) -> None:
    """Their header line says nothing about a contract run, and the run orders its own tests."""
    from comprehend_contract.cli.commands.run import names_random_order

    assert names_random_order(pytest_args) is named


def test_a_contract_runs_header_names_no_random_order_plugin() -> None:
    result = cli("run", "--clause", "STOP-NOT-FOUND", "--job-type", "Sentiment", "--", "-p", "no:cacheprovider")
    header = result.stdout.decode().split("collected")[0]
    assert result.returncode == 0, header
    assert "plugins: " in header
    assert "random" not in header.lower()
