"""Drift check: do the kit's schemas still say what the AWS SDK's service model says?

Walks the input and output shapes of every operation of the job family (each type's Start, Describe, List and
Stop, read from ``spec/family.toml``: 28 today), recursively, and compares every member with the schema node it
maps to: required members, JSON type, min/max (length, items, value), pattern and enum, in both directions (a
constraint only one side has is a mismatch too). The modeled errors' members are compared with ``error.json``, and
the model shapes no operation body reaches (the output records' enums and SentimentScore, the request form of
PiiOutputDataConfig) with their definitions. The only differences allowed are the deliberate ones in
``REFINEMENTS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from referencing import Registry, Resource
from referencing._core import Resolver
from referencing.jsonschema import DRAFT202012

from comprehend_contract.spec.family import Family, family

STANDALONE_SHAPES = (
    "SentimentType",
    "SentimentScore",
    "EntityType",
    "PiiEntityType",
    "TargetedSentimentEntityType",
    "PiiOutputDataConfig",
)
"""Model shapes with a definition of the same name that no operation body reaches (or not in that form): the
output records' shapes the model has, and PiiOutputDataConfig, which only responses carry (as
ResponsePiiOutputDataConfig). Each is compared with ``definitions.json#/$defs/<name>`` directly."""

_JSON_TYPE = {
    "string": "string",
    "blob": "string",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "boolean": "boolean",
    "timestamp": "number",
    "structure": "object",
    "map": "object",
    "list": "array",
}

_BOUNDS = {
    "string": ("minLength", "maxLength"),
    "blob": ("minLength", "maxLength"),
    "list": ("minItems", "maxItems"),
    "map": ("minProperties", "maxProperties"),
    "integer": ("minimum", "maximum"),
    "long": ("minimum", "maximum"),
    "float": ("minimum", "maximum"),
    "double": ("minimum", "maximum"),
}

