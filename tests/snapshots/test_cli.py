"""``comprehend-contract snapshot diff A B``: 0 identical, 1 different, 2 bad input in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from comprehend_contract.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from comprehend_contract.snapshots import PARITY_FORMAT, Snapshot
from tests.snapshots.support import CLAUSES, MOTO, REFERENCE, UNKNOWN_HEX, recording


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, run, source in (
        ("reference-1", recording(31), REFERENCE),
        ("reference-2", recording(32, polls=3), REFERENCE),
        ("moto", recording(33, moto=True), MOTO),
    ):
        paths[name] = tmp_path / f"{name}.json"
        Snapshot.from_exchanges(run, source, clauses=CLAUSES).write(paths[name])
    return paths


def test_identical_snapshots_exit_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshot", "diff", str(files["reference-1"]), str(files["reference-2"])]) == EXIT_OK
    assert "tests answer identically (100%)" in capsys.readouterr().out


def test_different_snapshots_exit_1_and_print_markdown(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshot", "diff", str(files["reference-1"]), str(files["moto"])]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert out.startswith("# Parity of moto (moto 5.2.5, kit 0.1.0) with the snapshot of reference")
    assert "this one 400 ResourceNotFoundException" in out


def test_json_format_and_output_file(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "parity.json"
    code = main(["snapshot", "diff", str(files["reference-1"]), str(files["moto"]), "--output", str(output)])
    assert code == EXIT_FAILED
    assert capsys.readouterr().out == f"wrote {output}\n"
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["format"] == PARITY_FORMAT
    assert any(d["test"] == UNKNOWN_HEX and d["field"] == "error_code" for d in document["differences"])
    assert main(["snapshot", "diff", str(files["reference-1"]), str(files["moto"]), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == document


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (None, "missing.json: no such file"),
        (b"{", "missing.json is not JSON: "),
        (b'{"format": "x"}', "missing.json is not a comprehend-contract snapshot"),
    ],
    ids=["missing", "not-json", "not-a-snapshot"],
)
def test_bad_input_is_one_line_and_exit_2(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], write: bytes | None, message: str
) -> None:
    bad = tmp_path / "missing.json"
    if write is not None:
        bad.write_bytes(write)
    assert main(["snapshot", "diff", str(files["reference-1"]), str(bad)]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("comprehend-contract: error: ")
    assert message in captured.err
    assert captured.err.count("\n") == 1


def test_the_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "snapshot", "diff", str(tmp_path / "a"), str(tmp_path / "b")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == EXIT_USAGE
    assert result.stderr == f"comprehend-contract: error: {tmp_path / 'a'}: no such file\n"


def test_a_missing_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["snapshot", "diff", "only-one.json"])
    assert exit_info.value.code == EXIT_USAGE
    assert capsys.readouterr().err.count("\n") == 1
