"""SigV4 verification: botocore's own signer recomputes the signature the client should have sent.

The canonical request and the string to sign come from ``botocore.auth.SigV4Auth``, fed with the headers the
client said it signed and the timestamp it used; the signature is the HMAC-SHA256 of the string to sign with the
day's signing key, which botocore derives anew for every signature and ``signing_key`` keeps for each day, region
and service (``tests/reference/test_authentication.py`` checks that both give botocore's signature). The signature
expected of a request is remembered by everything it is computed from (``_Expected``), so the same request sent
again within the second is not signed again; what it carries is compared with it every time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from comprehend_contract.reference.accounts import Account
from comprehend_contract.reference.errors import (
    AwsError,
    incomplete_signature,
    invalid_signature,
    missing_authentication,
    unrecognized_client,
)
from comprehend_contract.spec.traceability import implements

SERVICE = "comprehend"
MAX_SKEW = dt.timedelta(minutes=15)
_AMZ_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+"
    r"Credential=(?P<key>[^/\s,]+)/(?P<date>\d{8})/(?P<region>[^/\s,]+)/(?P<service>[^/\s,]+)/(?P<term>[^/\s,]+)\s*,\s*"
    r"SignedHeaders=(?P<headers>[a-z0-9\-;]+)\s*,\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})\s*$"
)


class AuthFailureReason(StrEnum):
    """Why a request failed authentication: the public reason, whatever the error message says."""

    MISSING = "MISSING"
    """No Authorization header (MissingAuthenticationTokenException)."""
    MALFORMED = "MALFORMED"
    """The Authorization or X-Amz-Date header is not in SigV4 form (IncompleteSignatureException)."""
    UNKNOWN_KEY = "UNKNOWN_KEY"
    """The access key id is no account's (UnrecognizedClientException)."""
    WRONG_SCOPE = "WRONG_SCOPE"
    """The credential scope's date, region, service or terminator is wrong."""
    UNSIGNED_HEADER = "UNSIGNED_HEADER"
    """Host or X-Amz-Date is not signed, or a header listed as signed is absent."""
    BODY_HASH_MISMATCH = "BODY_HASH_MISMATCH"
    """X-Amz-Content-SHA256 is not the hash of the body that arrived."""
    SIGNATURE_MISMATCH = "SIGNATURE_MISMATCH"
    """The signature is not the one the account's secret gives for this request."""
    EXPIRED = "EXPIRED"
    """A valid signature made more than 15 minutes ago."""
    NOT_YET_VALID = "NOT_YET_VALID"
    """A valid signature dated more than 15 minutes ahead."""


class AuthRefused(AwsError):
    """An authentication error: the AWS error answered, why (``reason``), and the signing key's account if known."""

    def __init__(self, reason: AuthFailureReason, error: AwsError, account: Account | None = None) -> None:
        super().__init__(
            error.code,
            error.message,
            status=error.status,
            namespace=error.namespace,
            message_key=error.message_key,
            extra=error.extra,
        )
        self.reason = reason
        self.account = account


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What the verifier needs of an HTTP request: exactly the bytes and headers that arrived."""

    method: str
    host: str
    raw_path: str
    headers: Mapping[str, list[str]]
    body: bytes


def _timestamp(value: str) -> dt.datetime | None:
    """``X-Amz-Date`` (``SIGV4_TIMESTAMP``, e.g. ``20261128T120000Z``) as a time; None if it is not one."""
    match = _AMZ_DATE.match(value)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:  # a 13th month, a 61st second
        return None


@functools.lru_cache(maxsize=256)
def signing_key(secret_key: str, date: str, region: str, service: str = SERVICE) -> bytes:
    """SigV4's signing key of a secret for a day, region and service: the four HMAC-SHA256 steps of
    ``SigV4Auth.signature``, made once per day instead of for every request."""
    key = f"AWS4{secret_key}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


@functools.lru_cache(maxsize=64)
def _signer(access_key_id: str, secret_access_key: str, region: str) -> SigV4Auth:
    """botocore's signer of one account and region (it keeps no state of a request, so threads share it)."""
    return SigV4Auth(Credentials(access_key_id, secret_access_key), SERVICE, region)


@implements("AUTH-REQUIRED", "AUTH-SIGNATURE", "AUTH-UNKNOWN-KEY", "AUTH-EXPIRED")
def verify(request: SignedRequest, accounts: Mapping[str, Account], region: str, now: dt.datetime) -> Account:
    """The account that signed ``request``; ``AuthRefused`` (an AWS authentication error) if the signature does not
    hold."""
    authorization = request.headers.get("authorization")
    if not authorization:
        raise AuthRefused(AuthFailureReason.MISSING, missing_authentication())
    match = _AUTHORIZATION.match(authorization[0])
    if match is None:
        raise AuthRefused(
            AuthFailureReason.MALFORMED,
            incomplete_signature(
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' in AWS4-HMAC-SHA256 form."
            ),
        )
    account = accounts.get(match["key"])
    if account is None:
        raise AuthRefused(AuthFailureReason.UNKNOWN_KEY, unrecognized_client())
    amz_date = (request.headers.get("x-amz-date") or [""])[0]
    signed_at = _timestamp(amz_date)
    if signed_at is None:
        raise AuthRefused(
            AuthFailureReason.MALFORMED,
            incomplete_signature("The request must carry an X-Amz-Date header in ISO 8601 basic format."),
            account,
        )
    try:
        _check_signature(request, match, account, region, amz_date)
        _check_skew(signed_at, now)
    except AuthRefused as refused:
        raise AuthRefused(refused.reason, refused, account) from None
    return account


