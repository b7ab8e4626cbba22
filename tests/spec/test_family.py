"""The job family (spec/family.toml): complete, consistent with botocore's service model and with AWS's documented
examples, and a loader that refuses a malformed entry by name."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from comprehend_contract.spec.drift import load_botocore_model
from comprehend_contract.spec.family import FamilyError, JobType, OutputForm, family, job_type, parse_family

FAMILY_TOML = Path(__file__).resolve().parents[2] / "src" / "comprehend_contract" / "spec" / "family.toml"
EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "aws_examples"
TYPES = family().names
DOCUMENTED_EVENT_TYPES = (
    "BANKRUPTCY",
    "EMPLOYMENT",
    "CORPORATE_ACQUISITION",
    "INVESTMENT_GENERAL",
    "CORPORATE_MERGER",
    "IPO",
    "RIGHTS_ISSUE",
    "SECONDARY_OFFERING",
    "SHELF_OFFERING",
    "TENDER_OFFERING",
    "STOCK_SPLIT",
)
"""shared/spec/FAMILY.md's documented event types (with CORPORATE_ACQUISTION read as CORPORATE_ACQUISITION)."""


@pytest.fixture(scope="module")
def model() -> Mapping[str, Any]:
    loaded, _ = load_botocore_model()
    return loaded


def _shape(model: Mapping[str, Any], operation: str, direction: str) -> Mapping[str, Any]:
    shape: Mapping[str, Any] = model["shapes"][model["operations"][operation][direction]["shape"]]
    return shape


def _members(model: Mapping[str, Any], shape_name: str) -> list[str]:
    return list(model["shapes"][shape_name].get("members", {}))


def test_the_family_is_the_seven_types_sentiment_first() -> None:
    assert TYPES == (
        "Sentiment",
        "KeyPhrases",
        "Entities",
        "DominantLanguage",
        "PiiEntities",
        "Events",
        "TargetedSentiment",
    )
    assert family().seed.stop == "StopSentimentDetectionJob"
    assert len(family().operations()) == 28


def test_every_stop_detection_job_of_the_model_is_in_the_family(model: Mapping[str, Any]) -> None:
    """A new job type in a later SDK shows up here, not as silence."""
    stops = {name for name in model["operations"] if re.fullmatch(r"Stop\w+DetectionJob", name)}
    assert stops == set(family().stops())


@pytest.mark.parametrize("name", TYPES)
def test_the_four_operations_exist_in_the_model(name: str, model: Mapping[str, Any]) -> None:
    for operation in job_type(name).operations:
        assert operation in model["operations"], operation


@pytest.mark.parametrize("name", TYPES)
def test_describe_and_list_members_match_the_model(name: str, model: Mapping[str, Any]) -> None:
    kind = job_type(name)
    assert list(_shape(model, kind.describe, "output")["members"]) == [kind.properties_member]
    assert kind.list_member in _shape(model, kind.list, "output")["members"]
    assert _shape(model, kind.describe, "output")["members"][kind.properties_member]["shape"] == kind.properties_member


@pytest.mark.parametrize("name", TYPES)
def test_start_required_members_match_the_model(name: str, model: Mapping[str, Any]) -> None:
    kind = job_type(name)
    assert kind.bodies is not None
    assert sorted(kind.bodies.start.required) == sorted(_shape(model, kind.start, "input")["required"])


@pytest.mark.parametrize("name", TYPES)
def test_bodies_name_exactly_the_models_members(name: str, model: Mapping[str, Any]) -> None:
    """The common members with the type's differences are the model's members, operation by operation."""
    kind = job_type(name)
    bodies = kind.bodies
    assert bodies is not None
    pairs = [
        (bodies.start, _shape(model, kind.start, "input")),
        (bodies.start_response, _shape(model, kind.start, "output")),
        (bodies.describe, _shape(model, kind.describe, "input")),
        (bodies.list, _shape(model, kind.list, "input")),
        (bodies.stop, _shape(model, kind.stop, "input")),
        (bodies.stop_response, _shape(model, kind.stop, "output")),
        (bodies.job_properties, model["shapes"][kind.properties_member]),
    ]
    for body, shape in pairs:
        assert sorted(body.names) == sorted(shape["members"])
    listed = set(_shape(model, kind.list, "output")["members"]) - {kind.list_member}
    assert sorted(bodies.list_response.names) == sorted(listed)
    for body, shape in pairs[2:]:
        assert sorted(body.required) == sorted(shape.get("required", []))


@pytest.mark.parametrize("name", TYPES)
def test_languages_are_within_the_models_language_code(name: str, model: Mapping[str, Any]) -> None:
    kind = job_type(name)
    assert set(kind.languages) <= set(model["shapes"]["LanguageCode"]["enum"])
    has_member = "LanguageCode" in _shape(model, kind.start, "input")["members"]
    assert kind.has_language is has_member, "languages = [] exactly for the type without a LanguageCode member"


