"""boto3 clients as the suite uses them: no client-side parameter validation, standard retries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config


@dataclass(frozen=True, slots=True)
class Credentials:
    """An access key pair (and session token) that signs requests. Never printed: see ``__repr__``."""

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(access_key_id={self.access_key_id!r}, secret_access_key=***)"

    def as_boto_kwargs(self) -> dict[str, Any]:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }


def comprehend_client(
    endpoint_url: str | None, region: str, credentials: Credentials | None, *, max_attempts: int = 3
) -> Any:
    """A Comprehend client that sends whatever it is given (``parameter_validation=False``)."""
    config = Config(
        parameter_validation=False,
        retries={"mode": "standard", "max_attempts": max_attempts},
        connect_timeout=10,
        read_timeout=30,
    )
    kwargs = credentials.as_boto_kwargs() if credentials else {}
    return boto3.session.Session().client(
        "comprehend", endpoint_url=endpoint_url, region_name=region, config=config, **kwargs
    )


def s3_client(endpoint_url: str | None, region: str, credentials: Credentials | None) -> Any:
    """An S3 client with path-style addressing (works against loopback endpoints and real S3 alike)."""
    config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "max_attempts": 3})
    kwargs = credentials.as_boto_kwargs() if credentials else {}
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, region_name=region, config=config, **kwargs)
