"""Drift check: the schemas say what the installed botocore's service model says, member by member."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from comprehend_contract.spec.drift import compare, load_botocore_model
from comprehend_contract.spec.family import family
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
    (
        "pii mode enum",
        lambda s: _defs(s)["PiiEntitiesDetectionMode"]["enum"].remove("ONLY_OFFSETS"),
        "StartPiiEntitiesDetectionJob.request.Mode: enum",
    ),
    (
        "pii mode in job properties",
        lambda s: _defs(s)["PiiEntitiesDetectionMode"]["enum"].remove("ONLY_OFFSETS"),
        "DescribePiiEntitiesDetectionJob.response.PiiEntitiesDetectionJobProperties.Mode: enum",
    ),
    (
        "events target types min items",
        lambda s: _defs(s)["TargetEventTypes"].pop("minItems"),
        "StartEventsDetectionJob.request.TargetEventTypes: minItems",
    ),
    (
        "events required member",
        lambda s: s["StartEventsDetectionJob.request"]["required"].remove("TargetEventTypes"),
        "StartEventsDetectionJob.request: required",
    ),
    (
        "mask character pattern",
        lambda s: _defs(s)["MaskCharacter"].update(pattern="[*]"),
        "StartPiiEntitiesDetectionJob.request.RedactionConfig.MaskCharacter: pattern",
    ),
    (
        "entities job properties member",
        lambda s: s["job-properties"]["$defs"]["EntitiesDetectionJobProperties"]["properties"].pop("FlywheelArn"),
        "DescribeEntitiesDetectionJob.response.EntitiesDetectionJobProperties.FlywheelArn: member",
    ),
    (
        "entities start answer member",
        lambda s: s["StartEntitiesDetectionJob.response"]["properties"].pop("EntityRecognizerArn"),
        "StartEntitiesDetectionJob.response.EntityRecognizerArn: member",
    ),
    (
        "dominant language has no language code",
        lambda s: s["StartDominantLanguageDetectionJob.request"]["properties"].update(
            LanguageCode={"$ref": "definitions.json#/$defs/LanguageCode"}
        ),
        "StartDominantLanguageDetectionJob.request.LanguageCode: member",
    ),
    (
        "pii output config in a list",
        lambda s: _defs(s)["ResponsePiiOutputDataConfig"]["properties"].pop("KmsKeyId"),
        "ListPiiEntitiesDetectionJobs.response.PiiEntitiesDetectionJobPropertiesList[].OutputDataConfig.KmsKeyId: "
        "member",
    ),
    (
        "response bucket loosening only as declared",
        lambda s: _defs(s)["ResponseS3Uri"].update(pattern="s3://.*"),
        "DescribeTargetedSentimentDetectionJob.response.TargetedSentimentDetectionJobProperties.InputDataConfig.S3Uri: "
        "pattern",
    ),
    (
        "response bucket loosening never in a request",
        lambda s: s["StartEventsDetectionJob.request"]["properties"].update(
            OutputDataConfig={"$ref": "definitions.json#/$defs/ResponseOutputDataConfig"}
        ),
        "StartEventsDetectionJob.request.OutputDataConfig.S3Uri: pattern",
    ),
    (
        "shared filter",
        lambda s: _defs(s)["DetectionJobFilter"]["properties"].pop("SubmitTimeAfter"),
        "ListKeyPhrasesDetectionJobs.request.Filter.SubmitTimeAfter: member",
    ),
    ("entity type", lambda s: _defs(s)["EntityType"]["enum"].append("DEVICE"), "definitions:EntityType: enum"),
    (
        "targeted sentiment entity type",
        lambda s: _defs(s)["TargetedSentimentEntityType"]["enum"].remove("MOVIE"),
        "definitions:TargetedSentimentEntityType: enum",
    ),
    (
        "pii output config request form",
        lambda s: _defs(s)["PiiOutputDataConfig"].pop("required"),
        "definitions:PiiOutputDataConfig: required",
    ),
    (
        "missing schema",
        lambda s: s.pop("StopTargetedSentimentDetectionJob.response"),
        "StopTargetedSentimentDetectionJob.response: schema: model says 'present', schema says 'absent'",
    ),
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


def test_every_operation_of_the_family_is_compared() -> None:
    """No hand list: the 28 operations come from the family, and each one's schemas are compared."""
    model, _ = load_botocore_model()
    schemas = {name: schema for name, schema in _schemas().items() if "DetectionJob" not in name}
    missing = {m.member for m in compare(model, schemas) if m.constraint == "schema"}
    assert missing == {f"{op}.{way}" for op in family().operations() for way in ("request", "response")}
    assert len(missing) == 56


def test_an_operation_the_model_lacks_is_reported() -> None:
    model, _ = load_botocore_model()
    operations = {name: spec for name, spec in model["operations"].items() if name != "StopEventsDetectionJob"}
    reported = [str(m) for m in compare({**model, "operations": operations}, _schemas())]
    assert "StopEventsDetectionJob: operation: model says 'absent', schema says 'present'" in reported


def test_model_side_changes_are_reported_too() -> None:
    """A later SDK that tightens a constraint shows up as drift, not silence."""
    model, _ = load_botocore_model()
    shapes = dict(model["shapes"])
    shapes["JobId"] = {**shapes["JobId"], "max": 64}
    reported = [str(m) for m in compare({**model, "shapes": shapes}, _schemas())]
    assert any("JobId: maxLength: model says 64, schema says 32" in line for line in reported), reported
    assert any(line.startswith("StopPiiEntitiesDetectionJob.request.JobId: maxLength") for line in reported), reported


def test_model_side_change_of_one_type_is_reported() -> None:
    """A later SDK that lets Events target more event types per job (or fewer) is drift, not silence."""
    model, _ = load_botocore_model()
    shapes = dict(model["shapes"])
    shapes["TargetEventTypes"] = {**shapes["TargetEventTypes"], "max": 20}
    reported = [str(m) for m in compare({**model, "shapes": shapes}, _schemas())]
    assert "StartEventsDetectionJob.request.TargetEventTypes: maxItems: model says 20, schema says None" in reported
