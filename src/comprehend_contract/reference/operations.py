"""The job family's operations: each type's Start, Describe, List and Stop, with the semantics of every clause.

One generic handler per verb serves all seven types (``spec.family``): the type decides the operation and member
names, the ARN resource, the output folder code and form, the languages and the Start constraints, never an
``if type ==``. Each type is its own collection of jobs (TYPE-ISOLATION): another type's operations do not find them.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import json
import uuid
from collections.abc import Callable
from typing import Any

from comprehend_contract.reference.accounts import Account
from comprehend_contract.reference.behaviour import Behaviour, Call, JobBook
from comprehend_contract.reference.errors import AwsError, invalid_filter, invalid_request, job_not_found
from comprehend_contract.reference.jobs import Job, JobTable
from comprehend_contract.reference.runner import JobRunner
from comprehend_contract.reference.storage import S3Location
from comprehend_contract.reference.validation import validate_request
from comprehend_contract.spec.family import JobType, family
from comprehend_contract.spec.traceability import implements

DEFAULT_MAX_RESULTS = 100
ARCHIVE_NAME = "output.tar.gz"

Handler = Callable[[Account, dict[str, Any]], dict[str, Any]]


def output_uri(job_type: JobType, target: S3Location, account_id: str, job_id: str) -> str:
    """Where a new job of ``job_type`` writes: ``<S3Uri>/<account>-<CODE>-<JobId>/output/`` and, for an archived
    form, ``output.tar.gz`` in it (the type's documented code and first documented form)."""
    folder = "/".join(
        part for part in (target.key.rstrip("/"), f"{account_id}-{job_type.output_code}-{job_id}") if part
    )
    archive = ARCHIVE_NAME if job_type.output_forms[0].archived else ""
    return f"s3://{target.bucket}/{folder}/output/{archive}"


@implements("LIFE-DESCRIBE-SCHEMA")
def check_start(job_type: JobType, body: dict[str, Any]) -> None:
    """What the schema cannot say of a type's Start: the languages the type supports, its event types, and that a
    PII redaction names what to redact (FAMILY.md); each an ``InvalidRequestException``."""
    language = body.get("LanguageCode")
    if job_type.has_language and language not in job_type.languages:
        raise invalid_request(
            f"{job_type.name} detection jobs support LanguageCode {', '.join(job_type.languages)}, not {language!r}."
        )
    unknown = [name for name in body.get("TargetEventTypes", ()) if name not in job_type.event_types]
    if unknown:
        raise invalid_request(
            f"TargetEventTypes {', '.join(unknown)} are not event types ({', '.join(job_type.event_types)})."
        )
    if body.get("Mode") == "ONLY_REDACTION" and not (body.get("RedactionConfig") or {}).get("PiiEntityTypes"):
        raise invalid_request("Mode ONLY_REDACTION needs a RedactionConfig that names its PiiEntityTypes.")
    for member, kind in (("EntityRecognizerArn", "entity recognizer"), ("FlywheelArn", "flywheel")):
        if member in body:
            raise AwsError("ResourceNotFoundException", f"The {kind} {body[member]} does not exist in this account.")


class DetectionJobs:
    """Start, Describe, List and Stop of every job type of the family, for every account, over one job table."""

    def __init__(
        self,
        table: JobTable,
        runner: JobRunner,
        region: str,
        partition: str = "aws",
        behaviour: Behaviour | None = None,
    ) -> None:
        self.table = table
        self.runner = runner
        self.region = region
        self.partition = partition
        self.behaviour = behaviour or Behaviour()
        self.book = JobBook(table)
        self.operations: dict[str, Handler] = {}
        for job_type in family():
            self.operations[job_type.start] = functools.partial(self.start, job_type)
            self.operations[job_type.describe] = functools.partial(self.describe, job_type)
            self.operations[job_type.list] = functools.partial(self.list, job_type)
            self.operations[job_type.stop] = functools.partial(self.stop, job_type)

    def handle(self, operation: str, account: Account, body: Any) -> dict[str, Any]:
        """Validate ``body`` against the operation's request schema, then carry the operation out."""
        validate, carry_out = self.behaviour.validate, self.behaviour.operation
        call = Call(operation, account, body, self.book)
        request = validate(call, _validate) if validate is not None else _validate(call)
        call = Call(operation, account, request, self.book)
        return carry_out(call, self._dispatch) if carry_out is not None else self._dispatch(call)

    def _dispatch(self, call: Call) -> dict[str, Any]:
        return self.operations[call.operation](call.account, call.body)

    @implements("STOP-NOT-FOUND", "AUTH-ISOLATION", "TYPE-ISOLATION")
    def _job(self, job_type: JobType, account: Account, job_id: str) -> Job:
        job = self.table.get(account.account_id, job_type.name, job_id)
        if job is None:
            raise job_not_found(job_id)
        return job

    @implements("LIFE-OUTPUT-LOCATION", "LIFE-DESCRIBE-SCHEMA")
    def start(self, job_type: JobType, account: Account, body: dict[str, Any]) -> dict[str, Any]:
        source = S3Location.parse(body["InputDataConfig"]["S3Uri"])
        target = S3Location.parse(body["OutputDataConfig"]["S3Uri"])
        if source is None or target is None:
            raise invalid_request(
                "InputDataConfig.S3Uri and OutputDataConfig.S3Uri must be of the form s3://bucket/prefix."
            )
        check_start(job_type, body)
        job_id = uuid.uuid4().hex
        job = Job(
            job_id=job_id,
            account_id=account.account_id,
            job_type=job_type,
            arn=f"arn:{self.partition}:comprehend:{self.region}:{account.account_id}:{job_type.arn_resource}/{job_id}",
            sequence=self.table.next_sequence(),
            submit_time=self.table.now(),
            request=copy.deepcopy(body),
            output_uri=output_uri(job_type, target, account.account_id, job_id),
        )
        if self.behaviour.output_uri is not None:
            job.output_uri = self.behaviour.output_uri(job.view())
        registered = self.table.add(job, body.get("ClientRequestToken"))
        with self.table.lock:  # before the runner starts: a new job is answered SUBMITTED, however busy the host
            answer = {"JobId": registered.job_id, "JobArn": registered.arn, "JobStatus": str(registered.status)}
        if registered is job:
            self.runner.start(job)
        return answer

    @implements("LIFE-DESCRIBE-SCHEMA")
    def describe(self, job_type: JobType, account: Account, body: dict[str, Any]) -> dict[str, Any]:
        job = self._job(job_type, account, body["JobId"])
        with self.table.lock:
            return {job_type.properties_member: job.properties()}

    @implements("LIFE-DESCRIBE-SCHEMA", "TYPE-ISOLATION")
    def list(self, job_type: JobType, account: Account, body: dict[str, Any]) -> dict[str, Any]:
        filter_ = body.get("Filter") or {}
        if len(filter_) > 1:
            raise invalid_filter(
                "Only one filter may be set at a time (JobName, JobStatus, SubmitTimeBefore or SubmitTimeAfter); "
                f"this request sets {', '.join(sorted(filter_))}."
            )
        after = _decode_token(body["NextToken"]) if "NextToken" in body else 0
        limit = int(body.get("MaxResults", DEFAULT_MAX_RESULTS))  # 5.0 and 1e2 are integers to the schema, so here
        with self.table.lock:
            jobs = [job for job in self.table.of_account(account.account_id, job_type.name) if job.sequence > after]
            matching = [job for job in jobs if _matches(job, filter_)]
            page = matching[:limit]
            result: dict[str, Any] = {job_type.list_member: [job.properties() for job in page]}
        if len(matching) > limit:
            result["NextToken"] = _encode_token(page[-1].sequence)
        return result

    @implements(
        "RESP-SCHEMA", "RESP-JOBID-ECHO", "RESP-STATUS-VALUE", "STOP-COMPLETED", "STOP-FAILED", "STOP-NO-SIDE-EFFECT"
    )
    def stop(self, job_type: JobType, account: Account, body: dict[str, Any]) -> dict[str, Any]:
        job = self._job(job_type, account, body["JobId"])
        status = self.table.request_stop(job)
        if status is None:
            raise invalid_request(
                f"Job {job.job_id} has already ended with status {job.status}; "
                "only a job that is SUBMITTED or IN_PROGRESS can be stopped."
            )
        return {"JobId": job.job_id, "JobStatus": str(status)}


def _validate(call: Call) -> dict[str, Any]:
    return validate_request(call.operation, call.body)


def _matches(job: Job, filter_: dict[str, Any]) -> bool:
    if "JobName" in filter_:
        return bool(job.request.get("JobName") == filter_["JobName"])
    if "JobStatus" in filter_:
        return bool(job.status == filter_["JobStatus"])
    if "SubmitTimeBefore" in filter_:
        return bool(job.submit_time < filter_["SubmitTimeBefore"])
    if "SubmitTimeAfter" in filter_:
        return bool(job.submit_time > filter_["SubmitTimeAfter"])
    return True


def _encode_token(sequence: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": sequence}).encode()).decode()


def _decode_token(token: str) -> int:
    try:
        after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise invalid_request("The NextToken is not one this service issued.") from None
    if not isinstance(after, int) or isinstance(after, bool):
        raise invalid_request("The NextToken is not one this service issued.")
    return after
