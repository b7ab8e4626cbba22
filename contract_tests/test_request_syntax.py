"""Request syntax of each Stop<Type>DetectionJob: JobId presence, length, pattern and type.

Both directions of the boundary are tested: a malformed JobId must be rejected as invalid (400, a validation
error), and a well-formed one must pass validation (an unknown id then gets JobNotFoundException).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprehend_contract.suite import (
    CHARACTER_SAMPLES,
    TRANSPORTS,
    Api,
    ClauseChecks,
    Exchange,
    JobIdCase,
    judges,
    length_cases,
    pattern_cases,
    schema_accepts,
)

INVALID_CODES = frozenset({"ValidationException", "InvalidRequestException"})
AWS_VALIDATION_MESSAGE = re.compile(
    r"^\d+ validation errors? detected: Value (null|'.*') at 'jobId' failed to satisfy constraint: Member must .+",
    re.DOTALL,
)


@judges("REQ-JOBID-REQUIRED", "REQ-JOBID-LENGTH", "REQ-JOBID-PATTERN", "REQ-JOBID-TYPE")
def assert_rejected_as_invalid(exchange: Exchange, codes: frozenset[str] = INVALID_CODES) -> None:
    """HTTP 400 with a code that says the input is invalid, never a not-found error."""
    assert exchange.status == 400, f"expected HTTP 400 rejecting invalid input, got {exchange.describe()}"
    assert exchange.error_code in codes, f"expected one of {sorted(codes)}, got {exchange.describe()}"


@judges("REQ-JOBID-LENGTH", "REQ-JOBID-PATTERN")
def assert_passes_validation(exchange: Exchange) -> None:
    """A well-formed but unknown JobId reaches the job lookup: 400 JobNotFoundException."""
    assert exchange.error_code == "JobNotFoundException", (
        f"a well-formed JobId must pass validation and get JobNotFoundException, got {exchange.describe()}"
    )
    assert exchange.status == 400, f"JobNotFoundException must be HTTP 400, got {exchange.status}"


def _ids(cases: list[JobIdCase]) -> list[str]:
    return [f"{'valid' if case.valid else 'invalid'}: {case.label}" for case in cases]


@pytest.mark.clause("REQ-JOBID-REQUIRED")
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_request_without_job_id_is_rejected_as_invalid(api: Api, transport: str) -> None:
    """'JobId ... Required: Yes'."""
    assert_rejected_as_invalid(api.call(api.job_type.stop, {}, transport=transport))


@pytest.mark.clause("REQ-JOBID-LENGTH")
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", length_cases(), ids=_ids(length_cases()))
def test_job_id_length_is_one_to_thirty_two_code_points(api: Api, case: JobIdCase, transport: str) -> None:
    """'Length Constraints: Minimum length of 1. Maximum length of 32.' (code points, not bytes)."""
    exchange = api.stop(case.job_id, transport=transport)
    if case.valid:
        assert_passes_validation(exchange)
    else:
        assert_rejected_as_invalid(exchange)


@pytest.mark.clause("REQ-JOBID-PATTERN")
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_job_id_characters_follow_the_unicode_pattern(api: Api, checks: ClauseChecks, transport: str) -> None:
    """'Pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-%@]*)$': Unicode letters, separators, numbers and _.:/=+-%@.

    One JobId per character class of the table, each a check of its own; the Stops are independent, so they are
    sent several at a time (against a distant target the table takes the time of a few requests, not of 76)."""
    cases = pattern_cases()
    exchanges = api.stop_each([case.job_id for case in cases], transport=transport)
    for case, label, exchange in zip(cases, _ids(cases), exchanges, strict=True):
        with checks.clause("REQ-JOBID-PATTERN", label, exchange):
            if case.valid:
                assert_passes_validation(exchange)
            else:
                assert_rejected_as_invalid(exchange)


@pytest.mark.clause("REQ-JOBID-PATTERN", "REQ-JOBID-LENGTH")
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(job_id=st.text(alphabet=st.sampled_from(CHARACTER_SAMPLES), min_size=0, max_size=40))
def test_generated_job_ids_are_judged_as_the_schema_judges_them(api: Api, job_id: str) -> None:
    """Property: for JobIds built from the pattern's character classes, the target agrees with the schema."""
    exchange = api.stop(job_id)
    if schema_accepts(job_id):
        assert_passes_validation(exchange)
    else:
        assert_rejected_as_invalid(exchange)


@pytest.mark.clause("REQ-JOBID-TYPE")
@pytest.mark.parametrize("value", [5, 5.5, None, True, [], ["abc"], {}, {"JobId": "abc"}], ids=repr)
def test_job_id_that_is_not_a_string_is_rejected(api: Api, value: object) -> None:
    """'Type: String': any other JSON type is invalid (SerializationException is also acceptable)."""
    exchange = api.stop(value)
    assert_rejected_as_invalid(exchange, INVALID_CODES | {"SerializationException"})


def _invalid_cases() -> list[JobIdCase]:
    return [case for case in length_cases() + pattern_cases() if not case.valid]


@pytest.mark.clause("ERR-VALIDATION-CODE")
@pytest.mark.parametrize("case", _invalid_cases(), ids=[c.label for c in _invalid_cases()])
def test_constraint_violation_is_a_validation_exception_in_aws_words(api: Api, case: JobIdCase) -> None:
    """AWS's form: "1 validation error detected: Value '<v>' at 'jobId' failed to satisfy constraint: ..."."""
    exchange = api.stop(case.job_id)
    assert exchange.error_code == "ValidationException", f"expected ValidationException, got {exchange.describe()}"
    assert AWS_VALIDATION_MESSAGE.match(exchange.message or ""), f"message not in AWS's form: {exchange.message!r}"


@pytest.mark.clause("ERR-VALIDATION-CODE")
@pytest.mark.parametrize("body", [{}, {"JobId": None}], ids=["absent", "null"])
def test_missing_job_id_reads_value_null_must_not_be_null(api: Api, body: dict[str, object]) -> None:
    """AWS reads a null member as absent: both get "Value null at 'jobId' ... Member must not be null"."""
    exchange = api.call(api.job_type.stop, body)
    assert exchange.error_code == "ValidationException", f"expected ValidationException, got {exchange.describe()}"
    message = exchange.message or ""
    assert "Value null at 'jobId'" in message, message
    assert "Member must not be null" in message, message
