"""The run's S3 workspace: nothing outside the run's prefix is touched, and everything in it is removed at the end."""

from __future__ import annotations

import threading
from typing import Any

from botocore.exceptions import ClientError

JOB_NAME_PREFIX = "cc-"


def process_prefix(prefix: str, run_id: str, worker: str | None) -> str:
    """The S3 folder of one process of a run: ``<prefix>run-<run id>/<xdist worker, or main>/``."""
    return f"{prefix}run-{run_id}/{worker or 'main'}/"


class OutsideRunPrefix(RuntimeError):
    """A bug in the suite: it tried to write or delete an S3 key outside its own run prefix."""


class Workspace:
    """Inputs and outputs of one pytest process, all under ``s3://<bucket>/<run prefix>``."""

    def __init__(self, s3: Any, bucket: str, run_prefix: str, run_id: str = "") -> None:
        if not run_prefix.endswith("/") or "run-" not in run_prefix:
            raise OutsideRunPrefix(f"run prefix {run_prefix!r} must end with '/' and name the run")
        self.s3 = s3
        self.bucket = bucket
        self.run_prefix = run_prefix
        self.run_id = run_id
        self._lock = threading.Lock()
        self._counter = 0

    def _key(self, relative: str) -> str:
        key = self.run_prefix + relative
        if not key.startswith(self.run_prefix) or ".." in relative.split("/"):
            raise OutsideRunPrefix(f"key {key!r} is outside {self.run_prefix!r}")
        return key

    def uri(self, relative: str) -> str:
        return f"s3://{self.bucket}/{self._key(relative)}"

    def new_folder(self, label: str) -> str:
        """A fresh folder name under the run prefix (relative), e.g. ``input-3-stop/``."""
        with self._lock:
            self._counter += 1
            return f"{label}-{self._counter}/"

    def job_name(self, label: str) -> str:
        """A job name that carries the run id (``cc-<run id>-<label>``): ``comprehend-contract cleanup`` finds a
        killed run's jobs by it."""
        return f"{JOB_NAME_PREFIX}{self.run_id}-{label}"[:256]

    def put(self, relative: str, body: str | bytes) -> str:
        """Write one object under the run prefix; its ``s3://`` URI."""
        self.s3.put_object(Bucket=self.bucket, Key=self._key(relative), Body=body)
        return self.uri(relative)

    def input_folder(self, files: dict[str, str | bytes], label: str = "input") -> str:
        """Upload ``files`` to a fresh folder; the folder's ``s3://`` URI (a prefix ending with '/')."""
        folder = self.new_folder(label)
        for name, body in files.items():
            self.put(folder + name, body)
        return self.uri(folder)

    def ensure_bucket(self) -> None:
        try:
            self.s3.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.s3.create_bucket(Bucket=self.bucket)

    def remove_all(self) -> int:
        """Delete every object under the run prefix (inputs, and outputs the implementation wrote there)."""
        removed = 0
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.run_prefix):
            keys = [obj["Key"] for obj in page.get("Contents", []) if obj["Key"].startswith(self.run_prefix)]
            if keys:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": key} for key in keys]})
                removed += len(keys)
        return removed
