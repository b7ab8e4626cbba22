"""SigV4 at the reference: every way a signature can be wrong is refused, and refused requests do nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from comprehend_contract.clients import Credentials, RawSender, Signature
from comprehend_contract.reference import RunningService

LIST = "ListSentimentDetectionJobs"


def code_of(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    return str(body["__type"]).rpartition("#")[2]


def test_valid_signature_is_accepted(raw: RawSender) -> None:
    assert raw.send(LIST, {}).status == 200


def test_missing_signature_is_missing_authentication_token(raw: RawSender) -> None:
    response = raw.send(LIST, {}, signature=Signature.NONE)
    assert response.status == 400
    assert code_of(response) == "MissingAuthenticationTokenException"


def test_unknown_access_key_is_unrecognized_client(raw: RawSender) -> None:
    response = raw.send(LIST, {}, credentials=Credentials("AKIAUNKNOWNKEY000000", "secret"))
    assert code_of(response) == "UnrecognizedClientException"


@pytest.mark.parametrize("signature", [Signature.CORRUPT, Signature.TAMPERED_BODY])
def test_mismatched_signature_is_invalid_signature(raw: RawSender, signature: Signature) -> None:
    assert code_of(raw.send(LIST, {}, signature=signature)) == "InvalidSignatureException"


def test_wrong_secret_is_invalid_signature(raw: RawSender, reference: RunningService) -> None:
    wrong = Credentials(reference.accounts[0].access_key_id, "not-the-secret")
    assert code_of(raw.send(LIST, {}, credentials=wrong)) == "InvalidSignatureException"


@pytest.mark.parametrize(
    ("offset", "accepted", "phrase"),
    [
        (dt.timedelta(minutes=-14), True, ""),
        (dt.timedelta(minutes=-16), False, "Signature expired"),
        (dt.timedelta(minutes=16), False, "Signature not yet current"),
    ],
)
def test_clock_skew_over_fifteen_minutes_is_refused(
    raw: RawSender, offset: dt.timedelta, accepted: bool, phrase: str
) -> None:
    response = raw.send(LIST, {}, signed_at=dt.datetime.now(dt.UTC) + offset)
    if accepted:
        assert response.status == 200
    else:
        assert code_of(response) == "InvalidSignatureException"
        assert phrase in response.json()["message"]


def test_signature_for_another_service_or_region_is_refused(reference: RunningService) -> None:
    account = reference.accounts[0]
    keys = Credentials(account.access_key_id, account.secret_access_key)
    other_region = RawSender(reference.endpoint_url, "eu-west-1", keys)
    assert code_of(other_region.send(LIST, {})) == "InvalidSignatureException"
    other_service = RawSender(reference.endpoint_url, reference.region, keys, service="translate")
    assert code_of(other_service.send(LIST, {}, amz_target="Comprehend_20171127.ListSentimentDetectionJobs")) == (
        "InvalidSignatureException"
    )


def test_malformed_authorization_header_is_incomplete_signature(raw: RawSender) -> None:
    response = raw.send(LIST, {}, signature=Signature.NONE, headers={"Authorization": "AWS4-HMAC-SHA256 nonsense"})
    assert code_of(response) == "IncompleteSignatureException"


def test_refused_start_creates_no_job(raw: RawSender) -> None:
    before = raw.send(LIST, {}).json()["SentimentDetectionJobPropertiesList"]
    body = {
        "InputDataConfig": {"S3Uri": "s3://bucket-x/in/"},
        "OutputDataConfig": {"S3Uri": "s3://bucket-x/out/"},
        "DataAccessRoleArn": "arn:aws:iam::111111111111:role/x",
        "LanguageCode": "en",
    }
    for signature in (Signature.NONE, Signature.CORRUPT, Signature.TAMPERED_BODY):
        assert raw.send("StartSentimentDetectionJob", body, signature=signature).status == 400
    after = raw.send(LIST, {}).json()["SentimentDetectionJobPropertiesList"]
    assert {j["JobId"] for j in after} == {j["JobId"] for j in before}


def test_the_kept_signing_key_gives_botocore_s_own_signature() -> None:
    """The reference derives each day's signing key once; the signature must stay the one botocore computes."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    from comprehend_contract.reference.auth import signing_key

    request = AWSRequest(method="POST", url="http://127.0.0.1:4566/", data=b'{"JobId": "x"}')
    request.context["timestamp"] = "20261128T120000Z"
    signer = SigV4Auth(BotoCredentials("AKIAEXAMPLE", "secret/of/the/day"), "comprehend", "eu-west-1")
    string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
    key = signing_key("secret/of/the/day", "20261128", "eu-west-1")
    assert hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest() == signer.signature(
        string_to_sign, request
    )


@pytest.mark.parametrize("stamp", ["2026112T120000Z", "20261128T120000", "20261328T120000Z", "20261128 120000Z"])
def test_an_x_amz_date_not_in_basic_iso_8601_form_is_an_incomplete_signature(
    raw: RawSender, reference: RunningService, stamp: str
) -> None:
    from tests.reference.support import signed_request

    headers = signed_request(reference, LIST)
    headers["X-Amz-Date"] = stamp
    response = raw.send(LIST, {}, signature=Signature.NONE, headers=headers)
    assert response.status == 400
    assert code_of(response) == "IncompleteSignatureException"


def test_a_signature_accepted_once_holds_for_that_request_only(raw: RawSender, reference: RunningService) -> None:
    """The reference remembers the signature it computed for a request; the same signature on another body, path or
    target is still refused, and the same request sent again is accepted again."""
    from tests.reference.support import signed_request

    body = b'{"JobId": "remembered"}'
    headers = signed_request(reference, "DescribeSentimentDetectionJob", body)
    first = raw.send(None, body, signature=Signature.NONE, headers=headers)
    again = raw.send(None, body, signature=Signature.NONE, headers=headers)
    other_body = raw.send(None, b'{"JobId": "rememberex"}', signature=Signature.NONE, headers=headers)
    other_target = raw.send(
        None, body, signature=Signature.NONE, headers={**headers, "X-Amz-Target": "Comprehend_20171127.Stop"}
    )
    assert [code_of(first), code_of(again)] == ["JobNotFoundException", "JobNotFoundException"]
    assert code_of(other_body) == "InvalidSignatureException"
    assert code_of(other_target) == "InvalidSignatureException"
