"""Drift check: the schemas say what the installed botocore's service model says, member by member."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from comprehend_contract.spec.drift import compare, load_botocore_model
from comprehend_contract.spec.schemas import load_schema, schema_names

Schemas = dict[str, dict[str, Any]]


def _schemas() -> Schemas:
    return {name: load_schema(name) for name in schema_names()}


def test_schemas_match_the_installed_botocore_model() -> None:
    model, version = load_botocore_model()
    mismatches = compare(model, _schemas())
    assert not mismatches, f"schemas drifted from botocore {version}:\n" + "\n".join(map(str, mismatches))


def _defs(schemas: Schemas) -> dict[str, Any]:
    defs: dict[str, Any] = schemas["definitions"]["$defs"]
    return defs


PLANTED: list[tuple[str, Callable[[Schemas], None], str]] = [
    (
        "max length",
        lambda s: _defs(s)["JobId"].update(maxLength=33),
        "StopSentimentDetectionJob.request.JobId: maxLength",
    ),
    ("min length", lambda s: _defs(s)["JobId"].pop("minLength"), "StopSentimentDetectionJob.request.JobId: minLength"),
    (
        "pattern",
        lambda s: _defs(s)["JobId"].update(pattern="^[a-z]*$"),
        "StopSentimentDetectionJob.request.JobId: pattern",
    ),
    (
        "enum",
        lambda s: _defs(s)["JobStatus"]["enum"].remove("STOPPED"),
        "StopSentimentDetectionJob.response.JobStatus: enum",
    ),
    ("type", lambda s: _defs(s)["Timestamp"].update(type="string"), "SentimentDetectionJobProperties.SubmitTime: type"),
    (
        "required",
        lambda s: s["StartSentimentDetectionJob.request"]["required"].remove("LanguageCode"),
        "StartSentimentDetectionJob.request: required",
    ),
    (
        "missing member",
        lambda s: _defs(s)["VpcConfig"]["properties"].pop("Subnets"),
        "StartSentimentDetectionJob.request.VpcConfig.Subnets: member",
    ),
    (
        "extra member",
        lambda s: s["StopSentimentDetectionJob.request"]["properties"].update(Force={"type": "boolean"}),
        "StopSentimentDetectionJob.request.Force: member",
    ),
    ("items", lambda s: _defs(s)["Subnets"].update(maxItems=17), "VpcConfig.Subnets: maxItems"),
    (
        "value",
        lambda s: _defs(s)["MaxResultsInteger"].update(maximum=100),
        "ListSentimentDetectionJobs.request.MaxResults: maximum",
    ),
    ("nested item", lambda s: _defs(s)["SubnetId"].update(maxLength=31), "VpcConfig.Subnets[]: maxLength"),
    (
        "error member",
        lambda s: _defs(s)["InvalidRequestDetailReason"]["enum"].pop(),
        "error:InvalidRequestException.Detail.Reason: enum",
    ),
    ("output record", lambda s: _defs(s)["SentimentType"]["enum"].pop(), "definitions:SentimentType: enum"),
]


@pytest.mark.parametrize(("plant", "expected"), [(p[1], p[2]) for p in PLANTED], ids=[p[0] for p in PLANTED])
def test_planted_drift_is_reported_naming_member_and_constraint(
    plant: Callable[[Schemas], None], expected: str
) -> None:
    model, _ = load_botocore_model()
    schemas = _schemas()
    plant(schemas)
    reported = [str(mismatch) for mismatch in compare(model, schemas)]
    assert any(expected in line for line in reported), reported


def test_model_side_changes_are_reported_too() -> None:
    """A later SDK that tightens a constraint shows up as drift, not silence."""
    model, _ = load_botocore_model()
    shapes = dict(model["shapes"])
    shapes["JobId"] = {**shapes["JobId"], "max": 64}
    reported = [str(m) for m in compare({**model, "shapes": shapes}, _schemas())]
    assert any("JobId: maxLength: model says 64, schema says 32" in line for line in reported), reported
