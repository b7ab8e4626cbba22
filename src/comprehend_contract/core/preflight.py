"""Before any test: the target is Amazon Comprehend (or speaks as it does), accepts the credentials, and the run's
S3 location is usable.

A setup mistake (a wrong secret, a bucket that does not exist or is not a bucket name, a malformed role ARN, an
endpoint that answers but is not Comprehend: a proxy's login page, another service's port) is one error naming what
came back and how to fix it, not a page of conformance verdicts; a target that does not answer at all is
``TargetUnreachable``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from comprehend_contract.clients import RawSender, comprehend_client, s3_client
from comprehend_contract.clients.raw import RawResponse, error_code_of, json_or_none
from comprehend_contract.clients.retry import RetryPolicy, TransientFailure
from comprehend_contract.options import OptionError
from comprehend_contract.spec import validator_for
from comprehend_contract.spec.family import JobType, family
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
"""A JSON protocol's answer. Exactly ``application/x-amz-json-1.1`` is PROTO-CONTENT-TYPE's to judge, not the
preflight's to refuse: a clone that labels its answers ``application/json`` still speaks Comprehend's protocol."""
SHOWN_BYTES = 60
"""How much of an answer that is not Comprehend's an error shows."""


class SetupError(OptionError):
    """The target or its S3 location cannot be used as configured: one message naming the fix."""


class NotComprehend(SetupError):
    """The endpoint answered, but not as Amazon Comprehend does: what came back, what was expected, the fix."""


def check_target(profile: TargetProfile, run_id: str, job_types: Iterable[JobType] | None = None) -> None:
    """Raise ``TargetUnreachable`` or ``SetupError`` unless ``profile`` is usable for a run of ``job_types`` (the
    whole family by default, Sentiment first): each type's signed List must get a List answer or an AWS error."""
    if not ROLE_ARN.match(profile.role_arn):
        raise SetupError(f"role ARN {profile.role_arn!r} is not arn:aws:iam::<12-digit account>:role/<name>")
    _check_comprehend(profile, tuple(family() if job_types is None else job_types))
    _check_bucket(profile, run_id)


def _check_comprehend(profile: TargetProfile, job_types: Sequence[JobType]) -> None:
    """Each type's List, all at once (a distant target's latency is paid once); their answers judged in the
    family's order, so that the error said is the first type's."""
    endpoint = profile.endpoint_url or comprehend_client(None, profile.region, profile.credentials).meta.endpoint_url
    timeout = min(PROBE_TIMEOUT_SECONDS, profile.budgets.request_timeout_seconds)
    sender = RawSender(endpoint, profile.region, profile.credentials, timeout=timeout, retry=PROBE_POLICY)

    def probe(job_type: JobType) -> RawResponse | TransientFailure:
        try:
            return sender.send(job_type.list, {"MaxResults": 1})
        except TransientFailure as failure:
            return failure

    with ThreadPoolExecutor(max_workers=len(job_types) or 1, thread_name_prefix="preflight") as pool:
        outcomes = list(pool.map(probe, job_types))
    for job_type, outcome in zip(job_types, outcomes, strict=True):
        if isinstance(outcome, TransientFailure):
            if not outcome.answers:
                last = outcome.attempts[-1]
                raise TargetUnreachable(f"no answer from {endpoint} within {timeout:g} s ({last})")
            answer = outcome.answers[-1]  # throttled or unavailable: it answered, so judge what it said
        else:
            answer = outcome
        code = aws_error_code(answer)
        if code in CREDENTIAL_ERRORS:
            raise SetupError(
                f"the target refused the run's credentials (access key {profile.credentials.access_key_id}): "
                f"HTTP {answer.status} {code}. Check the access key, the secret, any session token and the region "
                f"({profile.region})."
            )
        problem = not_a_list_answer(job_type, answer)
        if problem is not None:
            raise NotComprehend(
                f"{endpoint} does not answer as Amazon Comprehend: a signed {job_type.list} got {_shown(answer)} "
                f"({problem}), where a {job_type.list} response (HTTP 200, application/x-amz-json-1.1) or an AWS "
                'error naming its "__type" was expected. Check the endpoint URL (--endpoint-url, or '
                "endpoint_url in the profile): it must be the implementation's Comprehend endpoint, not a proxy, a "
                "web page or another service."
            )


