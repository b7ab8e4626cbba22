"""boto3 clients as the suite uses them: no client-side parameter validation, standard retries."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
from botocore.config import Config


@dataclass(frozen=True, slots=True)
class Credentials:
    """An access key pair (and session token) that signs requests. Never printed: see ``__repr__``."""

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(access_key_id={self.access_key_id!r}, secret_access_key=***)"


_CREATION = threading.Lock()


@functools.cache
def _session() -> boto3.session.Session:
    """One session for every client the kit makes, so the service models are loaded from disk once."""
    return boto3.session.Session()


def _client(
    service: str, endpoint_url: str | None, region: str, credentials: Credentials | None, config: Config
) -> Any:
    keys = credentials or Credentials("", "")
    with _CREATION:  # a Session is not thread-safe; the clients it makes are
        return _session().client(  # type: ignore[call-overload]
            service,
            endpoint_url=endpoint_url,
            region_name=region,
            config=config,
            aws_access_key_id=keys.access_key_id or None,
            aws_secret_access_key=keys.secret_access_key or None,
            aws_session_token=keys.session_token,
        )


def ca_bundle() -> str | None:
    """The CA bundle botocore verifies TLS with (``AWS_CA_BUNDLE`` or ``ca_bundle`` in the config file), if any:
    asked of the kit's one session (a new botocore session for each sender took 40 ms of CPU)."""
    with _CREATION:
        value = _configuration().get_config_variable("ca_bundle")
    return str(value) if value else None


@functools.cache
def _configuration() -> botocore.session.Session:
    """A botocore session kept to read botocore's configuration (it reads the environment at each lookup)."""
    return botocore.session.get_session()


def comprehend_client(
    endpoint_url: str | None,
    region: str,
    credentials: Credentials | None,
    *,
    max_attempts: int = 3,
    timeout: float = 30.0,
) -> Any:
    """A Comprehend client that sends whatever it is given (``parameter_validation=False``).

    ``endpoint_url`` None means botocore's own resolution: ``AWS_ENDPOINT_URL_COMPREHEND``, ``AWS_ENDPOINT_URL``,
    the config file, FIPS and dual-stack settings, else the region's public endpoint.
    """
    config = Config(
        parameter_validation=False,
        retries={"mode": "standard", "max_attempts": max_attempts},
        connect_timeout=min(10.0, timeout),
        read_timeout=timeout,
    )
    return _client("comprehend", endpoint_url, region, credentials, config)


def s3_client(endpoint_url: str | None, region: str, credentials: Credentials | None) -> Any:
    """An S3 client with path-style addressing (works against loopback endpoints and real S3 alike)."""
    config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "max_attempts": 3})
    return _client("s3", endpoint_url, region, credentials, config)
