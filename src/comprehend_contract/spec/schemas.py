"""The kit's JSON Schemas and the one validator factory every part uses.

Schemas live in ``schemas/`` (see ``comprehend_contract.resources``); each is named by its file stem, e.g.
``StopSentimentDetectionJob.request``. All ``$ref``s resolve inside that directory through an in-memory
registry: nothing is ever fetched. Validators use ``comprehend_contract.spec.patterns`` for ``pattern`` (and for
the metaschema's ``format: regex``), so ``\\p{L}`` means Unicode letters, as the spec says.
"""

from __future__ import annotations

import copy
import enum
import functools
import json
from collections.abc import Mapping
from typing import Any

import jsonschema
import regex
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from comprehend_contract.resources import schemas_dir
from comprehend_contract.spec.patterns import UnsupportedPattern, compile_pattern, pattern_matches

SchemaName = str
DEFINITIONS = "definitions"


class UnknownSchema(KeyError):
    """No schema of that name exists in ``schemas/``."""

    def __str__(self) -> str:
        return f"no schema named {self.args[0]!r}; known schemas: {', '.join(schema_names())}"


class TimestampForm(enum.Enum):
    """Which form of ``Timestamp`` a validator accepts.

    ``WIRE`` is the protocol's form (a JSON number of epoch seconds; clause PROTO-TIMESTAMPS). ``LENIENT`` also
    accepts an ISO 8601 string, for clauses that judge a response's shape but not its timestamp encoding.
    """

    WIRE = "wire"
    LENIENT = "lenient"


def _ecma_pattern(validator: Validator, pattern: str, instance: object, schema: Mapping[str, Any]) -> Any:
    """The ``pattern`` keyword with ECMA-262 semantics and Unicode property escapes."""
    if isinstance(instance, str) and not pattern_matches(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_regex(candidate: object) -> bool:
    if not isinstance(candidate, str):
        return True
    compile_pattern(candidate)
    return True


FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("regex", raises=(regex.error, UnsupportedPattern))(_is_regex)

SpecValidator: type[Validator] = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator,
    validators={"pattern": _ecma_pattern},
    format_checker=FORMAT_CHECKER,
)


@functools.cache
def schema_names() -> tuple[SchemaName, ...]:
    """Every schema's name (file stem), sorted."""
    return tuple(sorted(path.name.removesuffix(".json") for path in schemas_dir().glob("*.json")))


@functools.cache
def _load(name: SchemaName) -> Mapping[str, Any]:
    if name not in schema_names():
        raise UnknownSchema(name)
    with (schemas_dir() / f"{name}.json").open(encoding="utf-8") as handle:
        loaded: Mapping[str, Any] = json.load(handle)
    return loaded


def load_schema(name: SchemaName) -> dict[str, Any]:
    """A fresh copy of the schema ``name`` (callers may mutate it)."""
    return copy.deepcopy(dict(_load(name)))


@functools.cache
def _registry(timestamps: TimestampForm) -> Registry[Any]:
    resources = []
    for name in schema_names():
        contents = load_schema(name)
        if name == DEFINITIONS and timestamps is TimestampForm.LENIENT:
            contents["$defs"]["Timestamp"] = {"$ref": "#/$defs/LenientTimestamp"}
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources).crawl()


@functools.cache
def validator_for(name: SchemaName, timestamps: TimestampForm = TimestampForm.WIRE) -> Validator:
    """The validator for schema ``name``, built once and shared (validators are immutable and thread-safe)."""
    schema = _load(name)
    return SpecValidator(schema, registry=_registry(timestamps))


def check_schema_document(schema: Mapping[str, Any]) -> None:
    """Raise ``jsonschema.SchemaError`` unless ``schema`` is valid under the 2020-12 metaschema.

    The metaschema's ``format: regex`` is checked with FORMAT_CHECKER, i.e. with the kit's pattern engine: stock
    jsonschema would check it with ``re`` and reject every ``\\p{...}`` pattern of the spec.
    """
    meta = SpecValidator(SpecValidator.META_SCHEMA, format_checker=FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(meta.iter_errors(schema))
    if error is not None:
        raise jsonschema.SchemaError.create_from(error)


def check_schema(name: SchemaName) -> None:
    """Raise ``jsonschema.SchemaError`` unless the kit's schema ``name`` is valid under its metaschema."""
    check_schema_document(_load(name))
