"""AWS's documented examples (tests/fixtures/aws_examples): the kit's schemas judge each as documented, for every
operation of the job family.

Every response example passes its schema: a schema that rejects a documented AWS answer is a bug in the schema.
Two declared exceptions, each checked to hold exactly:

- ``"request_schema_rejects": "<reason>"``: the request schema, which keeps the service model's constraints, must
  reject the request, and only for its S3 URIs (the documentation's placeholder buckets are uppercase, which the
  model's S3Uri pattern, and AWS, refuse);
- ``"response_schema_rejects": {"reason": ..., "at": [paths]}``: an answer AWS cannot give (an account id of 11 or
  13 digits, a typo of the documentation) must be rejected by the pattern of exactly those members.

A documented body that is not JSON at all (every Stop example: a missing quote) is kept verbatim in
``documented_text``; the test checks that it really fails to parse and that adding only the missing quote yields
``body``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError

from comprehend_contract.spec import load_schema, validator_for
from comprehend_contract.spec.family import family

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "aws_examples"
FIXTURES = sorted(EXAMPLES_DIR.glob("*.json"))
KINDS = {"request", "response"}
OPERATIONS = family().operations()
REQUEST_REJECTS = "request_schema_rejects"
RESPONSE_REJECTS = "response_schema_rejects"
MALFORMED = "documented_malformed"
UNDOCUMENTED_OPERATIONS: frozenset[str] = frozenset()
"""Operations of the family with no documented example (none: all 28 have one)."""
REQUEST_EXAMPLES_OMITTED: frozenset[str] = frozenset()
"""Operations whose documented example has no request (none: every example shows its CLI command)."""


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


def _by_kind(kind: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in FIXTURES:
        fixture = _load(path)
        if fixture["kind"] == kind:
            found.setdefault(fixture["operation"], []).append(path.name)
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_schema_judges_documented_example(path: Path) -> None:
    """A schema that rejects a documented AWS answer is a bug in the schema; a declared refusal must hold exactly."""
    fixture = _load(path)
    assert fixture["operation"] in OPERATIONS
    assert fixture["kind"] in KINDS
    assert path.name.startswith(f"{fixture['operation']}.")
    schema = f"{fixture['operation']}.{fixture['kind']}"
    errors = sorted(validator_for(schema).iter_errors(fixture["body"]), key=_where)
    listing = "\n".join(f"  at {_where(error)}: {error.message}" for error in errors)
    declared = [key for key in (REQUEST_REJECTS, RESPONSE_REJECTS) if key in fixture]
    if not declared:
        assert not errors, f"{schema} rejects {path.name}:\n{listing}"
        return
    assert declared == [f"{fixture['kind']}_schema_rejects"], f"{path.name}: a {fixture['kind']} declares {declared}"
    if fixture["kind"] == "request":
        reason = fixture[REQUEST_REJECTS]
        assert isinstance(reason, str), f"{path.name}: {REQUEST_REJECTS} must be a string, the reason"
        expected = sorted(_s3uri_paths(fixture["body"]))
        assert expected, f"{path.name} declares {REQUEST_REJECTS} but has no S3Uri"
    else:
        reason = fixture[RESPONSE_REJECTS]["reason"]
        expected = sorted(fixture[RESPONSE_REJECTS]["at"])
        assert expected, f"{path.name}: {RESPONSE_REJECTS} must say at which members"
    assert isinstance(reason, str), f"{path.name}: the refusal's reason must be a string"
    assert reason.strip(), f"{path.name}: the refusal must give its reason"
    assert errors, f"{schema} accepts {path.name}, which declares a refusal: {reason}"
    assert [(_where(error), error.validator) for error in errors] == [(where, "pattern") for where in expected], (
        f"{schema} must reject {path.name} exactly for the pattern of {', '.join(expected)}, but:\n{listing}"
    )


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_fixture_names_its_source(path: Path) -> None:
    """Every example says where it was copied from, and what was changed."""
    fixture = _load(path)
    for key in ("source", "note"):
        assert isinstance(fixture.get(key), str), (path.name, key)
        assert fixture[key].strip(), (path.name, key)


MALFORMED_FIXTURES = [path for path in FIXTURES if MALFORMED in _load(path)]


def test_every_documented_stop_answer_is_malformed_and_kept_verbatim() -> None:
    """FAMILY.md: the documented Stop examples' JSON is malformed in all seven files; none is repaired silently."""
    stops = {_load(path)["operation"] for path in MALFORMED_FIXTURES}
    assert stops == set(family().stops())


@pytest.mark.parametrize("path", MALFORMED_FIXTURES, ids=[path.name for path in MALFORMED_FIXTURES])
def test_malformed_documented_text_fails_and_one_quote_repairs_it(path: Path) -> None:
    """The documented text really is not JSON; adding only the missing quote gives the body, which validates."""
    fixture = _load(path)
    documented, anchor = fixture["documented_text"], fixture["missing_quote_after"]
    assert fixture[MALFORMED].strip()
    with pytest.raises(json.JSONDecodeError):
        json.loads(documented)
    assert documented.count(anchor) == 1, f"{path.name}: missing_quote_after must name one place"
    repaired = documented.replace(anchor, anchor + '"', 1)
    assert len(repaired) == len(documented) + 1
    assert json.loads(repaired) == fixture["body"]
    assert validator_for(f"{fixture['operation']}.{fixture['kind']}").is_valid(fixture["body"])


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_members_unknown_to_the_model_are_unknown_to_the_schema(path: Path) -> None:
    """A documented request may send a member its operation lacks (DominantLanguage's LanguageCode): the fixture
    says so, and the schema must indeed not name it (it passes only because unknown members are allowed)."""
    fixture = _load(path)
    unknown = fixture.get("members_unknown_to_model", [])
    schema = load_schema(f"{fixture['operation']}.{fixture['kind']}")
    assert set(unknown) <= set(fixture["body"]), path.name
    assert not set(unknown) & set(schema["properties"]), path.name
    if fixture["operation"] == family().get("DominantLanguage").start and fixture["kind"] == "request":
        assert "LanguageCode" in unknown, "the documented Start sends --language-code, which the type lacks"


def test_every_documented_operation_has_a_response_example() -> None:
    """Each of the family's 28 operations with a documented example has at least one response fixture."""
    documented = set(OPERATIONS) - UNDOCUMENTED_OPERATIONS
    assert len(OPERATIONS) == 28
    missing = sorted(documented - set(_by_kind("response")))
    assert not missing, f"no response example in {EXAMPLES_DIR} for: {', '.join(missing)}"


def test_every_documented_operation_has_a_request_example() -> None:
    """The documented CLI commands, translated to request bodies, for every operation."""
    documented = set(OPERATIONS) - UNDOCUMENTED_OPERATIONS - REQUEST_EXAMPLES_OMITTED
    missing = sorted(documented - set(_by_kind("request")))
    assert not missing, f"no request example in {EXAMPLES_DIR} for: {', '.join(missing)}"