@implements("AUTH-SIGNATURE")
def _check_signature(
    request: SignedRequest, match: re.Match[str], account: Account, region: str, amz_date: str
) -> None:
    _check_scope(match, amz_date, region)
    signed_headers = match["headers"].split(";")
    missing = [name for name in ("host", "x-amz-date") if name not in signed_headers]
    if missing:
        raise _refused(AuthFailureReason.UNSIGNED_HEADER, f"The signed headers must include {' and '.join(missing)}.")
    _check_payload_hash(request)
    expected = _signature(request, account, signed_headers, region, amz_date)
    if not hmac.compare_digest(expected, match["signature"]):
        raise _refused(
            AuthFailureReason.SIGNATURE_MISMATCH,
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )


def _refused(reason: AuthFailureReason, message: str) -> AuthRefused:
    return AuthRefused(reason, invalid_signature(message))


def _check_scope(match: re.Match[str], amz_date: str, region: str) -> None:
    if match["date"] != amz_date[:8]:
        raise _refused(
            AuthFailureReason.WRONG_SCOPE,
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{match['date']}' != '{amz_date[:8]}'.",
        )
    if match["service"] != SERVICE:
        raise _refused(AuthFailureReason.WRONG_SCOPE, f"Credential should be scoped to correct service: '{SERVICE}'.")
    if match["region"] != region:
        raise _refused(
            AuthFailureReason.WRONG_SCOPE, f"Credential should be scoped to a valid region, not '{match['region']}'."
        )
    if match["term"] != "aws4_request":
        raise _refused(
            AuthFailureReason.WRONG_SCOPE, "Credential should be scoped with a valid terminator: 'aws4_request'."
        )


def _check_payload_hash(request: SignedRequest) -> None:
    declared = request.headers.get("x-amz-content-sha256")
    if declared is not None and declared[0] != hashlib.sha256(request.body).hexdigest():
        raise _refused(
            AuthFailureReason.BODY_HASH_MISMATCH,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )


def _signature(request: SignedRequest, account: Account, signed_headers: list[str], region: str, amz_date: str) -> str:
    headers: list[tuple[str, str]] = []
    for name in signed_headers:
        values = request.headers.get(name)
        if values is None:
            raise _refused(
                AuthFailureReason.UNSIGNED_HEADER, f"Header {name!r} is listed as signed but is not in the request."
            )
        headers.extend((name, value) for value in values)
    inputs = (
        request.method,
        request.host,
        request.raw_path,
        tuple(headers),
        hashlib.sha256(request.body).digest(),
        account.access_key_id,
        account.secret_access_key,
        region,
        amz_date,
    )
    known = _EXPECTED.get(inputs)
    if known is not None:
        return known
    aws_request = AWSRequest(method=request.method, url=f"http://{request.host}{request.raw_path}", data=request.body)
    for name, value in headers:
        aws_request.headers.add_header(name, value)
    aws_request.context["timestamp"] = amz_date
    signer = _signer(account.access_key_id, account.secret_access_key, region)
    string_to_sign = signer.string_to_sign(aws_request, signer.canonical_request(aws_request))
    key = signing_key(account.secret_access_key, amz_date[:8], region)
    expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    _EXPECTED.put(inputs, expected)
    return expected


class _Expected:
    """The signatures computed lately, by everything each was computed from: the method, host, path, signed
    headers, body hash, account, region and timestamp. A client that sends the same request again within the
    second (polling Describe) is checked against the signature computed the first time; the comparison with the
    signature it sent, and the clock, are checked every time. Bounded; the oldest are forgotten first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._known: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, inputs: tuple[object, ...]) -> str | None:
        with self._lock:
            return self._known.get(inputs)

    def put(self, inputs: tuple[object, ...], signature: str) -> None:
        with self._lock:
            self._known[inputs] = signature
            if len(self._known) > self._size:
                self._known.popitem(last=False)


_EXPECTED = _Expected(1024)


@implements("AUTH-EXPIRED")
def _check_skew(signed_at: dt.datetime, now: dt.datetime) -> None:
    if now - MAX_SKEW <= signed_at <= now + MAX_SKEW:
        return
    stamp = signed_at.strftime(SIGV4_TIMESTAMP)
    if signed_at < now - MAX_SKEW:
        earliest = (now - MAX_SKEW).strftime(SIGV4_TIMESTAMP)
        raise _refused(
            AuthFailureReason.EXPIRED,
            f"Signature expired: {stamp} is now earlier than {earliest} ({now.strftime(SIGV4_TIMESTAMP)} - 15 min.)",
        )
    if signed_at > now + MAX_SKEW:
        latest = (now + MAX_SKEW).strftime(SIGV4_TIMESTAMP)
        raise _refused(
            AuthFailureReason.NOT_YET_VALID,
            f"Signature not yet current: {stamp} is still later than {latest} "
            f"({now.strftime(SIGV4_TIMESTAMP)} + 15 min.)",
        )
