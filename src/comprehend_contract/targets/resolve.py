"""From options (command line or environment) to a ``Target`` that starts and yields a ``TargetProfile``."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from comprehend_contract.clients import Credentials
from comprehend_contract.options import BY_NAME, OPTIONS, TARGET_KINDS, target_kind
from comprehend_contract.targets.profile import Budgets, TargetError, TargetProfile, budgets_from, load_profile


class TargetUnreachable(RuntimeError):
    """Nothing answers at the target's endpoint: one clear error instead of a failure per test."""


TARGET_OPTION_NAMES = frozenset(option.name for option in OPTIONS if option.target)


class Target(Protocol):
    """A way to reach an implementation: ``start`` (may launch an embedded server) then ``close``."""

    name: str
    kind: str
    embedded: bool
    budgets: Budgets
    endpoint_url: str | None
    region: str
    implementation: tuple[str, str] | None
    """(name, version) of the implementation, when known."""
    job_types: tuple[str, ...]
    """The job types the target's profile selects (empty: the run's choice, every type by default)."""

    def start(self) -> TargetProfile: ...

    def secrets(self) -> tuple[str, ...]:
        """Every secret the target's credentials hold, for redaction."""
        ...

    def close(self) -> None: ...


_URL = re.compile(r"^https?://[^/\s]+(/.*)?$")


def _url(name: str, value: str | None) -> str | None:
    if value is not None and not _URL.match(value):
        raise TargetError(f"option --{name.replace('_', '-')}: {value!r} is not an http(s) URL")
    return value


def resolve_target(values: Mapping[str, Any]) -> Target:
    """The target the options describe; ``TargetError`` (naming the option) if they do not make sense.

    Which option applies to which kind of target is the option table's answer (``Option.applies_to``); an option
    given for a kind it does not apply to is refused here, for every kind alike.
    """
    unknown = set(values) - TARGET_OPTION_NAMES
    if unknown:
        raise TargetError(f"unknown option(s): {', '.join(sorted(unknown))}")
    kind = target_kind(values)
    target = str(values.get("target") or "reference")
    if kind not in TARGET_KINDS:
        raise TargetError(f"option --target: {target!r} is not reference, moto, aws or a .toml profile path")
    for option in OPTIONS:
        if option.target and values.get(option.name) and not option.applies(kind):
            raise TargetError(option.refused_for(kind))
    if kind == "url":
        return _url_target(
            values,
            str(_url("endpoint_url", values["endpoint_url"])),
            _url("s3_endpoint_url", values.get("s3_endpoint_url")),
        )
    if kind in ("reference", "moto"):
        from comprehend_contract.targets.embedded import MotoTarget, ReferenceTarget

        embedded: Target = ReferenceTarget(values) if kind == "reference" else MotoTarget(values)
        return embedded
    if kind == "aws":
        return AwsTarget(values)
    return ProfileTarget(Path(target), values)


def _required(values: Mapping[str, Any], name: str, why: str) -> str:
    value = values.get(name)
    if not value:
        option = BY_NAME[name]
        raise TargetError(f"option {option.flag} (or {option.env}) is required {why}")
    return str(value)


def _second(values: Mapping[str, Any]) -> Credentials | None:
    key, secret = values.get("second_access_key_id"), values.get("second_secret_access_key")
    if bool(key) != bool(secret):
        raise TargetError("options --second-access-key-id and --second-secret-access-key go together")
    return Credentials(str(key), str(secret)) if key and secret else None


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
        budgets=budgets_from(values, Budgets()),
    )
    return ExternalTarget(profile)


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
        self.implementation = profile.implementation
        self.job_types = profile.job_types

    def secrets(self) -> tuple[str, ...]:
        return self.profile.secrets()

    def start(self) -> TargetProfile:
        """The profile: the run's preflight (``core.preflight``) has found it reachable and usable."""
        return self.profile

    def close(self) -> None:
        """Nothing to stop: the suite did not start this implementation."""


class ProfileTarget(ExternalTarget):
    """An implementation described by a TOML profile file."""

    def __init__(self, path: Path, values: Mapping[str, Any]) -> None:
        profile = load_profile(path)
        super().__init__(replace(profile, budgets=budgets_from(values, profile.budgets)))


class AwsTarget(ExternalTarget):
    """Real Amazon Comprehend, with boto3's default credential chain and region. Never run by the kit's CI."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        import boto3

        region_given = values.get("region") or os.environ.get("AWS_REGION") or None
        session = boto3.session.Session(region_name=region_given)
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
                endpoint_url=None,
                s3_endpoint_url=None,
                region=region,
                credentials=Credentials(str(frozen.access_key), str(frozen.secret_key), frozen.token),
                second_credentials=_second(values),
                bucket=_required(values, "bucket", why),
                role_arn=_required(values, "role_arn", why),
                prefix=values.get("prefix") or "comprehend-contract/",
                create_bucket=bool(values.get("create_bucket")),
                budgets=budgets_from(values, Budgets.for_aws()),
                implementation=("Amazon Comprehend", f"API 2017-11-27, {region}"),
            )
        )
