"""From options (command line or environment) to a ``Target`` that starts and yields a ``TargetProfile``."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from comprehend_contract.clients import Credentials
from comprehend_contract.targets.profile import Budgets, TargetError, TargetProfile, load_profile

ENV_PREFIX = "COMPREHEND_CONTRACT_"


class TargetUnreachable(RuntimeError):
    """Nothing answers at the target's endpoint: one clear error instead of a failure per test."""


@dataclass(frozen=True, slots=True)
class Option:
    """One suite option: a command-line flag that can also be set from ``COMPREHEND_CONTRACT_<NAME>``."""

    name: str
    help: str
    kind: type = str
    default: Any = None
    secret: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


OPTIONS: tuple[Option, ...] = (
    Option("target", "reference (default), moto, aws, or the path of a target profile (.toml)", default="reference"),
    Option("endpoint_url", "Comprehend endpoint of any implementation (with --access-key-id/--secret-access-key)"),
    Option("s3_endpoint_url", "S3 endpoint for --endpoint-url targets (default: the same URL)"),
    Option("region", "region to sign for (default: us-east-1; for aws, boto3's configured region)"),
    Option("access_key_id", "access key id for --endpoint-url targets"),
    Option(
        "secret_access_key",
        "secret access key for --endpoint-url targets (prefer the environment variable)",
        secret=True,
    ),
    Option("second_access_key_id", "a second account's access key id (enables AUTH-ISOLATION)"),
    Option("second_secret_access_key", "the second account's secret access key", secret=True),
    Option("bucket", "S3 bucket for the run's inputs and outputs (required for aws and --endpoint-url)"),
    Option("prefix", "S3 key prefix under which the run writes (default: comprehend-contract/)"),
    Option("role_arn", "IAM role the implementation assumes to read input and write output"),
    Option("create_bucket", "create the bucket if it does not exist (true/false)", kind=bool),
    Option("job_timeout", "seconds a job may take to reach an end state", kind=float),
    Option("reference_pace", "embedded reference only: job timing preset, fast (default) or aws-like"),
    Option("reference_time_scale", "embedded reference only: multiply the pace's durations by this factor", kind=float),
)
OPTION_NAMES = frozenset(option.name for option in OPTIONS)


class Target(Protocol):
    """A way to reach an implementation: ``start`` (may launch an embedded server) then ``close``."""

    name: str
    kind: str
    embedded: bool
    budgets: Budgets
    endpoint_url: str | None
    region: str

    def start(self) -> TargetProfile: ...

    def secrets(self) -> tuple[str, ...]:
        """Every secret the target's credentials hold, for redaction."""
        ...

    def close(self) -> None: ...


def _bool(name: str, text: Any) -> bool:
    if isinstance(text, bool):
        return text
    lowered = str(text).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise TargetError(f"option {name}: {text!r} is not true or false")


