"""Synthetic recordings: what the plugin hands the snapshot library, with every volatile value drawn at random.

Two recordings of one style with different seeds differ exactly where two real runs against one implementation
differ: job ids, request ids, times, the run id, the bucket, the worker and folder counters, tokens, random names,
signing headers, how many times a poll asked, and transient answers that were retried.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import uuid
from typing import Any

REFERENCE = {
    "target": "reference",
    "kind": "reference",
    "implementation": {"name": "comprehend-contract reference", "version": "0.1.0"},
    "kit_version": "0.1.0",
}
MOTO = {
    "target": "moto",
    "kind": "moto",
    "implementation": {"name": "moto", "version": "5.2.5"},
    "kit_version": "0.1.0",
}
JSON_1_1 = "application/x-amz-json-1.1"
HTML_500 = (
    "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n"
    "<p>The server encountered an internal error and was unable to complete your request.</p>\n"
)

LIFECYCLE = "test_lifecycle.py::test_start_describe_and_stop_answer_in_schema[raw]"
UNKNOWN_HEX = "test_unknown_job.py::test_stop_on_unknown_job_is_job_not_found[hex32-raw]"
UNKNOWN_WORDS = "test_unknown_job.py::test_stop_on_unknown_job_is_job_not_found[words-raw]"
MISSING_JOB_ID = "test_request_syntax.py::test_request_without_job_id_is_rejected_as_invalid[raw]"
REFUSED_START = "test_authentication.py::test_refused_start_or_list_is_refused_and_does_nothing[Start-unsigned]"
EXPIRED = "test_authentication.py::test_expired_request_is_refused[Stop-expired]"
FAULT = "test_wire_protocol.py::test_internal_error_on_stop_names_a_retryable_error_and_a_retry_is_answered"
ORDINARY = "test_wire_protocol.py::test_server_errors_to_ordinary_requests_name_a_retryable_error"
CLAUSES = {
    LIFECYCLE: ["LIFE-DESCRIBE-SCHEMA", "PROTO-TIMESTAMPS"],
    UNKNOWN_HEX: ["STOP-NOT-FOUND"],
    UNKNOWN_WORDS: ["STOP-NOT-FOUND"],
    MISSING_JOB_ID: ["REQ-JOBID-REQUIRED"],
    REFUSED_START: ["AUTH-REQUIRED"],
    EXPIRED: ["AUTH-EXPIRED"],
    FAULT: ["ERR-INTERNAL"],
    ORDINARY: ["ERR-INTERNAL"],
}


class Recorder:
    """Builds one run's exchanges (``Exchange.to_dict()`` dicts) in the style of the reference or of moto."""

    def __init__(self, seed: int, *, moto: bool = False, polls: int = 1, transient: bool = False) -> None:
        self.random = random.Random(seed)
        self.moto = moto
        self.polls = polls
        self.transient = transient
        self.now = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC) + dt.timedelta(seconds=self.random.randint(0, 10**7))
        self.run_id = self.now.strftime("%Y%m%dT%H%M%SZ") + "-" + self._hex(6)
        self.bucket = f"comprehend-contract-{self._hex(12)}"
        self.worker = self.random.choice(["main", "gw0", "gw1"])
        self.folders = self.random.randint(1, 40)
        self.account = "123456789012" if moto else "111111111111"
        self.port = self.random.randint(20000, 60000)

    def _hex(self, length: int) -> str:
        return "".join(self.random.choice("0123456789abcdef") for _ in range(length))

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def job_id(self) -> str:
        return self._uuid() if self.moto else self._hex(32)

    def _tick(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=self.random.uniform(0.01, 3.0))
        return self.now

    def _time(self) -> Any:
        at = self._tick()
        return at.isoformat() if self.moto else round(at.timestamp(), 3)

    def folder(self, label: str) -> str:
        self.folders += 1
        return f"s3://{self.bucket}/comprehend-contract/run-{self.run_id}/{self.worker}/{label}-{self.folders}/"

    def exchange(
        self,
        operation: str,
        request: Any,
        status: int,
        body: Any,
        *,
        refusal: str | None = None,
        error_type: str | None = None,
        transient: bool = False,
        retries: list[str] | None = None,
    ) -> dict[str, Any]:
        at = self._tick()
        json_body = not isinstance(body, str)
        content_type = JSON_1_1 if json_body else "text/html; charset=utf-8"
        if self.moto and json_body:
            content_type = "application/json" if status >= 400 else "text/html; charset=utf-8"
        headers = {
            "server": "Werkzeug/3.1.9 Python/3.11.7",
            "date": at.strftime("%a, %d %b %Y %H:%M:%S GMT"),
            "content-type": content_type,
            "content-length": str(self.random.randint(10, 900)),
        }
        if json_body:
            headers["x-amzn-requestid"] = self._hex(52) if self.moto else self._uuid()
        if error_type:
            headers["x-amzn-errortype"] = error_type
        request_headers = {
            "Content-Type": JSON_1_1,
            "X-Amz-Target": f"Comprehend_20171127.{operation}",
            "X-Amz-Date": at.strftime("%Y%m%dT%H%M%SZ"),
        }
        if refusal != "unsigned":
            request_headers["Authorization"] = (
                f"AWS4-HMAC-SHA256 Credential=AKIA{self._hex(16).upper()}/{at:%Y%m%d}/us-east-1/comprehend/"
                "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=<redacted>"
            )
        found: dict[str, Any] = {
            "operation": operation,
            "transport": "raw",
            "request": request,
            "request_headers": request_headers,
            "status": status,
            "headers": headers,
            "body": body if isinstance(body, str) else json.dumps(body),
            "refusal": refusal,
        }
        if retries:
            found["retries"] = retries
        if transient:
            found["transient"] = True
        return found

    def _arn(self, job_id: str) -> str:
        return f"arn:aws:comprehend:us-east-1:{self.account}:sentiment-detection-job/{job_id}"

    def _not_found(self, job_id: str) -> tuple[int, dict[str, Any], str]:
        if self.moto:
            body = {
                "__type": "ResourceNotFoundException",
                "message": "RESOURCE_NOT_FOUND: Could not find specified resource.",
            }
            return 400, body, "ResourceNotFoundException"
        body = {"__type": "JobNotFoundException", "Message": f"Could not find job with id '{job_id}' in this account."}
        return 400, body, "JobNotFoundException"

    def _properties(self, job_id: str, name: str, folder: str, status: str, submitted: Any) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "JobId": job_id,
            "JobArn": self._arn(job_id),
            "JobName": name,
            "JobStatus": status,
            "SubmitTime": submitted,
            "InputDataConfig": {"S3Uri": folder, "InputFormat": "ONE_DOC_PER_LINE"},
            "OutputDataConfig": {"S3Uri": folder.rstrip("/") + "-output/"},
            "DataAccessRoleArn": f"arn:aws:iam::{self.account}:role/ComprehendContractDataAccess",
            "LanguageCode": "en",
        }
        if self.moto:
            properties["EndTime"] = None
        return properties

    def _start_request(self, name: str, folder: str) -> dict[str, Any]:
        return {
            "InputDataConfig": {"S3Uri": folder, "InputFormat": "ONE_DOC_PER_LINE"},
            "OutputDataConfig": {"S3Uri": folder.rstrip("/") + "-output/"},
            "DataAccessRoleArn": f"arn:aws:iam::{self.account}:role/ComprehendContractDataAccess",
            "LanguageCode": "en",
            "ClientRequestToken": self._hex(32),
            "JobName": name,
        }

    def lifecycle(self) -> list[dict[str, Any]]:
        job_id, name, folder = self.job_id(), f"cc-{self.run_id}-in-progress-1", self.folder("in-progress-1")
        submitted = self._time()
        start = self.exchange(
            "StartSentimentDetectionJob",
            self._start_request(name, folder),
            200,
            {"JobId": job_id, "JobArn": self._arn(job_id), "JobStatus": "SUBMITTED"},
        )
        found = [start]
        for status in ["SUBMITTED"] * self.polls + ["IN_PROGRESS"]:
            body = {"SentimentDetectionJobProperties": self._properties(job_id, name, folder, status, submitted)}
            found.append(self.exchange("DescribeSentimentDetectionJob", {"JobId": job_id}, 200, body))
        found.append(
            self.exchange(
                "StopSentimentDetectionJob", {"JobId": job_id}, 200, {"JobId": job_id, "JobStatus": "STOP_REQUESTED"}
            )
        )
        body = {"SentimentDetectionJobProperties": self._properties(job_id, name, folder, "STOP_REQUESTED", submitted)}
        found.append(self.exchange("DescribeSentimentDetectionJob", {"JobId": job_id}, 200, body))
        return found

    def unknown(self, job_id: str) -> list[dict[str, Any]]:
        status, body, error_type = self._not_found(job_id)
        return [self.exchange("StopSentimentDetectionJob", {"JobId": job_id}, status, body, error_type=error_type)]

    def missing_job_id(self) -> list[dict[str, Any]]:
        if self.moto:
            return [self.exchange("StopSentimentDetectionJob", {}, 500, HTML_500)]
        body = {
            "__type": "com.amazon.coral.validate#ValidationException",
            "message": "1 validation error detected: Value null at 'jobId' failed to satisfy constraint: Member must "
            "not be null",
        }
        return [self.exchange("StopSentimentDetectionJob", {}, 400, body, error_type="ValidationException")]

    def refused_start(self) -> list[dict[str, Any]]:
        name = f"cc-{self.run_id}-refused-{self._hex(12)}"
        request = self._start_request(name, self.folder("refused"))
        body = {"__type": "MissingAuthenticationTokenException", "message": "Missing Authentication Token"}
        refused = self.exchange(
            "StartSentimentDetectionJob",
            request,
            400,
            body,
            refusal="unsigned",
            error_type="MissingAuthenticationTokenException",
        )
        listing = self.exchange(
            "ListSentimentDetectionJobs",
            {"Filter": {"JobName": name}},
            200,
            {"SentimentDetectionJobPropertiesList": []},
        )
        return [refused, listing]

    def expired(self) -> list[dict[str, Any]]:
        signed = self._tick() - dt.timedelta(minutes=20)
        now = self.now
        message = (
            f"Signature expired: {signed:%Y%m%dT%H%M%SZ} is now earlier than "
            f"{now - dt.timedelta(minutes=15):%Y%m%dT%H%M%SZ} ({now:%Y%m%dT%H%M%SZ} - 15 min.) "
            f"at 127.0.0.1:{self.port}; string to sign hash {self._hex(64)}"
        )
        body = {"__type": "InvalidSignatureException", "message": message}
        job_id = "x" * 32
        return [
            self.exchange(
                "StopSentimentDetectionJob",
                {"JobId": job_id},
                400,
                body,
                refusal="expired",
                error_type="InvalidSignatureException",
            )
        ]

    def fault(self) -> list[dict[str, Any]]:
        job_id = ("cc-fault-500-" + self._hex(32))[:32]
        found = []
        retries = None
        if self.transient:
            throttle = {"__type": "ThrottlingException", "message": "Rate exceeded"}
            found.append(
                self.exchange(
                    "StopSentimentDetectionJob",
                    {"JobId": job_id},
                    400,
                    throttle,
                    error_type="ThrottlingException",
                    transient=True,
                )
            )
            retries = ["HTTP 400 ThrottlingException"]
        body = {"__type": "InternalServerException", "Message": "An internal server error occurred. Retry."}
        found.append(
            self.exchange(
                "StopSentimentDetectionJob",
                {"JobId": job_id},
                500,
                body,
                error_type="InternalServerException",
                retries=retries,
            )
        )
        return found + self.unknown(job_id)

    def ordinary(self) -> list[dict[str, Any]]:
        jobs = [
            self._properties(self.job_id(), f"cc-{self.run_id}-job", self.folder("job"), "SUBMITTED", self._time())
            for _ in range(self.random.randint(0, 4))
        ]
        return [
            *self.unknown("0" * 32),
            *self.unknown("a#b"),
            self.exchange("ListSentimentDetectionJobs", {}, 200, {"SentimentDetectionJobPropertiesList": jobs}),
        ]

    def run(self) -> dict[str, list[dict[str, Any]]]:
        """Every test's exchanges, as the plugin would hand them over."""
        return {
            LIFECYCLE: self.lifecycle(),
            UNKNOWN_HEX: self.unknown(self._hex(32)),
            UNKNOWN_WORDS: self.unknown("job-that-never-was"),
            MISSING_JOB_ID: self.missing_job_id(),
            REFUSED_START: self.refused_start(),
            EXPIRED: self.expired(),
            FAULT: self.fault(),
            ORDINARY: self.ordinary(),
        }


def recording(seed: int, **options: Any) -> dict[str, list[dict[str, Any]]]:
    return Recorder(seed, **options).run()


def mutated(run: dict[str, list[dict[str, Any]]], test: str, index: int, change: Any) -> dict[str, Any]:
    """A deep copy of ``run`` with ``change(exchange)`` applied to one exchange of one test."""
    copied = copy.deepcopy(run)
    change(copied[test][index])
    return copied


def body_of(exchange: dict[str, Any]) -> Any:
    return json.loads(exchange["body"])


def set_body(exchange: dict[str, Any], body: Any) -> None:
    exchange["body"] = json.dumps(body)
