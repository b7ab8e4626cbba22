"""The snapshot file: schema-valid when written, diff-friendly, read back equal, and refused when it is not one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from comprehend_contract.snapshots import FORMAT, Snapshot, SnapshotError
from comprehend_contract.spec import schema_names, validator_for
from tests.snapshots.support import CLAUSES, REFERENCE, recording


def written(tmp_path: Path) -> tuple[Snapshot, Path]:
    snapshot = Snapshot.from_exchanges(recording(21), REFERENCE, clauses=CLAUSES)
    path = tmp_path / "reference.snapshot.json"
    snapshot.write(path)
    return snapshot, path


def test_the_schema_is_found_like_every_other_schema() -> None:
    assert "snapshot" in schema_names()


def test_a_written_snapshot_is_valid_sorted_indented_and_reads_back_equal(tmp_path: Path) -> None:
    snapshot, path = written(tmp_path)
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(validator_for("snapshot").iter_errors(document)) == []
    assert document["format"] == FORMAT
    assert text == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert list(document["tests"]) == sorted(document["tests"])
    assert Snapshot.load(path) == snapshot
    assert not list(tmp_path.glob("*.partial"))


def test_the_writer_refuses_a_snapshot_the_schema_rejects(tmp_path: Path) -> None:
    good = Snapshot.from_exchanges(recording(21), REFERENCE)
    broken = Snapshot(REFERENCE, {**good.tests, "t": ({"operation": "StopSentimentDetectionJob"},)})
    path = tmp_path / "broken.json"
    with pytest.raises(SnapshotError, match=r"is not a valid snapshot: tests/t/0: 'transport' is a required property"):
        broken.write(path)
    assert not path.exists()
    with pytest.raises(SnapshotError, match="recorded_from"):
        Snapshot(dict(REFERENCE, when="2026-11-29"), good.tests).write(path)


def test_a_directory_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match=r"^cannot write .*nowhere.*: No such file or directory$"):
        Snapshot.from_exchanges({}, REFERENCE).write(tmp_path / "nowhere" / "s.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"s\.json: no such file$"),
        (b"\xff\xfe", r"s\.json is not UTF-8 text"),
        (b"{not json", r"s\.json is not JSON: "),
        (b"[]", r"s\.json is not a comprehend-contract snapshot \(comprehend-contract-snapshot/1\): it has no format"),
        (b'{"format": "comprehend-contract-report/1"}', r"its format is 'comprehend-contract-report/1'$"),
        (
            b'{"format": "comprehend-contract-snapshot/1", "tests": {}}',
            r"s\.json is not a valid snapshot: \(root\): 'recorded_from' is a required property$",
        ),
    ],
    ids=["missing", "not-utf8", "not-json", "not-an-object", "another-format", "invalid"],
)
def test_reading_what_is_not_a_snapshot_is_one_line(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "s.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SnapshotError, match=message) as raised:
        Snapshot.load(path)
    assert "\n" not in str(raised.value)
