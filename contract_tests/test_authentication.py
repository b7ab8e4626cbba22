"""SigV4 authentication (service ``comprehend``) and isolation between accounts.

Refused requests must do nothing: each refused request here is a StartSentimentDetectionJob with a unique
JobName, and afterwards no job of that name exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from comprehend_contract.clients import Credentials, Signature
from comprehend_contract.drivers import Evidence
from comprehend_contract.harness.api import Api, Exchange
from comprehend_contract.harness.jobs import start_request
from comprehend_contract.harness.outcomes import reached
from comprehend_contract.harness.workspace import Workspace
from comprehend_contract.plugin.checks import ClauseChecks
from comprehend_contract.targets import TargetProfile

START = "StartSentimentDetectionJob"
MISSING_AUTH_CODES = frozenset(
    {
        "MissingAuthenticationTokenException",
        "MissingAuthenticationToken",
        "IncompleteSignatureException",
        "AccessDeniedException",
    }
)


def _refused_start(api: Api, target: TargetProfile, workspace: Workspace, **how: Any) -> tuple[Exchange, str]:
    name = f"refused-{uuid.uuid4().hex[:12]}"
    folder = workspace.uri(workspace.new_folder("refused"))
    return api.call(START, start_request(target, folder, JobName=name), **how), name


def _assert_no_job_named(api: Api, name: str) -> None:
    listing = api.call("ListSentimentDetectionJobs", {"Filter": {"JobName": name}})
    body = listing.json()
    jobs = body.get("SentimentDetectionJobPropertiesList") if isinstance(body, dict) else None
    assert listing.status == 200, f"cannot check for side effects: List answered {listing.describe()}"
    assert jobs == [], f"the refused request created job(s): {[j.get('JobId') for j in jobs or []]}"


@pytest.mark.clause("AUTH-REQUIRED")
def test_unsigned_request_is_refused_and_does_nothing(
    api: Api, checks: ClauseChecks, target: TargetProfile, workspace: Workspace
) -> None:
    exchange, name = _refused_start(api, target, workspace, signature=Signature.NONE)
    with checks.clause("AUTH-REQUIRED", "refusal"):
        assert exchange.status in (400, 403), f"an unsigned request must be refused, got {exchange.describe()}"
        assert exchange.error_code in MISSING_AUTH_CODES, (
            f"expected MissingAuthenticationTokenException, got {exchange.describe()}"
        )
    with checks.clause("AUTH-REQUIRED", "no side effect"):
        _assert_no_job_named(api, name)


@pytest.mark.clause("AUTH-SIGNATURE")
@pytest.mark.parametrize("how", ["corrupt-signature", "tampered-body", "wrong-secret"])
def test_mismatched_signature_is_refused_and_does_nothing(
    api: Api, checks: ClauseChecks, target: TargetProfile, workspace: Workspace, how: str
) -> None:
    if how == "wrong-secret":
        keys = Credentials(target.credentials.access_key_id, "x" * 40)
        exchange, name = _refused_start(api, target, workspace, credentials=keys)
    else:
        signature = Signature.CORRUPT if how == "corrupt-signature" else Signature.TAMPERED_BODY
        exchange, name = _refused_start(api, target, workspace, signature=signature)
    with checks.clause("AUTH-SIGNATURE", "refusal"):
        assert exchange.error_code == "InvalidSignatureException", (
            f"expected InvalidSignatureException, got {exchange.describe()}"
        )
    with checks.clause("AUTH-SIGNATURE", "no side effect"):
        _assert_no_job_named(api, name)


@pytest.mark.clause("AUTH-UNKNOWN-KEY")
def test_unknown_access_key_is_refused_and_does_nothing(
    api: Api, checks: ClauseChecks, target: TargetProfile, workspace: Workspace
) -> None:
    stranger = Credentials("AKIA" + uuid.uuid4().hex[:16].upper(), "x" * 40)
    exchange, name = _refused_start(api, target, workspace, credentials=stranger)
    with checks.clause("AUTH-UNKNOWN-KEY", "refusal"):
        assert exchange.error_code == "UnrecognizedClientException", (
            f"expected UnrecognizedClientException, got {exchange.describe()}"
        )
    with checks.clause("AUTH-UNKNOWN-KEY", "no side effect"):
        _assert_no_job_named(api, name)


@pytest.mark.clause("AUTH-EXPIRED")
def test_signature_older_than_fifteen_minutes_is_expired(api: Api) -> None:
    exchange = api.call("ListSentimentDetectionJobs", {}, signed_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
    assert exchange.error_code == "InvalidSignatureException", (
        f"expected InvalidSignatureException, got {exchange.describe()}"
    )
    assert "Signature expired" in (exchange.message or ""), (
        f"message {exchange.message!r} does not say 'Signature expired'"
    )


@pytest.mark.clause("AUTH-ISOLATION")
@pytest.mark.scenario("isolation")
def test_other_account_can_neither_see_nor_stop_a_job(evidence: Evidence, checks: ClauseChecks) -> None:
    """A job belongs to the account that started it: to another it does not exist."""
    reached(evidence)
    with checks.clause("AUTH-ISOLATION", "stop from the other account"):
        stop = evidence.step("stop-other")
        assert stop is not None
        assert stop.error_code == "JobNotFoundException", f"expected JobNotFoundException, got {stop.describe()}"
    with checks.clause("AUTH-ISOLATION", "describe from the other account"):
        seen = evidence.step("describe-other")
        assert seen is not None
        assert seen.error_code == "JobNotFoundException", f"expected JobNotFoundException, got {seen.describe()}"
    with checks.clause("AUTH-ISOLATION", "the job is untouched"):
        before, after = evidence.step("before"), evidence.step("after")
        assert before is not None
        assert after is not None
        status_before = before.json()["SentimentDetectionJobProperties"]["JobStatus"]
        status_after = after.json()["SentimentDetectionJobProperties"]["JobStatus"]
        assert status_after not in ("STOP_REQUESTED", "STOPPED"), f"the job went {status_before} -> {status_after}"
