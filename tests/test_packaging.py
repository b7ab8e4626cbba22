"""The wheel carries schemas/ and contract_tests/, and the kit works installed from it, run from elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("comprehend_contract-*.whl")
    return built


def test_wheel_contains_schemas_contract_tests_and_catalogue(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in (REPO_ROOT / "schemas").glob("*.json"):
        assert f"comprehend_contract/schemas/{schema.name}" in names
    for path in (REPO_ROOT / "contract_tests").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"comprehend_contract/contract_tests/{path.relative_to(REPO_ROOT / 'contract_tests')}" in names
    assert "comprehend_contract/spec/clauses.toml" in names
    assert "comprehend_contract/spec/family.toml" in names
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "comprehend-contract = comprehend_contract.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_installed_wheel_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import json, comprehend_contract\n"
        "from comprehend_contract.resources import schemas_dir, contract_tests_dir\n"
        "from comprehend_contract.spec import validator_for, catalogue\n"
        "v = validator_for('StopSentimentDetectionJob.request')\n"
        "print(json.dumps({'package': comprehend_contract.__file__, 'schemas': str(schemas_dir()),\n"
        "  'tests': str(contract_tests_dir()), 'accepts': v.is_valid({'JobId': '日本語'}),\n"
        "  'rejects': not v.is_valid({'JobId': 'a#b'}), 'clauses': len(catalogue())}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, check=True, capture_output=True, text=True
    )
    seen = json.loads(result.stdout)
    assert Path(seen["package"]).is_relative_to(target)
    assert Path(seen["schemas"]).is_relative_to(target)
    assert Path(seen["tests"]).is_relative_to(target)
    assert seen["accepts"]
    assert seen["rejects"]
    assert seen["clauses"] >= 30
    drift = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "spec", "drift"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert drift.returncode == 0, drift.stdout + drift.stderr
    traced = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "spec", "trace", "STOP-NOT-FOUND"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert traced.returncode == 0, traced.stdout + traced.stderr
    assert "test_unknown_job.py::test_stop_on_unknown_job_is_job_not_found" in traced.stdout
    assert "unknown-job-resource-not-found" in traced.stdout
    suite = subprocess.run(
        [sys.executable, "-m", "comprehend_contract", "run", "--", "-k", "stop_on_unknown_job"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-3000:]
    assert str(target) in suite.stdout, "the suite must run from the installed wheel, not the checkout"
    rows = [line.split() for line in suite.stdout.splitlines() if line.split()[:1] == ["STOP-NOT-FOUND"]]
    assert rows, suite.stdout[-3000:]
    assert rows[0][:2] == ["STOP-NOT-FOUND", "MUST"], suite.stdout[-3000:]
    assert set(rows[0][2:]) == {"PASS"}, suite.stdout[-3000:]