_CHECKED_KEYWORDS = frozenset(
    {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minimum", "maximum"}
    | {"pattern", "enum", "required"}
)


@dataclass(frozen=True, slots=True)
class Refinement:
    """A deliberate difference between a schema and the model at one (member, constraint), and why.

    ``schema_says``, given what the model says, gives the one value the schema must say: the difference is
    excused only then, so a refinement cannot hide a later change on either side. ``None`` excuses any value.
    """

    reason: str
    schema_says: Callable[[object], object] | None = None


def _bucket_allows_uppercase(model_pattern: object) -> object:
    """The model's S3Uri pattern with A-Z added to the bucket part's character classes (``ResponseS3Uri``)."""
    return model_pattern.replace("a-z0-9", "a-zA-Z0-9") if isinstance(model_pattern, str) else model_pattern


_RESPONSE_S3URI_REASON = (
    "loosened, in responses only: the bucket part also allows A-Z (definitions ResponseS3Uri). AWS's documented"
    " Describe/List answers show uppercase placeholder buckets (s3://DOC-EXAMPLE-BUCKET/...) and legacy us-east-1"
    " bucket names may contain uppercase letters; a schema that rejects a documented AWS answer is a bug in the"
    " schema. Requests keep the model's pattern (AWS refuses an uppercase bucket in Start)"
)


def _response_s3_uris(types: Family) -> Iterator[str]:
    """The member paths of every S3Uri a type's Describe and List answers carry, for every type."""
    for job_type in types:
        for properties in (
            f"{job_type.describe}.response.{job_type.properties_member}",
            f"{job_type.list}.response.{job_type.list_member}[]",
        ):
            for config in ("InputDataConfig", "OutputDataConfig"):
                yield f"{properties}.{config}.S3Uri"


REFINEMENTS: Mapping[tuple[str, str], Refinement] = {
    ("definitions:SentimentScore", "required"): Refinement("an output record carries all four scores"),
    **{
        (f"definitions:SentimentScore.{member}", bound): Refinement("a confidence score lies in [0, 1]")
        for member in ("Positive", "Negative", "Neutral", "Mixed")
        for bound in ("minimum", "maximum")
    },
    **{
        (member, "pattern"): Refinement(_RESPONSE_S3URI_REASON, _bucket_allows_uppercase)
        for member in _response_s3_uris(family())
    },
}
"""Where a schema deliberately differs from the model, and why: stricter (the output record's scores) or, in one
place, looser (a response's S3 bucket may have uppercase letters, in every type's Describe and List answers).
Nothing else may differ."""


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One constraint on which the model and a schema disagree."""

    member: str
    constraint: str
    model: object
    schema: object

    def __str__(self) -> str:
        return f"{self.member}: {self.constraint}: model says {self.model!r}, schema says {self.schema!r}"


class _Walker:
    def __init__(self, model: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]]) -> None:
        self.shapes: Mapping[str, Any] = model["shapes"]
        self.schemas = schemas
        resources = [
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012))
            for contents in schemas.values()
        ]
        self.registry: Registry[Any] = Registry().with_resources(resources)

    def root(self, schema_name: str) -> tuple[Mapping[str, Any], Resolver[Any]]:
        contents = self.schemas[schema_name]
        return contents, self.registry.resolver(base_uri=contents["$id"])

    @staticmethod
    def deref(node: Mapping[str, Any], resolver: Resolver[Any]) -> tuple[Mapping[str, Any], Resolver[Any]]:
        while "$ref" in node:
            resolved = resolver.lookup(node["$ref"])
            node, resolver = resolved.contents, resolved.resolver
        return node, resolver

    def compare(
        self,
        shape_name: str,
        node: Mapping[str, Any],
        resolver: Resolver[Any],
        member: str,
        stack: tuple[str, ...] = (),
    ) -> Iterator[Mismatch]:
        node, resolver = self.deref(node, resolver)
        shape = self.shapes[shape_name]
        kind = shape["type"]
        yield from self._constraint(member, "type", _JSON_TYPE[kind], node.get("type"))
        expected: dict[str, object] = {}
        if kind in _BOUNDS:
            low, high = _BOUNDS[kind]
            expected[low] = shape.get("min")
            expected[high] = shape.get("max")
        if kind == "string":
            expected["pattern"] = shape.get("pattern")
            expected["enum"] = sorted(shape["enum"]) if "enum" in shape else None
        if kind == "structure":
            expected["required"] = sorted(shape.get("required", [])) or None
        for keyword in sorted(_CHECKED_KEYWORDS):
            actual = node.get(keyword)
            if keyword in ("required", "enum") and actual is not None:
                actual = sorted(actual) or None
            yield from self._constraint(member, keyword, expected.get(keyword), actual)
        if shape_name in stack:
            return
        stack = (*stack, shape_name)
        if kind == "structure":
            yield from self.compare_members(shape_name, node, resolver, member, stack)
        elif kind == "list":
            items = node.get("items", {})
            yield from self.compare(shape["member"]["shape"], items, resolver, f"{member}[]", stack)

    def compare_members(
        self,
        shape_name: str,
        node: Mapping[str, Any],
        resolver: Resolver[Any],
        member: str,
        stack: tuple[str, ...] = (),
        *,
        schema_may_have_more: bool = False,
    ) -> Iterator[Mismatch]:
        node, resolver = self.deref(node, resolver)
        model_members: Mapping[str, Any] = self.shapes[shape_name].get("members", {})
        properties: Mapping[str, Any] = node.get("properties", {})
        for name in model_members.keys() - properties.keys():
            yield Mismatch(f"{member}.{name}", "member", "present", "absent")
        if not schema_may_have_more:
            for name in properties.keys() - model_members.keys():
                yield Mismatch(f"{member}.{name}", "member", "absent", "present")
        for name in sorted(model_members.keys() & properties.keys()):
            yield from self.compare(model_members[name]["shape"], properties[name], resolver, f"{member}.{name}", stack)

    @staticmethod
    def _constraint(member: str, constraint: str, model: object, schema: object) -> Iterator[Mismatch]:
        if model == schema:
            return
        refinement = REFINEMENTS.get((member, constraint))
        if refinement is not None and (refinement.schema_says is None or refinement.schema_says(model) == schema):
            return
        yield Mismatch(member, constraint, model, schema)


def compare(
    model: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]], types: Family | None = None
) -> list[Mismatch]:
    """Every mismatch between the service ``model`` (botocore's raw JSON) and ``schemas`` (name → contents), for
    every operation of ``types`` (the kit's family by default)."""
    walker = _Walker(model, schemas)
    mismatches: list[Mismatch] = []
    errors: set[str] = set()
    for operation in (types if types is not None else family()).operations():
        spec = model["operations"].get(operation)
        if spec is None:
            mismatches.append(Mismatch(operation, "operation", "absent", "present"))
            continue
        for direction, key in (("request", "input"), ("response", "output")):
            name = f"{operation}.{direction}"
            if name not in schemas:
                mismatches.append(Mismatch(name, "schema", "present", "absent"))
                continue
            node, resolver = walker.root(name)
            mismatches.extend(walker.compare(spec[key]["shape"], node, resolver, name))
        errors.update(error["shape"] for error in spec.get("errors", []))
    node, resolver = walker.root("error")
    for error in sorted(errors):
        mismatches.extend(walker.compare_members(error, node, resolver, f"error:{error}", schema_may_have_more=True))
    definitions, resolver = walker.root("definitions")
    for shape in STANDALONE_SHAPES:
        mismatches.extend(walker.compare(shape, definitions["$defs"][shape], resolver, f"definitions:{shape}"))
    return mismatches


def load_botocore_model() -> tuple[Mapping[str, Any], str]:
    """The installed botocore's Comprehend model, and botocore's version."""
    import botocore
    import botocore.loaders

    model: Mapping[str, Any] = botocore.loaders.create_loader().load_service_model("comprehend", "service-2")
    return model, botocore.__version__


def check_installed_botocore() -> list[Mismatch]:
    """Mismatches between the installed botocore's model and the kit's schemas."""
    from comprehend_contract.spec.schemas import load_schema, schema_names

    model, _ = load_botocore_model()
    return compare(model, {name: load_schema(name) for name in schema_names()})
