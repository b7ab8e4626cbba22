"""Before any test: the target answers, accepts the credentials, and the run's S3 location is usable.

A setup mistake (a wrong secret, a bucket that does not exist or is not a bucket name, a malformed role ARN) is
one error naming what is wrong and how to fix it, not a page of conformance failures; a target that does not answer
at all is ``TargetUnreachable``.
"""

from __future__ import annotations

import re
import uuid

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from comprehend_contract.clients import RawSender, comprehend_client, s3_client
from comprehend_contract.clients.raw import error_code_of
from comprehend_contract.clients.retry import RetryPolicy, TransientFailure
from comprehend_contract.options import OptionError
from comprehend_contract.targets import TargetProfile, TargetUnreachable

PROBE_TIMEOUT_SECONDS = 5.0
PROBE_POLICY = RetryPolicy(max_attempts=2, base_seconds=0.5, max_backoff_seconds=2.0)
"""The reachability probe waits for an answer briefly (at most 5 s, or the target's shorter request timeout, twice):
a black hole is found in seconds, not minutes."""
CREDENTIAL_ERRORS = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
        "InvalidClientTokenId",
        "ExpiredTokenException",
        "ExpiredToken",
        "SignatureDoesNotMatch",
        "AccessDeniedException",
    }
)
ROLE_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\w+=,.@/-]+$")


class SetupError(OptionError):
    """The target or its S3 location cannot be used as configured: one message naming the fix."""


def check_target(profile: TargetProfile, run_id: str) -> None:
    """Raise ``TargetUnreachable`` or ``SetupError`` unless ``profile`` is usable for a run."""
    if not ROLE_ARN.match(profile.role_arn):
        raise SetupError(f"role ARN {profile.role_arn!r} is not arn:aws:iam::<12-digit account>:role/<name>")
    _check_credentials(profile)
    _check_bucket(profile, run_id)


def _check_credentials(profile: TargetProfile) -> None:
    endpoint = comprehend_client(profile.endpoint_url, profile.region, profile.credentials).meta.endpoint_url
    timeout = min(PROBE_TIMEOUT_SECONDS, profile.budgets.request_timeout_seconds)
    sender = RawSender(endpoint, profile.region, profile.credentials, timeout=timeout, retry=PROBE_POLICY)
    try:
        answer = sender.send("ListSentimentDetectionJobs", {"MaxResults": 1})
    except TransientFailure as failure:
        last = failure.attempts[-1]
        raise TargetUnreachable(f"no answer from {endpoint} within {timeout:g} s ({last})") from None
    code = error_code_of(answer.body)
    if code in CREDENTIAL_ERRORS:
        raise SetupError(
            f"the target refused the run's credentials (access key {profile.credentials.access_key_id}): "
            f"HTTP {answer.status} {code}. Check the access key, the secret, any session token and the region "
            f"({profile.region})."
        )


def _check_bucket(profile: TargetProfile, run_id: str) -> None:
    s3 = s3_client(profile.s3_endpoint_url, profile.region, profile.credentials)
    key = f"{profile.prefix}run-{run_id}/preflight-{uuid.uuid4().hex[:8]}"
    step = "reach"
    try:
        if profile.create_bucket:
            step = "create"
            try:
                s3.head_bucket(Bucket=profile.bucket)
            except ClientError:
                s3.create_bucket(Bucket=profile.bucket)
        step = "write a probe object to"
        s3.put_object(Bucket=profile.bucket, Key=key, Body=b"comprehend-contract preflight")
        step = "read the probe object back from"
        s3.get_object(Bucket=profile.bucket, Key=key)["Body"].read()
        step = "delete the probe object from"
        s3.delete_object(Bucket=profile.bucket, Key=key)
    except ParamValidationError as error:
        raise SetupError(f"bucket {profile.bucket!r} cannot be used: {error}") from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "?")
        hint = " (set create_bucket, or --create-bucket true, to create it)" if code == "NoSuchBucket" else ""
        raise SetupError(
            f"cannot {step} bucket {profile.bucket!r} at s3://{profile.bucket}/{key}: {code}{hint}"
        ) from None
    except BotoCoreError as error:
        raise SetupError(f"cannot {step} bucket {profile.bucket!r}: {error}") from None
