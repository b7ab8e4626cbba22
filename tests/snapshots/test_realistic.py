"""Snapshots of real answers: the embedded reference recorded twice is one snapshot, moto differs where it does.

Also the published reports' evidence (failing tests' last exchanges only, so the data is thin): snapshots are built
from it and compared on what overlaps, without a crash.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, RawSender, s3_client
from comprehend_contract.clients.raw import Signature
from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.refusals import Refusal
from comprehend_contract.reference import Pace, ReferenceService, ServiceConfig
from comprehend_contract.snapshots import Snapshot, compare, render_markdown
from comprehend_contract.targets.embedded import MotoTarget
from tests.snapshots.support import MOTO, REFERENCE

PUBLISHED = Path(__file__).resolve().parents[2] / "reports" / "published"
START, DESCRIBE, STOP = "StartSentimentDetectionJob", "DescribeSentimentDetectionJob", "StopSentimentDetectionJob"


def scripted_session(endpoint_url: str, credentials: Credentials, account: str) -> dict[str, list[dict[str, Any]]]:
    """A few tests' worth of requests, as the suite makes them: fresh run id, bucket, names and tokens each time."""
    run_id = "20261129T031200Z-" + uuid.uuid4().hex[:6]
    bucket = f"comprehend-contract-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint_url, "us-east-1", credentials).create_bucket(Bucket=bucket)
    raw = RawSender(endpoint_url, "us-east-1", credentials)
    folder = f"s3://{bucket}/comprehend-contract/run-{run_id}/main/live-{uuid.uuid4().int % 50}/"

    def call(operation: str, body: Any, refusal: Refusal | None = None) -> dict[str, Any]:
        how = {"signature": Signature.NONE} if refusal is Refusal.UNSIGNED else {}
        return Exchange.from_raw(operation, body, raw.send(operation, body, **how), refusal).to_dict()

    start = call(
        START,
        {
            "InputDataConfig": {"S3Uri": folder, "InputFormat": "ONE_DOC_PER_LINE"},
            "OutputDataConfig": {"S3Uri": folder.rstrip("/") + "-output/"},
            "DataAccessRoleArn": f"arn:aws:iam::{account}:role/ComprehendContractDataAccess",
            "LanguageCode": "en",
            "ClientRequestToken": uuid.uuid4().hex,
            "JobName": f"cc-{run_id}-live",
        },
    )
    job_id = json.loads(start["body"])["JobId"]
    return {
        "test_live.py::test_start_describe_stop": [
            start,
            call(DESCRIBE, {"JobId": job_id}),
            call(STOP, {"JobId": job_id}),
            call(DESCRIBE, {"JobId": job_id}),
        ],
        "test_live.py::test_unknown[hex32]": [call(STOP, {"JobId": uuid.uuid4().hex})],
        "test_live.py::test_unknown[words]": [call(STOP, {"JobId": "job-that-never-was"})],
        "test_live.py::test_missing_job_id": [call(STOP, {})],
        "test_live.py::test_unsigned": [call(STOP, {"JobId": uuid.uuid4().hex}, Refusal.UNSIGNED)],
    }


@pytest.fixture(scope="module")
def reference_sessions() -> list[dict[str, list[dict[str, Any]]]]:
    """Two sessions, each against a fresh reference whose jobs stay SUBMITTED for a minute (no race)."""
    sessions = []
    for _ in range(2):
        with ReferenceService(ServiceConfig(pace=Pace.preset("fast", 400.0))) as running:
            account = running.accounts[0]
            credentials = Credentials(account.access_key_id, account.secret_access_key)
            sessions.append(scripted_session(running.endpoint_url, credentials, account.account_id))
    return sessions


@pytest.fixture(scope="module")
def moto_session() -> Iterator[dict[str, list[dict[str, Any]]]]:
    target = MotoTarget({})
    profile = target.start()
    try:
        yield scripted_session(str(profile.endpoint_url), profile.credentials, "123456789012")
    finally:
        target.close()


def test_the_reference_recorded_twice_gives_one_snapshot(
    reference_sessions: list[dict[str, list[dict[str, Any]]]],
) -> None:
    first, second = (Snapshot.from_exchanges(session, REFERENCE) for session in reference_sessions)
    assert json.dumps(reference_sessions[0]) != json.dumps(reference_sessions[1])
    assert first.dumps() == second.dumps()
    assert compare(first, second).differences == ()


