"""The schema files themselves: naming, metadata, metaschema validity, shared definitions."""

from __future__ import annotations

import json

import jsonschema
import pytest

from comprehend_contract.resources import schemas_dir
from comprehend_contract.spec.drift import OPERATIONS
from comprehend_contract.spec.schemas import check_schema, check_schema_document, load_schema, schema_names

REQUIRED_SCHEMAS = {
    *(f"{operation}.{direction}" for operation in OPERATIONS for direction in ("request", "response")),
    "error",
    "sentiment-output-record",
    "definitions",
}


def test_every_required_schema_exists() -> None:
    assert set(schema_names()) >= REQUIRED_SCHEMAS


@pytest.mark.parametrize("name", schema_names())
def test_schema_is_valid_against_its_metaschema(name: str) -> None:
    check_schema(name)


@pytest.mark.parametrize("name", schema_names())
def test_schema_declares_draft_2020_12_id_title_and_description(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/schemas/{name}.json")
    assert schema["title"].strip()
    assert schema["description"].strip()


def test_schema_ids_are_unique() -> None:
    ids = [load_schema(name)["$id"] for name in schema_names()]
    assert len(ids) == len(set(ids))


def test_metaschema_check_rejects_a_broken_pattern() -> None:
    """The metaschema's 'format: regex' is checked, so the check can fail..."""
    with pytest.raises(jsonschema.SchemaError, match="regex"):
        check_schema_document({"type": "string", "pattern": "[unclosed"})


def test_metaschema_check_accepts_unicode_property_escapes() -> None:
    """...with the kit's pattern engine: stock jsonschema checks 'format: regex' with re, which rejects \\p{L}."""
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema(
            {"pattern": r"^\p{L}$"}, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
    check_schema_document({"pattern": r"^\p{L}$"})


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


@pytest.mark.parametrize("name", sorted(REQUIRED_SCHEMAS - {"definitions"}))
def test_shared_shapes_are_referenced_not_copied(name: str) -> None:
    """JobId, JobStatus, S3Uri, ... are defined once, in definitions.json; others only $ref them."""
    text = (schemas_dir() / f"{name}.json").read_text(encoding="utf-8")
    assert '"pattern"' not in text
    assert '"enum"' not in text
    for ref in _refs(json.loads(text)):
        assert ref.startswith(("definitions.json#/$defs/", "#/$defs/")), ref
