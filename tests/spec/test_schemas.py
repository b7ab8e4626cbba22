"""The schema files themselves: naming, metadata, metaschema validity, shared definitions."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from comprehend_contract.resources import schemas_dir
from comprehend_contract.spec.family import family
from comprehend_contract.spec.schemas import check_schema, check_schema_document, load_schema, schema_names

REQUIRED_SCHEMAS = {
    *(f"{operation}.{direction}" for operation in family().operations() for direction in ("request", "response")),
    *(job_type.record_schema for job_type in family()),
    "error",
    "error-output-record",
    "job-properties",
    "definitions",
}
KIT_FORMATS = {"report", "snapshot", "target-profile"}
"""The kit's own documents (reports, snapshots, target profiles): not Comprehend shapes, so not bound to definitions."""
SHARED_SOURCES = ("definitions.json#/$defs/", "job-properties.json#/$defs/", "error-output-record.json", "#/$defs/")


def test_every_required_schema_exists() -> None:
    """The 56 operation schemas of the family (seven types, four operations, request and response), the seven
    output record schemas and the shared ones."""
    assert len(family().operations()) * 2 == 56
    assert set(schema_names()) >= REQUIRED_SCHEMAS


def test_no_schema_but_the_required_and_the_kit_formats() -> None:
    """A schema file nobody names (a type removed from the family, a typo) is an error, not dead weight."""
    assert set(schema_names()) == REQUIRED_SCHEMAS | KIT_FORMATS


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
    """JobId, JobStatus, S3Uri, ... are defined once, in definitions.json; others only $ref them (and the job
    properties and the error record, each defined once too)."""
    text = (schemas_dir() / f"{name}.json").read_text(encoding="utf-8")
    assert '"pattern"' not in text
    assert '"enum"' not in text
    for ref in _refs(json.loads(text)):
        assert ref.startswith(SHARED_SOURCES), ref


@pytest.mark.parametrize("name", sorted(REQUIRED_SCHEMAS))
def test_every_reference_resolves(name: str) -> None:
    """Each $ref names a schema and a $def that exist: a typo in family.toml's shapes fails here, not at run time."""
    documents = [load_schema(other) for other in schema_names()]
    registry: Registry[Any] = Registry().with_resources(
        (document["$id"], Resource.from_contents(document, default_specification=DRAFT202012)) for document in documents
    )
    resolver = registry.resolver(base_uri=load_schema(name)["$id"])
    for ref in _refs(load_schema(name)):
        assert resolver.lookup(ref).contents is not None, ref
