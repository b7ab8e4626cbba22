"""AWS's documented examples (tests/fixtures/aws_examples): the kit's schemas judge each as documented.

Every response example passes its schema: a schema that rejects a documented AWS answer is a bug in the schema.
Every request example passes too, unless the fixture declares ``"request_schema_rejects": "<reason>"``: then the
request schema, which keeps the service model's constraints, must reject it, and only for its S3 URIs (the
documentation's placeholder buckets are uppercase, which the model's S3Uri pattern, and AWS, refuse).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError

from comprehend_contract.spec import validator_for
from comprehend_contract.spec.family import family

OPERATIONS = family().operations()

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "aws_examples"
FIXTURES = sorted(EXAMPLES_DIR.glob("*.json"))
KINDS = {"request", "response"}
REJECTS = "request_schema_rejects"
DOCUMENTED_OPERATIONS = frozenset(
    {
        "StartSentimentDetectionJob",
        "DescribeSentimentDetectionJob",
        "ListSentimentDetectionJobs",
        "StopSentimentDetectionJob",
    }
)


def _load(path: Path) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return fixture


def _where(error: ValidationError) -> str:
    return "/".join(map(str, error.absolute_path)) or "(root)"


def _s3uri_paths(node: object, path: tuple[str, ...] = ()) -> list[str]:
    """The path of every ``S3Uri`` member in a body, as ``_where`` writes it."""
    if not isinstance(node, dict):
        return []
    own = ["/".join((*path, "S3Uri"))] if "S3Uri" in node else []
    return own + [found for key, value in node.items() for found in _s3uri_paths(value, (*path, key))]


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_schema_judges_documented_example(path: Path) -> None:
    """A schema that rejects a documented AWS answer is a bug in the schema; a declared request refusal must hold."""
    fixture = _load(path)
    assert fixture["operation"] in OPERATIONS
    assert fixture["kind"] in KINDS
    assert path.name.startswith(f"{fixture['operation']}.")
    schema = f"{fixture['operation']}.{fixture['kind']}"
    errors = sorted(validator_for(schema).iter_errors(fixture["body"]), key=_where)
    listing = "\n".join(f"  at {_where(error)}: {error.message}" for error in errors)
    if REJECTS not in fixture:
        assert not errors, f"{schema} rejects {path.name}:\n{listing}"
        return
    reason = fixture[REJECTS]
    assert fixture["kind"] == "request", f"{path.name}: only a request may declare {REJECTS}; responses must pass"
    assert isinstance(reason, str), f"{path.name}: {REJECTS} must be a string, the reason"
    assert reason.strip(), f"{path.name}: {REJECTS} must give the reason"
    expected = sorted(_s3uri_paths(fixture["body"]))
    assert expected, f"{path.name} declares {REJECTS} but has no S3Uri"
    assert errors, f"{schema} accepts {path.name}, which declares {REJECTS}: {reason}"
    assert [(_where(error), error.validator) for error in errors] == [(where, "pattern") for where in expected], (
        f"{schema} must reject {path.name} exactly for the pattern of {', '.join(expected)}, but:\n{listing}"
    )


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_fixture_names_its_source(path: Path) -> None:
    """Every example says where it was copied from."""
    source = _load(path).get("source")
    assert isinstance(source, str)
    assert source.strip()


def test_every_documented_operation_has_a_response_example() -> None:
    """Each operation whose documentation has examples has at least one response fixture."""
    assert set(OPERATIONS) >= DOCUMENTED_OPERATIONS
    responses = {fixture["operation"] for fixture in map(_load, FIXTURES) if fixture["kind"] == "response"}
    missing = sorted(DOCUMENTED_OPERATIONS - responses)
    assert not missing, f"no response example in {EXAMPLES_DIR} for: {', '.join(missing)}"