def test_event_types_are_the_documented_ones_and_fit_the_model(model: Mapping[str, Any]) -> None:
    events = job_type("Events")
    assert events.event_types == DOCUMENTED_EVENT_TYPES
    shape = model["shapes"]["EventTypeString"]
    for event_type in events.event_types:
        assert shape["min"] <= len(event_type) <= shape["max"]
        assert re.fullmatch(shape["pattern"], event_type), event_type
    assert all(not kind.event_types for kind in family() if kind.name != "Events")


def _documented(operation: str) -> list[dict[str, Any]]:
    found = [json.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES_DIR.glob(f"{operation}.*.json")]
    return [fixture["body"] for fixture in found if fixture["kind"] == "response"]


def _uris(node: object, key: str) -> list[str]:
    if isinstance(node, dict):
        own = [node[key]] if isinstance(node.get(key), str) else []
        return own + [uri for value in node.values() for uri in _uris(value, key)]
    if isinstance(node, list):
        return [uri for value in node for uri in _uris(value, key)]
    return []


@pytest.mark.parametrize("name", TYPES)
def test_arn_resource_and_output_codes_match_the_documented_examples(name: str) -> None:
    """Every documented JobArn names the type's ARN resource; every documented output folder has one of its codes,
    and the first (the reading) is documented."""
    kind = job_type(name)
    answers = [body for operation in kind.operations for body in _documented(operation)]
    arns = [arn for body in answers for arn in _uris(body, "JobArn")]
    assert arns
    assert all(f":{kind.arn_resource}/" in arn for arn in arns), arns
    outputs = [uri for body in answers for uri in _uris(body, "S3Uri") if "/output/" in uri]
    codes = {match[1] for uri in outputs for match in [re.search(r"/\d+-([A-Z]+)-[^/]+/output/", uri)] if match}
    assert codes <= set(kind.output_codes), codes
    assert kind.output_code in codes


def test_output_forms_and_record_schemas() -> None:
    assert job_type("PiiEntities").output_forms[0] is OutputForm.FILES
    assert job_type("TargetedSentiment").output_forms == (OutputForm.ARCHIVE_OF_FILES,)
    assert family().seed.record_schema == "sentiment-output-record"
    assert len({kind.record_schema for kind in family()}) == 7


def _family_text(**changes: str) -> str:
    """The family file with text replaced (old=new pairs given as keyword arguments' values joined by '=>')."""
    text = FAMILY_TOML.read_text(encoding="utf-8")
    for change in changes.values():
        old, new = change.split("=>")
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('record_schema = "key-phrases-output-record"\n=>', "'KeyPhrases' lacks field 'record_schema'"),
        ('output_forms = ["archive"]\n=>output_forms = ["zip"]\n', "'zip' is not a valid OutputForm"),
        ('name = "KeyPhrases"=>name = "Sentiment"', "appears twice"),
        (
            'members_added = { TargetEventTypes = "TargetEventTypes" }=>members_added = { JobName = "JobName" }',
            r"members_added names common members: \['JobName'\]",
        ),
        (
            'members_lacking = ["VolumeKmsKeyId", "VpcConfig"]\njob_properties_retyped'
            '=>members_lacking = ["VolumeKmsKeyId", "Vpc"]\njob_properties_retyped',
            r"members_lacking names members no common body has: \['Vpc'\]",
        ),
        (
            'analysis = "targeted-sentiment"\n=>analysis = "targeted-sentiment"\nmembers_lacking = ["LanguageCode"]\n',
            "say that it has no LanguageCode with languages = \\[\\]",
        ),
        (
            'start_required = ["LanguageCode", "TargetEventTypes"]=>start_required = ["LanguageCode", "TargetEvents"]',
            r"start_required names members its Start request lacks: \['TargetEvents'\]",
        ),
        (
            'job_properties_retyped = { OutputDataConfig = "ResponsePiiOutputDataConfig" }'
            '=>job_properties_retyped = { VpcConfig = "VpcConfig" }',
            r"job_properties_retyped names members its job properties lack: \['VpcConfig'\]",
        ),
        (
            'start_response_added = { EntityRecognizerArn = "EntityRecognizerArn" }'
            "=>start_response_added = { EntityRecognizerArn = 3 }",
            "start_response_added must be a table of member = shape",
        ),
        ("[common.stop_response]=>[common.stop_answer]", "the \\[common\\] table lacks 'stop_response'"),
        ('stop_required = ["JobId"]=>stop_required = ["Id"]', r"required members \['Id'\] are not members"),
    ],
)
def test_loader_refuses_a_malformed_entry_by_name(change: str, message: str) -> None:
    with pytest.raises(FamilyError, match=message):
        parse_family(_family_text(change=change))


def test_loader_refuses_an_empty_family() -> None:
    with pytest.raises(FamilyError, match="names no job type"):
        parse_family("[defaults]\n")


def test_the_committed_file_loads_with_bodies_for_every_type() -> None:
    loaded = parse_family(FAMILY_TOML.read_text(encoding="utf-8"))
    assert loaded == family()
    assert all(isinstance(kind, JobType) and kind.bodies is not None for kind in loaded)