def option_values(get: Callable[[str], Any], environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Each option's value: the command line's if given, else its environment variable's, else the default."""
    values: dict[str, Any] = {}
    for option in OPTIONS:
        value = get(option.name)
        source = option.flag
        if value is None and option.env in environ and environ[option.env] != "":
            value, source = environ[option.env], option.env
        if value is None:
            values[option.name] = option.default
            continue
        try:
            if option.kind is bool:
                values[option.name] = _bool(source, value)
            elif option.kind is float:
                number = float(value)
                if not number > 0 or number == float("inf"):
                    raise ValueError
                values[option.name] = number
            else:
                values[option.name] = str(value)
        except ValueError:
            raise TargetError(f"option {source}: {value!r} is not a positive number of seconds") from None
    return values


_URL = re.compile(r"^https?://[^/\s]+(/.*)?$")


def _url(name: str, value: str | None) -> str | None:
    if value is not None and not _URL.match(value):
        raise TargetError(f"option --{name.replace('_', '-')}: {value!r} is not an http(s) URL")
    return value


def resolve_target(values: Mapping[str, Any]) -> Target:
    """The target the options describe; ``TargetError`` (naming the option) if they do not make sense."""
    unknown = set(values) - OPTION_NAMES
    if unknown:
        raise TargetError(f"unknown option(s): {', '.join(sorted(unknown))}")
    target = values.get("target") or "reference"
    endpoint = _url("endpoint_url", values.get("endpoint_url"))
    s3_endpoint = _url("s3_endpoint_url", values.get("s3_endpoint_url"))
    if endpoint is not None and target not in ("reference", "url"):
        raise TargetError(f"option --endpoint-url: cannot be combined with --target {target}")
    if endpoint is not None:
        return _url_target(values, endpoint, s3_endpoint)
    if target != "reference":
        for name in ("reference_pace", "reference_time_scale"):
            if values.get(name):
                raise TargetError(f"option --{name.replace('_', '-')}: only applies to --target reference")
    connection_options = [n for n in ("s3_endpoint_url", "access_key_id", "secret_access_key") if values.get(n)]
    if target in ("reference", "moto"):
        if connection_options:
            raise TargetError(
                f"option --{connection_options[0].replace('_', '-')}: only applies to --endpoint-url or aws targets"
            )
        from comprehend_contract.targets.embedded import MotoTarget, ReferenceTarget

        embedded: Target = ReferenceTarget(values) if target == "reference" else MotoTarget(values)
        return embedded
    if target == "aws":
        return AwsTarget(values)
    if target.endswith(".toml"):
        return ProfileTarget(Path(target), values)
    raise TargetError(f"option --target: {target!r} is not reference, moto, aws or a .toml profile path")


def _required(values: Mapping[str, Any], name: str, why: str) -> str:
    value = values.get(name)
    if not value:
        option = next(o for o in OPTIONS if o.name == name)
        raise TargetError(f"option {option.flag} (or {option.env}) is required {why}")
    return str(value)


def _second(values: Mapping[str, Any]) -> Credentials | None:
    key, secret = values.get("second_access_key_id"), values.get("second_secret_access_key")
    if bool(key) != bool(secret):
        raise TargetError("options --second-access-key-id and --second-secret-access-key go together")
    return Credentials(str(key), str(secret)) if key and secret else None


def _budgets(values: Mapping[str, Any], base: Budgets) -> Budgets:
    timeout = values.get("job_timeout")
    return replace(base, job_timeout_seconds=timeout) if timeout else base


def _url_target(values: Mapping[str, Any], endpoint: str, s3_endpoint: str | None) -> Target:
    why = "with --endpoint-url"
    profile = TargetProfile(
        name=urlsplit(endpoint).netloc or "endpoint",
        kind="url",
        endpoint_url=endpoint,
        s3_endpoint_url=s3_endpoint or endpoint,
        region=values.get("region") or "us-east-1",
        credentials=Credentials(_required(values, "access_key_id", why), _required(values, "secret_access_key", why)),
        second_credentials=_second(values),
        bucket=_required(values, "bucket", why),
        role_arn=_required(values, "role_arn", why),
        prefix=values.get("prefix") or "comprehend-contract/",
        create_bucket=bool(values.get("create_bucket")),
        budgets=_budgets(values, Budgets()),
    )
    return ExternalTarget(profile)


def probe(url: str, timeout: float = 5.0) -> None:
    """Raise ``TargetUnreachable`` unless a TCP connection to ``url``'s host and port succeeds."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise TargetUnreachable(f"cannot connect to {url} ({parts.hostname}:{port}): {reason}") from None


class ExternalTarget:
    """An implementation that is already running somewhere: the suite only connects to it."""

    embedded = False

    def __init__(self, profile: TargetProfile) -> None:
        self.profile = profile
        self.name = profile.name
        self.kind = profile.kind
        self.budgets = profile.budgets
        self.endpoint_url = profile.endpoint_url
        self.region = profile.region

    def secrets(self) -> tuple[str, ...]:
        return self.profile.secrets()

    def start(self) -> TargetProfile:
        for url in {self.profile.endpoint_url, self.profile.s3_endpoint_url}:
            if url is not None:
                probe(url)
        return self.profile

    def close(self) -> None:
        """Nothing to stop: the suite did not start this implementation."""


class ProfileTarget(ExternalTarget):
    """An implementation described by a TOML profile file."""

    def __init__(self, path: Path, values: Mapping[str, Any]) -> None:
        overrides = [o for o in OPTIONS if o.name not in ("target", "job_timeout") and values.get(o.name)]
        if overrides:
            raise TargetError(f"option {overrides[0].flag}: set it in the profile {path} instead")
        profile = load_profile(path)
        super().__init__(replace(profile, budgets=_budgets(values, profile.budgets)))


class AwsTarget(ExternalTarget):
    """Real Amazon Comprehend, with boto3's default credential chain and region. Never run by the kit's CI."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        import boto3

        if values.get("access_key_id") or values.get("secret_access_key"):
            raise TargetError("option --access-key-id: --target aws uses boto3's default credential chain")
        session = boto3.session.Session(region_name=values.get("region") or None)
        region = session.region_name
        if not region:
            raise TargetError("--target aws: no region configured (set --region or AWS_REGION)")
        found = session.get_credentials()
        if found is None:
            raise TargetError("--target aws: boto3 found no credentials (configure a profile or AWS_* variables)")
        frozen = found.get_frozen_credentials()
        why = "with --target aws"
        super().__init__(
            TargetProfile(
                name=f"aws-{region}",
                kind="aws",
                endpoint_url=values.get("endpoint_url"),
                s3_endpoint_url=None,
                region=region,
                credentials=Credentials(str(frozen.access_key), str(frozen.secret_key), frozen.token),
                second_credentials=_second(values),
                bucket=_required(values, "bucket", why),
                role_arn=_required(values, "role_arn", why),
                prefix=values.get("prefix") or "comprehend-contract/",
                create_bucket=bool(values.get("create_bucket")),
                budgets=_budgets(values, Budgets.for_aws()),
            )
        )

    def start(self) -> TargetProfile:
        probe(f"https://comprehend.{self.profile.region}.amazonaws.com")
        return self.profile
