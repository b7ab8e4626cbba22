"""The resolved description of a target, and the TOML profile file format (``schemas/target-profile.json``)."""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from comprehend_contract.clients import Credentials, comprehend_client
from comprehend_contract.clients.retry import RetryPolicy
from comprehend_contract.options import OptionError
from comprehend_contract.spec import validator_for


class TargetError(OptionError):
    """A target option or profile that cannot be used; the message names the field."""


SMALL_INPUT = 3
"""Documents in the suite's jobs that should complete (budgets are sized for the suite's jobs)."""
LARGE_INPUT = 400
"""Documents in the suite's jobs that should stay IN_PROGRESS long enough to be stopped there."""


@dataclass(frozen=True, slots=True)
class Budgets:
    """How long the suite waits for a target's jobs and its answers, how it polls, retries and paces requests."""

    job_timeout_seconds: float = 300.0
    leave_submitted_seconds: float = 120.0
    poll_initial_seconds: float = 0.1
    poll_max_seconds: float = 5.0
    request_timeout_seconds: float = 30.0
    """Connect and read timeout of each request."""
    max_attempts: int = 6
    """Attempts per request when the answers are transient (throttles, resets, timeouts)."""
    retry_base_seconds: float = 0.25
    """Backoff scale: the n-th retry waits a random time up to base * 2**(n-1) (at most 20 s)."""
    requests_per_second: float | None = None
    """The run's request rate across all its processes (None: no limit)."""
    quota_share: float | None = None
    """The share of each operation's documented request quota (per type and verb: ``requests_per_second`` in the
    family) the run may use, across all its processes (None: operations are not paced one by one)."""
    end_wait_seconds: float = 120.0
    """How long the run's end waits for the jobs it stopped to end (their output written before the run's objects
    are removed); at most ``job_timeout_seconds``. 0: stop them and do not wait."""
    large_input: int = LARGE_INPUT
    """Documents in a job that must stay running long enough to be stopped: the smallest that does so on the
    target (on AWS start-up alone takes minutes, so a few documents are enough, and every document is billed)."""

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(self.max_attempts, self.retry_base_seconds, 20.0)

    @classmethod
    def embedded(cls, job_lifetime: float = 3.0, submitted: float = 0.5) -> Budgets:
        """A server in this process: generous multiples of how long its jobs take, polled briskly."""
        return cls(
            job_timeout_seconds=max(30.0, 3 * job_lifetime),
            leave_submitted_seconds=max(10.0, 3 * submitted),
            poll_initial_seconds=max(0.01, min(0.05, submitted / 10)),
            poll_max_seconds=max(0.25, min(30.0, job_lifetime / 10)),
            request_timeout_seconds=10.0,
            retry_base_seconds=0.02,
        )

    @classmethod
    def for_aws(cls) -> Budgets:
        """Real AWS: a tiny job takes 5 to 10 minutes; suites wait up to 15+ minutes and poll with backoff.

        Comprehend's job APIs have per-account request quotas of a few requests per second (lower for Start and
        Stop), shared with anything else the account runs: at most half of each operation's own quota, and five
        requests a second in all, stays well inside them; throttles that happen anyway are retried with botocore's
        throttling backoff scale (1 s)."""
        return cls(
            job_timeout_seconds=1200,
            leave_submitted_seconds=900,
            poll_initial_seconds=5,
            poll_max_seconds=30,
            max_attempts=8,
            retry_base_seconds=1.0,
            requests_per_second=5.0,
            quota_share=0.5,
            large_input=5,
        )


def budgets_from(values: Mapping[str, Any], base: Budgets) -> Budgets:
    """``base`` with the budgets the options set (--job-timeout, --requests-per-second, --quota-share)."""
    if values.get("job_timeout"):
        base = replace(base, job_timeout_seconds=values["job_timeout"])
    if values.get("requests_per_second"):
        base = replace(base, requests_per_second=values["requests_per_second"])
    if values.get("quota_share"):
        base = replace(base, quota_share=values["quota_share"])
    return base


