"""The AWS JSON 1.1 protocol: headers, malformed bodies, unknown operations, error shape, 5xx, timestamps."""

from __future__ import annotations

import uuid

import pytest

from comprehend_contract.suite import (
    CONTENT_TYPE,
    NO_RETRIES,
    RETRYABLE_5XX,
    Api,
    Evidence,
    Exchange,
    Incomplete,
    Refusal,
    Scenario,
    TargetProfile,
    assert_error_shape,
    not_exercised,
    properties_of,
)

FRESH_REHEARSALS = 8


def _list_and_not_found(api: Api) -> list[Exchange]:
    return [api.list(), api.stop("0" * 32)]


@pytest.mark.clause("PROTO-CONTENT-TYPE")
def test_responses_carry_the_json_1_1_content_type(api: Api) -> None:
    for exchange in _list_and_not_found(api):
        media_type = exchange.headers.get("content-type", "").split(";")[0].strip().lower()
        assert media_type == CONTENT_TYPE, (
            f"{exchange.operation}: Content-Type {exchange.headers.get('content-type')!r}"
        )


@pytest.mark.clause("PROTO-REQUEST-ID")
def test_responses_carry_a_request_id(api: Api) -> None:
    for exchange in _list_and_not_found(api):
        assert exchange.headers.get("x-amzn-requestid"), (
            f"{exchange.operation} ({exchange.status}): no x-amzn-RequestId"
        )


@pytest.mark.clause("PROTO-MALFORMED-JSON")
@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"JobId": "abc"', b"[1, 2]", b'"JobId"', b"42", b"null", b"\xff\xfe{}"],
    ids=["garbage", "truncated", "array", "string", "number", "null", "not-utf8"],
)
def test_body_that_is_not_a_json_object_is_a_serialization_error(api: Api, body: bytes) -> None:
    exchange = api.call(api.job_type.stop, body)
    assert exchange.status == 400, exchange.describe()
    assert exchange.error_code == "SerializationException", (
        f"expected SerializationException, got {exchange.describe()}"
    )


@pytest.mark.clause("PROTO-UNKNOWN-OPERATION")
@pytest.mark.parametrize(
    "amz_target",
    ["Comprehend_20171127.StopEverythingJob", "Comprehend_20171127.{stop_lowercase}", "Comprehend_20171127."],
    ids=["no-such-operation", "lowercase", "empty"],
)
def test_unknown_target_is_unknown_operation(api: Api, amz_target: str) -> None:
    """An unknown X-Amz-Target (beside the type's Stop: its name in lower case) is UnknownOperationException."""
    target = amz_target.format(stop_lowercase=api.job_type.stop.lower())
    exchange = api.call(api.job_type.stop, {"JobId": "abc"}, amz_target=target)
    assert exchange.status == 400, exchange.describe()
    assert exchange.error_code == "UnknownOperationException", (
        f"expected UnknownOperationException, got {exchange.describe()}"
    )


@pytest.mark.clause("ERR-SHAPE")
@pytest.mark.parametrize(
    ("label", "body", "amz_target", "refusal"),
    [
        ("not-found", {"JobId": "0" * 32}, None, None),
        ("invalid", {"JobId": "a#b"}, None, None),
        ("missing", {}, None, None),
        ("malformed", b"{not json", None, None),
        ("unknown-operation", {}, "Comprehend_20171127.Nope", None),
        ("unsigned", {"JobId": "abc"}, None, Refusal.UNSIGNED),
        ("bad-signature", {"JobId": "abc"}, None, Refusal.CORRUPT_SIGNATURE),
    ],
)
def test_error_responses_name_the_error_with_a_message(
    api: Api, label: str, body: object, amz_target: str | None, refusal: Refusal | None
) -> None:
    """Every error: 4xx/5xx, JSON body, '__type' naming the error, a string 'message'/'Message'."""
    exchange = api.call(api.job_type.stop, body, amz_target=amz_target, refusal=refusal)  # type: ignore[arg-type]
    if refusal is not None and exchange.status < 400:
        # accepting it fails the AUTH clause (checked in passing); there is no error response to judge here
        not_exercised(f"the {refusal.label} Stop was accepted ({exchange.describe()}): judged under {refusal.clause}")
    assert exchange.status >= 400, f"{label}: expected an error, got {exchange.describe()}"
    assert_error_shape(exchange)


@pytest.mark.clause("ERR-INTERNAL")
def test_internal_error_on_stop_names_a_retryable_error_and_a_retry_is_answered(
    api: Api, target: TargetProfile
) -> None:
    """ "A 5xx answer names InternalServerException (or a throttling/unavailable code) and a retry of the same request
    is safe": judged on a Stop the target rehearses a 5xx for, and in passing on every 5xx of the run."""
    prefix = target.internal_error_job_id_prefix
    if prefix is None:
        not_exercised(
            "the target rehearses no internal error (profile [rehearsal] internal_error_job_id_prefix); "
            "5xx answers the run happens to see are still judged in passing"
        )
    for _ in range(FRESH_REHEARSALS):
        # its first answer must be seen as it was: a network fault on it is met with a fresh rehearsal, not a retry
        job_id = (prefix + uuid.uuid4().hex)[:32]
        try:
            first = api.call(api.job_type.stop, {"JobId": job_id}, retry=NO_RETRIES)
        except Incomplete:
            continue
        break
    else:
        raise Incomplete(f"{FRESH_REHEARSALS} rehearsed Stops in a row met only network faults")
    if first.status < 500:
        not_exercised(f"the rehearsed 5xx did not happen: the first Stop of {job_id} answered {first.describe()}")
    assert first.error_code in RETRYABLE_5XX, (
        f"a {first.status} answer names {first.error_code!r}, not InternalServerException or a throttling code"
    )
    retry = api.stop(job_id)
    assert retry.status < 500, f"a retry of the same Stop failed again: {retry.describe()}"


@pytest.mark.clause("ERR-INTERNAL")
def test_server_errors_to_ordinary_requests_name_a_retryable_error(api: Api) -> None:
    """A spread of ordinary requests (Stop first); any 5xx among the answers must name a retryable error."""
    exchanges = [
        api.stop("0" * 32),
        api.stop("a#b"),
        api.describe("0" * 32),
        api.list(),
    ]
    server_errors = [e for e in exchanges if e.status >= 500]
    if not server_errors:
        not_exercised("the target answered none of these ordinary requests with a 5xx")
    for exchange in server_errors:
        assert exchange.error_code in RETRYABLE_5XX, f"{exchange.operation}: {exchange.describe()}"


@pytest.mark.clause("PROTO-TIMESTAMPS")
@pytest.mark.scenario(Scenario.COMPLETED)
def test_timestamps_are_epoch_seconds_as_json_numbers(evidence: Evidence) -> None:
    """The protocol's default timestamp format: SubmitTime/EndTime are JSON numbers, not strings."""
    described = [properties for exchange in evidence.exchanges if (properties := properties_of(exchange)) is not None]
    if not described:
        pytest.skip(f"not exercised: no successful Describe in the scenario ({evidence.reason or 'none made'})")
    seen = 0
    for properties in described:
        for name in ("SubmitTime", "EndTime"):
            if name in properties:
                seen += 1
                value = properties[name]
                assert not isinstance(value, bool), f"{name} is {value!r}"
                assert isinstance(value, int | float), f"{name} is {value!r}, not a JSON number"
    assert seen, "no Describe response showed SubmitTime"
