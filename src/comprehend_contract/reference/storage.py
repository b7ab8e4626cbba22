"""The reference's S3 access for jobs: list and read input, write output in each documented form, over any S3."""

from __future__ import annotations

import functools
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from comprehend_contract.spec.family import OutputForm
from comprehend_contract.spec.traceability import implements


class StorageError(Exception):
    """S3 refused or failed an operation; ``code`` is the job-failure code (``NO_READ_ACCESS_TO_INPUT``, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True, slots=True)
class S3Location:
    bucket: str
    key: str

    @classmethod
    def parse(cls, uri: str) -> S3Location | None:
        """``s3://bucket/key`` split in two; None if ``uri`` is not of that form."""
        parts = urlsplit(uri)
        if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
            return None
        return cls(parts.netloc, parts.path.lstrip("/"))

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


_CREATION = threading.Lock()


@functools.cache
def _session() -> boto3.session.Session:
    """One session for every reference in the process, so S3's service model is loaded from disk once."""
    return boto3.session.Session()


class S3Storage:
    """A boto3 S3 client for the jobs' own reads and writes (path-style addressing, standard retries)."""

    def __init__(
        self, endpoint_url: str | None, region: str, credentials: dict[str, str] | None, verify: str | None = None
    ) -> None:
        """``verify``: a CA bundle to verify the endpoint's TLS certificate with (None: botocore's default)."""
        credentials = credentials or {}
        with _CREATION:  # a Session is not thread-safe; the clients it makes are
            self._client: Any = _session().client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=region,
                aws_access_key_id=credentials.get("aws_access_key_id"),
                aws_secret_access_key=credentials.get("aws_secret_access_key"),
                verify=verify,
                config=Config(
                    s3={"addressing_style": "path"},
                    retries={"mode": "standard", "max_attempts": 3},
                    max_pool_connections=64,
                ),
            )

    def list_keys(self, location: S3Location) -> list[str]:
        """Keys under the prefix, in key order, folder markers left out."""
        keys: list[str] = []
        try:
            for page in self._client.get_paginator("list_objects_v2").paginate(
                Bucket=location.bucket, Prefix=location.key
            ):
                keys.extend(obj["Key"] for obj in page.get("Contents", []) if not obj["Key"].endswith("/"))
        except (ClientError, BotoCoreError) as error:
            raise StorageError("NO_READ_ACCESS_TO_INPUT", f"cannot list {location}: {_reason(error)}") from error
        return sorted(keys)

    def read(self, bucket: str, key: str) -> bytes:
        try:
            body: bytes = self._client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (ClientError, BotoCoreError) as error:
            raise StorageError(
                "NO_READ_ACCESS_TO_INPUT", f"cannot read s3://{bucket}/{key}: {_reason(error)}"
            ) from error
        return body

    @implements("LIFE-OUTPUT-LOCATION", "LIFE-OUTPUT-RECORD", "STOP-OUTPUT")
    def write_output(self, location: S3Location, form: OutputForm, records: list[dict[str, Any]]) -> None:
        """Write ``records`` at ``location`` in ``form``: one JSON-lines file ``output`` in a gzipped tar, a
        ``<input>.out`` per input file in a gzipped tar, or plain ``<input>.out`` objects under the folder."""
        try:
            if form is OutputForm.FILES:
                folder = location.key if location.key.endswith("/") or not location.key else location.key + "/"
                for name, lines in _per_input_file(records).items():
                    self._client.put_object(Bucket=location.bucket, Key=f"{folder}{name}.out", Body=lines)
                return
            files = (
                {"output": _lines(records)}
                if form is OutputForm.ARCHIVE
                else {f"{name}.out": lines for name, lines in _per_input_file(records).items()}
            )
            archive = io.BytesIO()
            with tarfile.open(fileobj=archive, mode="w:gz") as tar:
                for name, lines in files.items():
                    member = tarfile.TarInfo(name)
                    member.size = len(lines)
                    tar.addfile(member, io.BytesIO(lines))
            self._client.put_object(Bucket=location.bucket, Key=location.key, Body=archive.getvalue())
        except (ClientError, BotoCoreError) as error:
            raise StorageError("NO_WRITE_ACCESS_TO_OUTPUT", f"cannot write {location}: {_reason(error)}") from error


def _line(record: dict[str, Any]) -> str:
    """One line of output: a redacted copy's text as it is, any other record as JSON."""
    redacted = record.get("Redacted")
    return redacted if isinstance(redacted, str) else json.dumps(record, ensure_ascii=False)


def _lines(records: list[dict[str, Any]]) -> bytes:
    return "".join(_line(record) + "\n" for record in records).encode("utf-8")


def _per_input_file(records: list[dict[str, Any]]) -> dict[str, bytes]:
    """Each input file's records as the lines of its own ``.out`` file, files in the order they were read."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        grouped.setdefault(str(record.get("File", "")), []).append(record)
    return {name: _lines(found) for name, found in grouped.items()}


def _reason(error: Exception) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'Error')} ({details.get('Message', '')})".strip()
    return type(error).__name__


def documents(data: bytes, input_format: str) -> Iterator[tuple[int | None, bytes]]:
    """The documents of one input object: (zero-based line, bytes) per line, or (None, bytes) for the whole file."""
    if input_format == "ONE_DOC_PER_FILE":
        yield None, data
        return
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines):
        yield number, line.removesuffix(b"\r")
