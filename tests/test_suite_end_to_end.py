"""The whole contract suite, end to end: all green against the reference, verdicts (not crashes) against moto."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from comprehend_contract.spec import catalogue, validator_for
from comprehend_contract.spec.family import family
from comprehend_contract.targets.embedded import MOTO_SECRET


def run_suite(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "run", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


ROLLED_UP = {"PASS": "PASS", "FAIL": "FAIL", "n/e": "NOT_EXERCISED", "xfail": "EXPECTED_FAIL"}


def verdicts(output: str) -> dict[str, list[str]]:
    """Each clause's row of the terminal's table: its verdict on every operation, then rolled up."""
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] in ("MUST", "SHOULD") and all(cell in ROLLED_UP for cell in parts[2:]):
            found[parts[0]] = [ROLLED_UP[cell] for cell in parts[2:]]
    return found


XDIST_TYPES = ("Sentiment", "PiiEntities")
"""Under -n 2 the seed type and one other: every type's scenarios are shared between workers alike, and the serial
run (what ``scripts/main`` runs) judges all seven."""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arguments", "job_types"),
    [([], family().names), ([*(f"--job-type={name}" for name in XDIST_TYPES), "--", "-n", "2"], XDIST_TYPES)],
    ids=["serial", "xdist"],
)
def test_every_test_passes_against_the_reference(
    arguments: list[str], job_types: tuple[str, ...], tmp_path: Path
) -> None:
    result = run_suite(*arguments, *([] if "--" in arguments else ["--"]), "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    found = verdicts(result.stdout)
    assert set(found) == set(catalogue().ids), "every clause has a verdict"
    assert all(len(row) == len(job_types) + 1 for row in found.values()), "each operation and the roll-up"
    why = [line for line in result.stdout.splitlines() if line.startswith(("  n/e ", "  FAIL ", "  xfail "))]
    assert {cell for row in found.values() for cell in row} == {"PASS"}, "\n".join(why)
    assert f"report: {tmp_path}" in result.stdout
    report = json.loads((tmp_path / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] is True
    assert report["run"]["operations"] == [family().get(name).stop for name in job_types]
    jobs, types = report["run"]["jobs_started"], len(job_types)
    assert 6 * types <= jobs <= 12 * types, "6 planned jobs per type, plus at most 2 retries for 3 scenarios of each"


@pytest.mark.slow
def test_moto_run_completes_with_verdicts_and_no_suite_errors(tmp_path: Path) -> None:
    """moto answers with HTML pages and other services' answers; the suite must judge, not crash or hang."""
    result = run_suite(
        "--target", "moto", "--job-type", "Sentiment", "--job-type", "PiiEntities",
        "--", "-rfE", "--job-timeout", "5", "--report-dir", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout[-4000:] + result.stderr[-2000:]
    assert "INTERNALERROR" not in result.stdout + result.stderr
    assert "\nERROR " not in result.stdout, "an error (not a failure) means the suite broke, not moto"
    found = {clause: row[-1] for clause, row in verdicts(result.stdout).items()}
    assert found["STOP-NOT-FOUND"] == "FAIL"
    assert found["AUTH-ISOLATION"] == "NOT_EXERCISED"
    assert found["STOP-OUTCOME"] == "FAIL", "moto's STOP_REQUESTED jobs never end: a FAIL, not a skip"
    assert found["STOP-COMPLETED"] == "NOT_EXERCISED", "moto's jobs never leave SUBMITTED"
    assert "never left SUBMITTED" in result.stdout
    assert found["AUTH-REQUIRED"] == "FAIL", "moto serves unsigned requests"
    assert found["TYPE-ISOLATION"] == "FAIL", "moto keeps every type's jobs in one collection"
    report = json.loads((tmp_path / "latest" / "report.json").read_text(encoding="utf-8"))
    assert validator_for("report").is_valid(report)
    assert any(e["exchanges"] for c in report["clauses"] for e in c["evidence"]), "failures carry their evidence"
    for path in (tmp_path / "latest").iterdir():
        text = path.read_text(encoding="utf-8")
        assert MOTO_SECRET not in text, f"the secret key leaked into {path.name}"
        assert not re.search(r"Signature=[0-9a-f]{64}", text), f"a request signature leaked into {path.name}"
        assert "AWS4-HMAC-SHA256 Credential=" not in text, f"an Authorization header leaked into {path.name}"