def not_a_list_answer(job_type: JobType, answer: RawResponse) -> str | None:
    """Why ``answer`` is neither ``job_type``'s List answer in the AWS JSON 1.1 protocol nor an AWS error (None: it
    is one). Only the answer's frame is checked: a JSON object (whatever its Content-Type says) naming one of the
    List's members unless empty (the schema allows unknown members and requires none). What its members hold (a
    ``NextToken`` of null, a job that breaks a clause) and a wrong label are the suite's to judge."""
    body = json_or_none(answer.body)
    if 400 <= answer.status < 600:
        return (
            None
            if aws_error_code(answer)
            else 'an error answer that names no error code ("__type" or x-amzn-ErrorType)'
        )
    if answer.status != 200:
        return f"HTTP {answer.status} is neither a List answer nor an error"
    if not isinstance(body, dict):  # its Content-Type is PROTO-CONTENT-TYPE's to judge (moto labels JSON text/html)
        return "the body is not a JSON object"
    validator = validator_for(f"{job_type.list}.response")
    schema = validator.schema
    members = tuple(schema.get("properties", {})) if isinstance(schema, dict) else ()
    if body and not set(body) & set(members):
        return f"not a {job_type.list} response: it has none of its members ({', '.join(members)})"
    listed = body.get(job_type.list_member, [])
    if not isinstance(listed, list):
        return f"not a {job_type.list} response: {job_type.list_member}: {json.dumps(listed)[:40]} is not a list"
    return None


def aws_error_code(answer: RawResponse) -> str | None:
    """The error code an answer names as botocore reads it: the body's ``__type``, else ``x-amzn-ErrorType`` (an
    error that names it in one place only is ERR-SHAPE's to judge, not the preflight's to refuse)."""
    header = answer.headers.get("x-amzn-errortype", "").partition(":")[0].strip()
    return error_code_of(answer.body) or header or None


def _shown(answer: RawResponse) -> str:
    """An answer in one line: status, content type, its first bytes."""
    return (
        f"HTTP {answer.status}, {answer.headers.get('content-type') or 'no Content-Type'}, {_first_bytes(answer.body)}"
    )


def _first_bytes(body: bytes) -> str:
    """A body's length and its first bytes, whitespace folded so that they fit on one line."""
    if not body:
        return "no body"
    head = " ".join(body[:SHOWN_BYTES].decode("utf-8", "replace").split())
    return f"{len(body)} bytes {head + ('...' if len(body) > SHOWN_BYTES else '')!r}"


def _check_bucket(profile: TargetProfile, run_id: str) -> None:
    s3 = s3_client(profile.s3_endpoint_url, profile.region, profile.credentials)
    key = f"{profile.prefix}run-{run_id}/preflight-{uuid.uuid4().hex[:8]}"
    probe = f"comprehend-contract preflight {key}".encode()
    step = "reach"
    try:
        if profile.create_bucket:
            step = "create"
            try:
                s3.head_bucket(Bucket=profile.bucket)
            except ClientError:
                s3.create_bucket(Bucket=profile.bucket)
        step = "write a probe object to"
        s3.put_object(Bucket=profile.bucket, Key=key, Body=probe)
        step = "read the probe object back from"
        read = s3.get_object(Bucket=profile.bucket, Key=key)["Body"].read()
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
    if read != probe:
        raise SetupError(
            f"{s3.meta.endpoint_url} does not answer as S3: the probe object s3://{profile.bucket}/{key} read back "
            f"as {_first_bytes(read)}, not the {len(probe)} bytes written. Check the S3 endpoint URL "
            "(--s3-endpoint-url, or s3_endpoint_url in the profile)."
        )
