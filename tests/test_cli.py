"""The command line: version, help, spec inspection, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comprehend_contract import __version__
from comprehend_contract.cli import EXIT_FAILED, EXIT_NO_TESTS, EXIT_OK, EXIT_USAGE, main


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
