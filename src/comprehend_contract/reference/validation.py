"""Request validation from the kit's schemas, answered in AWS's own words.

The schemas are the only statement of each constraint; this module only translates a jsonschema error into
AWS's message form: ``1 validation error detected: Value 'x' at 'jobId' failed to satisfy constraint: Member
must have length less than or equal to 32``. A wrong JSON type is a deserialisation failure
(``SerializationException``), as in AWS's framework, before any constraint is checked.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema

from comprehend_contract.reference.errors import serialization_error, validation_error
from comprehend_contract.spec import validator_for
from comprehend_contract.spec.traceability import implements

_CONSTRAINT = {
    "minLength": "Member must have length greater than or equal to {}",
    "maxLength": "Member must have length less than or equal to {}",
    "minItems": "Member must have length greater than or equal to {}",
    "maxItems": "Member must have length less than or equal to {}",
    "minimum": "Member must have value greater than or equal to {}",
    "maximum": "Member must have value less than or equal to {}",
    "pattern": "Member must satisfy regular expression pattern: {}",
}


def _member_path(path: Iterable[object]) -> str:
    """AWS's member path: lowerCamel names joined by dots, list items as ``<list>.<n>.member`` (1-based)."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.extend((str(part + 1), "member"))
        else:
            name = str(part)
            parts.append(name[:1].lower() + name[1:])
    return ".".join(parts)


def _value(instance: object) -> str:
    if instance is None:
        return "null"
    if isinstance(instance, str):
        return f"'{instance}'"
    if isinstance(instance, bool):
        return f"'{str(instance).lower()}'"
    if isinstance(instance, list):
        return "'[" + ", ".join(str(item) for item in instance) + "]'"
    return f"'{instance}'"


@implements("ERR-VALIDATION-CODE")
def _describe(error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    rule_value: Any = error.validator_value
    instance: Any = error.instance
    if error.validator == "required":
        missing = [name for name in rule_value if name not in instance]
        path.append(missing[0] if missing else "?")
        return f"Value null at '{_member_path(path)}' failed to satisfy constraint: Member must not be null"
    if error.validator == "enum":
        rule = "Member must satisfy enum value set: [" + ", ".join(map(str, rule_value)) + "]"
    elif error.validator in _CONSTRAINT:
        rule = _CONSTRAINT[str(error.validator)].format(rule_value)
    else:
        rule = f"Member must satisfy the '{error.validator}' constraint"
    return f"Value {_value(error.instance)} at '{_member_path(path)}' failed to satisfy constraint: {rule}"


def _json_kind(instance: object) -> str:
    kinds: Mapping[type, str] = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if instance is None:
        return "null"
    return kinds.get(type(instance), "a number")


def without_nulls(value: Any) -> Any:
    """``value`` with every object member whose value is null removed: AWS's deserializer reads null as absent."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


@implements("REQ-JOBID-REQUIRED", "REQ-JOBID-LENGTH", "REQ-JOBID-PATTERN", "REQ-JOBID-TYPE")
def validate_request(operation: str, body: Any) -> dict[str, Any]:
    """The request as the operation sees it (null members absent); raises the AWS error a service would answer."""
    if not isinstance(body, dict):
        raise serialization_error(f"The request body must be a JSON object, not {_json_kind(body)}.")
    try:
        request: dict[str, Any] = {key: without_nulls(value) for key, value in body.items() if value is not None}
        seen = (operation, json.dumps(request, sort_keys=True))
    except RecursionError:
        raise serialization_error("The request body is nested too deeply.") from None
    if seen not in _PASSED:
        _check(operation, request)
        _PASSED.add(seen)
    return request


class _Passed:
    """The requests that passed validation lately, as (operation, canonical JSON): a request seen before (a client
    polling Describe for a job) is not validated again. Bounded; the oldest are forgotten first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple[str, str]) -> bool:
        with self._lock:
            if key not in self._seen:
                return False
            self._seen.move_to_end(key)
            return True

    def add(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._seen[key] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)


_PASSED = _Passed(1024)


@implements("REQ-JOBID-REQUIRED", "REQ-JOBID-LENGTH", "REQ-JOBID-PATTERN", "REQ-JOBID-TYPE", "ERR-VALIDATION-CODE")
def _check(operation: str, request: dict[str, Any]) -> None:
    """Raise the AWS error for the request's violations of the operation's request schema, if any."""
    errors = sorted(
        validator_for(f"{operation}.request").iter_errors(request), key=lambda e: [str(p) for p in e.absolute_path]
    )
    type_errors = [error for error in errors if error.validator == "type"]
    if type_errors:
        first = type_errors[0]
        expected = first.validator_value
        raise serialization_error(
            f"Cannot deserialize '{_member_path(first.absolute_path)}': expected {expected}, "
            f"found {_json_kind(first.instance)} ({json.dumps(first.instance)[:64]})."
        )
    if errors:
        described = [_describe(error) for error in errors]
        plural = "s" if len(described) > 1 else ""
        raise validation_error(f"{len(described)} validation error{plural} detected: " + "; ".join(described))