@dataclass(frozen=True, slots=True)
class TargetProfile:
    """Everything the suite needs to talk to one implementation. ``repr`` never shows a secret."""

    name: str
    kind: str
    endpoint_url: str | None
    """None means the SDK's default endpoint (real AWS)."""
    s3_endpoint_url: str | None
    region: str
    credentials: Credentials
    bucket: str
    role_arn: str
    prefix: str = "comprehend-contract/"
    second_credentials: Credentials | None = None
    create_bucket: bool = False
    budgets: Budgets = field(default_factory=Budgets)
    internal_error_job_id_prefix: str | None = None
    """A fault rehearsal the target was started with: the first Stop of a JobId with this prefix answers a 5xx."""
    implementation: tuple[str, str] | None = None
    """Which implementation this is, and its version (reports and the matrix show who was judged)."""
    job_types: tuple[str, ...] = ()
    """The job types the profile selects (``job_types = [...]``; empty: every type, unless --job-type says)."""

    def housekeeping_client(self) -> Any:
        """A boto3 Comprehend client for the run's own chores (stopping its jobs), with botocore's retries."""
        return comprehend_client(
            self.endpoint_url, self.region, self.credentials, max_attempts=self.budgets.max_attempts
        )

    def secrets(self) -> tuple[str, ...]:
        """Every secret value this profile holds, for redaction."""
        values: list[str] = []
        for keys in (self.credentials, self.second_credentials):
            if keys is not None:
                values.extend(v for v in (keys.secret_access_key, keys.session_token) if v)
        return tuple(values)


def _credentials(block: Mapping[str, Any], where: str) -> Credentials:
    def pick(name: str, required: bool) -> str | None:
        if name in block:
            return str(block[name])
        variable = block.get(f"{name}_env")
        if variable is None:
            return None
        value = os.environ.get(variable)
        if value is None and required:
            raise TargetError(f"{where}.{name}_env: environment variable {variable} is not set")
        return value

    key, secret = pick("access_key_id", True), pick("secret_access_key", True)
    assert key is not None, "the profile schema requires an access key"
    assert secret is not None, "the profile schema requires a secret key"
    return Credentials(key, secret, pick("session_token", False))


def load_profile(path: Path) -> TargetProfile:
    """Read and check a TOML target profile; ``TargetError`` names the first bad field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TargetError(f"target profile {path} does not exist") from None
    except OSError as error:
        raise TargetError(f"target profile {path} cannot be read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise TargetError(f"target profile {path} is not UTF-8 text (byte {error.start}): is it a TOML file?") from None
    except tomllib.TOMLDecodeError as error:
        raise TargetError(f"target profile {path} is not valid TOML: {error}") from None
    errors = sorted(validator_for("target-profile").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        where = ".".join(str(part) for part in first.absolute_path) or "(top level)"
        raise TargetError(f"target profile {path}: field {where}: {first.message}{_did_you_mean(first)}")
    s3 = data["s3"]
    budgets = Budgets(**data.get("budgets", {}))
    return TargetProfile(
        name=data.get("name", path.stem),
        kind="profile",
        endpoint_url=data["endpoint_url"],
        s3_endpoint_url=data.get("s3_endpoint_url", data["endpoint_url"]),
        region=data["region"],
        credentials=_credentials(data["credentials"], "credentials"),
        second_credentials=(
            _credentials(data["second_credentials"], "second_credentials") if "second_credentials" in data else None
        ),
        bucket=s3["bucket"],
        role_arn=s3["role_arn"],
        prefix=s3.get("prefix", "comprehend-contract/"),
        create_bucket=s3.get("create_bucket", False),
        budgets=budgets,
        internal_error_job_id_prefix=data.get("rehearsal", {}).get("internal_error_job_id_prefix"),
        implementation=(
            (data["implementation"]["name"], data["implementation"].get("version", ""))
            if "implementation" in data
            else None
        ),
        job_types=tuple(data.get("job_types", ())),
    )


def _did_you_mean(error: Any) -> str:
    """For a key the profile's schema does not know, the known keys it is close to (a typo's likely fix)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return ""
    known = list(error.schema.get("properties", {}))
    close = [
        f"{unknown!r} -> {match[0]!r}"
        for unknown in error.instance
        if unknown not in known and (match := difflib.get_close_matches(unknown, known, n=1))
    ]
    return f" (did you mean {', '.join(close)}?)" if close else ""