def test_moto_against_the_reference_shows_its_known_differences(
    reference_sessions: list[dict[str, list[dict[str, Any]]]], moto_session: dict[str, list[dict[str, Any]]]
) -> None:
    recorded = Snapshot.from_exchanges(reference_sessions[0], REFERENCE)
    comparison = compare(recorded, Snapshot.from_exchanges(moto_session, MOTO))
    found = {(d.test, d.field): d.message for d in comparison.differences}
    unknown = [m for (test, _), m in found.items() if test == "test_live.py::test_unknown[hex32]"]
    # moto answers ResourceNotFoundException with HTTP 400 (5.2.5) or 404 (5.2.6): either way one difference says so
    assert any(
        re.fullmatch(
            r"the recorded implementation answered 400 JobNotFoundException, this one 40[04] ResourceNotFoundException",
            message,
        )
        for message in unknown
    ), unknown
    assert found[("test_live.py::test_start_describe_stop", "new_job_ids.<job-1>")].endswith(
        "recorded 32 hex digits, now UUID (36 characters)"
    )
    submit_time = ("test_live.py::test_start_describe_stop", "body.SentimentDetectionJobProperties.SubmitTime")
    described = json.loads(moto_session["test_live.py::test_start_describe_stop"][1]["body"])
    if isinstance(described["SentimentDetectionJobProperties"]["SubmitTime"], str):  # moto before 5.2.6
        assert found[submit_time] == (
            "response member SentimentDetectionJobProperties.SubmitTime: recorded `<timestamp:number>`, "
            "now `<timestamp:string>`"
        )
    else:  # epoch seconds, as the reference: normalized alike, no difference
        assert submit_time not in found
    # moto crashes on a Stop without JobId (5.2.5: an HTML 500) or looks it up (5.2.6: 404 ResourceNotFoundException)
    assert found[("test_live.py::test_missing_job_id", "status")].startswith(
        "the recorded implementation answered 400 ValidationException, this one "
    )
    assert comparison.score == 0.0
    assert render_markdown(comparison).count("\n### `test_live.py::") == 5


def _evidence(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each failing test's exchanges, as report.json's clause evidence carries them (the last few only)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for clause in report["clauses"]:
        for evidence in clause.get("evidence", []):
            found.setdefault(evidence["test"], evidence["exchanges"])
    return found


def _source(report: dict[str, Any]) -> dict[str, Any]:
    target = report["run"]["target"]
    implementation = target.get("implementation")
    return {
        "target": target["name"],
        "kind": target["kind"],
        "implementation": implementation if isinstance(implementation, dict) else None,
        "kit_version": report["run"]["kit_version"],
    }


@pytest.mark.skipif(not PUBLISHED.is_dir(), reason="not exercised: no published reports in this checkout")
def test_the_published_reports_evidence_makes_valid_snapshots_and_a_diff(tmp_path: Path) -> None:
    reports = {name: json.loads((PUBLISHED / name / "report.json").read_text()) for name in ("reference", "moto")}
    clauses = {t["nodeid"]: t["clauses"] for t in reports["moto"]["tests"]}
    evidence = {name: _evidence(report) for name, report in reports.items()}
    snapshots = {}
    for name, report in reports.items():
        snapshot = Snapshot.from_exchanges(evidence[name], _source(report), clauses=clauses)
        snapshot.write(tmp_path / f"{name}.json")
        snapshots[name] = Snapshot.load(tmp_path / f"{name}.json")
    overlap = set(evidence["reference"]) & set(evidence["moto"])
    on_overlap = {
        name: Snapshot.from_exchanges({t: evidence[name][t] for t in overlap}, _source(report), clauses=clauses)
        for name, report in reports.items()
    }
    comparison = compare(on_overlap["reference"], on_overlap["moto"])
    assert set(comparison.compared) == overlap
    assert all(d.message and "\n" not in d.message for d in comparison.differences)
    assert render_markdown(comparison)
    everything = compare(snapshots["reference"], snapshots["moto"])
    assert set(everything.compared) == set(evidence["reference"]) | set(evidence["moto"])
    moto = snapshots["moto"].dumps()
    if snapshots["moto"].tests:
        assert "UUID (36 characters)" in moto
        # moto 5.2.5 wrote ISO strings, 5.2.6 writes epoch numbers: the published report says which it ran
        version = reports["moto"]["run"]["target"]["implementation"]["version"]
        form = "string" if tuple(int(n) for n in version.split(".")[:3]) < (5, 2, 6) else "number"
        assert f'"<timestamp:{form}>"' in moto
        assert '"error_code": "ResourceNotFoundException"' in moto
        for volatile in (reports["moto"]["run"]["id"], "Werkzeug", "***REDACTED***"):
            assert volatile not in moto
