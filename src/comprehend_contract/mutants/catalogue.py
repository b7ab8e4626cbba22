"""The mutants. Each is a function that rewires a started ``ReferenceService``; its docstring names what it breaks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from comprehend_contract.reference import REHEARSAL_JOB_ID_PREFIX, FaultPlan, FaultRule, ReferenceService
from comprehend_contract.reference.errors import AwsError, internal_error, invalid_request, job_not_found
from comprehend_contract.reference.jobs import Job
from comprehend_contract.spec.lifecycle import JobStatus

Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Mutant:
    name: str
    clause: str
    doc: str
    apply: Callable[[ReferenceService], None]


MUTANTS: dict[str, Mutant] = {}


def mutant(clause: str) -> Callable[[Callable[[ReferenceService], None]], Callable[[ReferenceService], None]]:
    def register(apply: Callable[[ReferenceService], None]) -> Callable[[ReferenceService], None]:
        name = apply.__name__.strip("_").replace("_", "-")
        MUTANTS[name] = Mutant(name, clause, (apply.__doc__ or "").strip(), apply)
        return apply

    return register


# --- helpers: wrap an operation, rewrite responses --------------------------------------------------------------


def wrap_operation(
    service: ReferenceService, operation: str, wrapper: Callable[[Handler, Any, dict[str, Any]], Any]
) -> None:
    assert service.operations is not None
    original = service.operations.operations[operation]
    service.operations.operations[operation] = lambda account, body: wrapper(original, account, body)


def wrap_handle(service: ReferenceService, wrapper: Callable[[Callable[..., Any], str, Any, Any], Any]) -> None:
    """Wrap validation and dispatch together (for mutants of request validation)."""
    assert service.operations is not None
    original = service.operations.handle
    service.operations.handle = lambda operation, account, body: wrapper(original, operation, account, body)  # type: ignore[method-assign]


Rewrite = Callable[[dict[str, Any], int, list[tuple[str, str]], bytes], tuple[int, list[tuple[str, str]], bytes]]


def rewrite_responses(service: ReferenceService, rewrite: Rewrite) -> None:
    """Put a WSGI middleware in front of the Comprehend side that may change any response."""
    assert service.edge is not None
    inner = service.edge.comprehend

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(inner(environ, keep))
        code = int(captured["status"].split()[0])
        code, headers, body = rewrite(environ, code, list(captured["headers"]), body)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"] + [("Content-Length", str(len(body)))]
        start_response(f"{code} X", headers)
        return [body]

    service.edge.comprehend = app


def _target(environ: dict[str, Any]) -> str:
    return str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _job(service: ReferenceService, account: Any, body: dict[str, Any]) -> Job:
    assert service.operations is not None
    job = service.operations.table.get(account.account_id, body["JobId"])
    if job is None:
        raise job_not_found(body["JobId"])
    return job


# --- request syntax ---------------------------------------------------------------------------------------------


@mutant("REQ-JOBID-PATTERN")
def _accepts_hash(service: ReferenceService) -> None:
    """Lets '#' through JobId validation: a malformed id gets JobNotFoundException instead of a validation error."""

    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        if isinstance(body, dict) and isinstance(body.get("JobId"), str) and "#" in body["JobId"]:
            raise job_not_found(body["JobId"])
        return original(operation, account, body)

    wrap_handle(service, handle)


@mutant("REQ-JOBID-PATTERN")
def _rejects_cjk(service: ReferenceService) -> None:
    """Narrows the JobId pattern to ASCII: '日本語' is rejected as invalid."""

    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        job_id = body.get("JobId") if isinstance(body, dict) else None
        if isinstance(job_id, str) and not job_id.isascii():
            raise AwsError("ValidationException", "1 validation error detected: Value at 'jobId' is not ASCII")
        return original(operation, account, body)

    wrap_handle(service, handle)


def _length_rule(service: ReferenceService, valid: Callable[[str], bool]) -> None:
    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        job_id = body.get("JobId") if isinstance(body, dict) else None
        if operation == "StopSentimentDetectionJob" and isinstance(job_id, str) and job_id:
            if valid(job_id):
                found = service.operations.table.get(account.account_id, job_id) if service.operations else None
                if found is None:
                    raise job_not_found(job_id)
            else:
                raise AwsError("ValidationException", "1 validation error detected: Value at 'jobId' has a bad length")
        return original(operation, account, body)

    wrap_handle(service, handle)


@mutant("REQ-JOBID-LENGTH")
def _max_length_33(service: ReferenceService) -> None:
    """An off-by-one maximum: a 33-character JobId passes validation."""
    _length_rule(service, lambda job_id: len(job_id) <= 33 and "#" not in job_id and job_id.isprintable())


@mutant("REQ-JOBID-LENGTH")
def _max_length_31(service: ReferenceService) -> None:
    """An off-by-one maximum: a 32-character JobId is rejected."""
    _length_rule(service, lambda job_id: len(job_id) <= 31)


@mutant("REQ-JOBID-LENGTH")
def _length_in_bytes(service: ReferenceService) -> None:
    """Counts UTF-8 bytes, not code points: 32 x '日' (96 bytes) is rejected."""
    _length_rule(service, lambda job_id: len(job_id.encode("utf-8")) <= 32)


@mutant("REQ-JOBID-REQUIRED")
def _missing_job_id_not_found(service: ReferenceService) -> None:
    """A request without JobId is looked up as an empty id: JobNotFoundException, not a validation error."""

    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        if operation == "StopSentimentDetectionJob" and isinstance(body, dict) and "JobId" not in body:
            raise job_not_found("")
        return original(operation, account, body)

    wrap_handle(service, handle)


@mutant("REQ-JOBID-TYPE")
def _number_job_id_coerced(service: ReferenceService) -> None:
    """Coerces a non-string JobId to a string (5 becomes '5') and looks it up."""

    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        if isinstance(body, dict) and "JobId" in body and not isinstance(body["JobId"], str):
            raise job_not_found(str(body["JobId"]))
        return original(operation, account, body)

    wrap_handle(service, handle)


@mutant("ERR-VALIDATION-CODE")
def _validation_as_invalid_request(service: ReferenceService) -> None:
    """Answers constraint violations with InvalidRequestException instead of ValidationException."""

    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        try:
            return original(operation, account, body)
        except AwsError as error:
            if error.code == "ValidationException":
                raise invalid_request(error.message) from None
            raise

    wrap_handle(service, handle)


# --- responses --------------------------------------------------------------------------------------------------


def _rewrite_stop_body(service: ReferenceService, change: Callable[[dict[str, Any]], None]) -> None:
    def rewrite(environ: dict[str, Any], code: int, headers: list[tuple[str, str]], body: bytes) -> Any:
        payload = _json(body)
        if _target(environ) == "StopSentimentDetectionJob" and code == 200 and isinstance(payload, dict):
            change(payload)
            body = json.dumps(payload).encode()
        return code, headers, body

    rewrite_responses(service, rewrite)


@mutant("RESP-JOBID-ECHO")
def _different_job_id_echoed(service: ReferenceService) -> None:
    """Echoes a different JobId than the one asked to stop."""
    _rewrite_stop_body(service, lambda body: body.update(JobId=str(body["JobId"])[::-1]))


@mutant("RESP-STATUS-VALUE")
def _stop_answers_stopping(service: ReferenceService) -> None:
    """A successful stop answers JobStatus 'IN_PROGRESS' instead of STOP_REQUESTED or STOPPED."""
    _rewrite_stop_body(service, lambda body: body.update(JobStatus="IN_PROGRESS"))


@mutant("RESP-SCHEMA")
def _stop_answer_without_job_id(service: ReferenceService) -> None:
    """A successful stop answers JobId as a number."""
    _rewrite_stop_body(service, lambda body: body.update(JobId=12345))


# --- stop in each state -----------------------------------------------------------------------------------------


def _stop_answers(
    service: ReferenceService, answer: Callable[[Job, Callable[[], dict[str, Any]]], dict[str, Any]]
) -> None:
    def stop(original: Handler, account: Any, body: dict[str, Any]) -> Any:
        job = _job(service, account, body)
        return answer(job, lambda: original(account, body))

    wrap_operation(service, "StopSentimentDetectionJob", stop)


@mutant("STOP-COMPLETED")
def _stop_completed_answers_200(service: ReferenceService) -> None:
    """Stop on a COMPLETED job answers 200 COMPLETED instead of 400 InvalidRequestException."""
    _stop_answers(
        service,
        lambda job, go: {"JobId": job.job_id, "JobStatus": "COMPLETED"} if job.status is JobStatus.COMPLETED else go(),
    )


@mutant("STOP-FAILED")
def _stop_failed_answers_200(service: ReferenceService) -> None:
    """Stop on a FAILED job answers 200 FAILED instead of 400 InvalidRequestException."""
    _stop_answers(
        service,
        lambda job, go: {"JobId": job.job_id, "JobStatus": "FAILED"} if job.status is JobStatus.FAILED else go(),
    )


@mutant("STOP-IN-PROGRESS")
def _in_progress_answers_stopped(service: ReferenceService) -> None:
    """Stop on an IN_PROGRESS job answers STOPPED (the job is only marked for termination)."""

    def answer(job: Job, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        was_running = job.status is JobStatus.IN_PROGRESS
        result = go()
        return {**result, "JobStatus": "STOPPED"} if was_running else result

    _stop_answers(service, answer)


@mutant("STOP-SUBMITTED")
def _stop_submitted_rejected(service: ReferenceService) -> None:
    """Stop on a SUBMITTED job is rejected with InvalidRequestException."""

    def answer(job: Job, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if job.status is JobStatus.SUBMITTED:
            raise invalid_request("the job has not started yet")
        return go()

    _stop_answers(service, answer)


@mutant("STOP-REPEAT-REQUESTED")
def _repeat_stop_answers_stopped(service: ReferenceService) -> None:
    """Stop on a job already STOP_REQUESTED answers STOPPED while it is still running."""

    def answer(job: Job, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        was = job.status
        result = go()
        return {**result, "JobStatus": "STOPPED"} if was is JobStatus.STOP_REQUESTED else result

    _stop_answers(service, answer)


@mutant("STOP-STOPPED")
def _stopped_answers_stop_requested(service: ReferenceService) -> None:
    """Stop on a STOPPED job answers STOP_REQUESTED."""

    def answer(job: Job, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result = go()
        return {**result, "JobStatus": "STOP_REQUESTED"} if job.status is JobStatus.STOPPED else result

    _stop_answers(service, answer)


@mutant("STOP-NOT-FOUND")
def _unknown_job_resource_not_found(service: ReferenceService) -> None:
    """An unknown job gets ResourceNotFoundException instead of JobNotFoundException."""

    def stop(original: Handler, account: Any, body: dict[str, Any]) -> Any:
        try:
            return original(account, body)
        except AwsError as error:
            if error.code == "JobNotFoundException":
                raise AwsError("ResourceNotFoundException", error.message) from None
            raise

    wrap_operation(service, "StopSentimentDetectionJob", stop)


@mutant("STOP-NO-SIDE-EFFECT")
def _refused_stop_moves_end_time(service: ReferenceService) -> None:
    """A refused stop of an ended job still rewrites its EndTime."""

    def answer(job: Job, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if job.status in (JobStatus.COMPLETED, JobStatus.FAILED) and job.end_time is not None:
            job.end_time += 1.0
        return go()

    _stop_answers(service, answer)


def _runner_end(service: ReferenceService, replacement: Callable[[Any, Job, Callable[..., None]], None]) -> None:
    runner = service.runner
    assert runner is not None
    original = runner._end

    def end(job: Job, *, completed: bool = False, failed: str | None = None) -> None:
        replacement(runner, job, lambda: original(job, completed=completed, failed=failed))

    runner._end = end  # type: ignore[method-assign]


@mutant("STOP-OUTCOME")
def _never_leaves_stop_requested(service: ReferenceService) -> None:
    """A job in STOP_REQUESTED never reaches an end state."""
    _runner_end(service, lambda runner, job, go: None if job.status is JobStatus.STOP_REQUESTED else go())


@mutant("STOP-OUTPUT")
def _no_partial_output(service: ReferenceService) -> None:
    """A stopped job writes no output at all."""
    runner = service.runner
    assert runner is not None
    original = runner.storage.write_output

    def write(location: Any, records: list[dict[str, Any]]) -> None:
        if not any(j.stop_requested and j.output_uri.endswith(location.key) for j in runner.table.all_jobs()):
            original(location, records)

    runner.storage.write_output = write  # type: ignore[method-assign]


@mutant("STOP-OUTPUT")
def _duplicate_output_records(service: ReferenceService) -> None:
    """A stopped job's output holds every record twice."""
    runner = service.runner
    assert runner is not None
    original = runner.storage.write_output

    def write(location: Any, records: list[dict[str, Any]]) -> None:
        stopped = any(j.stop_requested and j.output_uri.endswith(location.key) for j in runner.table.all_jobs())
        original(location, records + records if stopped and records else records)

    runner.storage.write_output = write  # type: ignore[method-assign]


# --- lifecycle --------------------------------------------------------------------------------------------------


def _rewrite_describe(service: ReferenceService, change: Callable[[dict[str, Any]], None]) -> None:
    def rewrite(environ: dict[str, Any], code: int, headers: list[tuple[str, str]], body: bytes) -> Any:
        payload = _json(body)
        if _target(environ) == "DescribeSentimentDetectionJob" and code == 200 and isinstance(payload, dict):
            change(payload["SentimentDetectionJobProperties"])
            body = json.dumps(payload).encode()
        return code, headers, body

    rewrite_responses(service, rewrite)


@mutant("LIFE-TRANSITIONS")
def _completed_back_to_in_progress(service: ReferenceService) -> None:
    """Describe shows a COMPLETED job as IN_PROGRESS again once it has shown it COMPLETED."""
    shown: set[str] = set()

    def change(properties: dict[str, Any]) -> None:
        if properties.get("JobStatus") == "COMPLETED":
            if properties["JobId"] in shown:
                properties["JobStatus"] = "IN_PROGRESS"
                properties.pop("EndTime", None)
            shown.add(properties["JobId"])

    _rewrite_describe(service, change)


@mutant("LIFE-ENDTIME")
def _end_time_before_submit_time(service: ReferenceService) -> None:
    """An ended job's EndTime lies before its SubmitTime."""
    _rewrite_describe(
        service,
        lambda p: p.update(EndTime=p["SubmitTime"] - 60) if "EndTime" in p else None,
    )


@mutant("LIFE-ENDTIME")
def _no_end_time(service: ReferenceService) -> None:
    """An ended job has no EndTime."""
    _rewrite_describe(service, lambda p: p.pop("EndTime", None))


@mutant("LIFE-DESCRIBE-SCHEMA")
def _arn_of_another_resource(service: ReferenceService) -> None:
    """JobArn names an entity-detection job, not a sentiment-detection job."""
    _rewrite_describe(
        service,
        lambda p: p.update(JobArn=str(p["JobArn"]).replace("sentiment-detection-job", "entities-detection-job")),
    )


@mutant("LIFE-DESCRIBE-SCHEMA")
def _language_code_unknown(service: ReferenceService) -> None:
    """Describe shows LanguageCode 'english', outside the model's enum."""
    _rewrite_describe(service, lambda p: p.update(LanguageCode="english"))


@mutant("LIFE-OUTPUT-RECORD")
def _lowercase_sentiment(service: ReferenceService) -> None:
    """Output records name the sentiment in lower case ('positive')."""
    runner = service.runner
    assert runner is not None
    original = runner.storage.write_output

    def write(location: Any, records: list[dict[str, Any]]) -> None:
        original(location, [{**r, "Sentiment": str(r.get("Sentiment", "")).lower()} for r in records])

    runner.storage.write_output = write  # type: ignore[method-assign]


# --- errors and protocol ----------------------------------------------------------------------------------------


def _rewrite_errors(service: ReferenceService, change: Callable[[dict[str, Any]], None]) -> None:
    def rewrite(environ: dict[str, Any], code: int, headers: list[tuple[str, str]], body: bytes) -> Any:
        payload = _json(body)
        if code >= 400 and isinstance(payload, dict):
            change(payload)
            body = json.dumps(payload).encode()
        return code, headers, body

    rewrite_responses(service, rewrite)


@mutant("ERR-SHAPE")
def _error_without_type(service: ReferenceService) -> None:
    """Error bodies carry a message but no __type."""
    _rewrite_errors(service, lambda body: body.pop("__type", None))


@mutant("ERR-INTERNAL")
def _list_fails_with_500_unnamed(service: ReferenceService) -> None:
    """ListSentimentDetectionJobs answers HTTP 500 naming 'Boom', not InternalServerException."""

    def rewrite(environ: dict[str, Any], code: int, headers: list[tuple[str, str]], body: bytes) -> Any:
        if _target(environ) == "ListSentimentDetectionJobs":
            return 500, headers, json.dumps({"__type": "Boom", "message": "it broke"}).encode()
        return code, headers, body

    rewrite_responses(service, rewrite)


@mutant("PROTO-CONTENT-TYPE")
def _json_content_type(service: ReferenceService) -> None:
    """Responses say Content-Type: application/json."""

    def rewrite(environ: dict[str, Any], code: int, headers: list[tuple[str, str]], body: bytes) -> Any:
        return code, [(k, "application/json" if k.lower() == "content-type" else v) for k, v in headers], body

    rewrite_responses(service, rewrite)


@mutant("PROTO-REQUEST-ID")
def _no_request_id(service: ReferenceService) -> None:
    """Responses carry no x-amzn-RequestId header."""

    def rewrite(environ: dict[str, Any], code: int, headers: list[tuple[str, str]], body: bytes) -> Any:
        return code, [(k, v) for k, v in headers if k.lower() != "x-amzn-requestid"], body

    rewrite_responses(service, rewrite)


@mutant("PROTO-MALFORMED-JSON")
def _malformed_json_invalid_request(service: ReferenceService) -> None:
    """A body that is not JSON gets InvalidRequestException instead of SerializationException."""
    _rewrite_errors(
        service,
        lambda body: (
            body.update(__type="InvalidRequestException")
            if str(body.get("__type", "")).endswith("SerializationException")
            else None
        ),
    )


@mutant("PROTO-UNKNOWN-OPERATION")
def _unknown_operation_invalid_action(service: ReferenceService) -> None:
    """An unknown X-Amz-Target gets InvalidActionException instead of UnknownOperationException."""
    _rewrite_errors(
        service,
        lambda body: (
            body.update(__type="InvalidActionException")
            if str(body.get("__type", "")).endswith("UnknownOperationException")
            else None
        ),
    )


@mutant("PROTO-TIMESTAMPS")
def _timestamps_as_strings(service: ReferenceService) -> None:
    """SubmitTime and EndTime are ISO 8601 strings, not epoch seconds."""

    def change(properties: dict[str, Any]) -> None:
        for name in ("SubmitTime", "EndTime"):
            if isinstance(properties.get(name), int | float):
                properties[name] = dt.datetime.fromtimestamp(properties[name], dt.UTC).isoformat()

    _rewrite_describe(service, change)


# --- authentication ---------------------------------------------------------------------------------------------


def _auth(service: ReferenceService, verify: Callable[[Callable[..., Any], Any, Any, str, Any], Any]) -> None:
    app = service.http
    assert app is not None
    original = app.verify
    app.verify = lambda request, accounts, region, now: verify(original, request, accounts, region, now)


@mutant("AUTH-REQUIRED")
def _unsigned_accepted(service: ReferenceService) -> None:
    """An unsigned request is served as the first account."""
    first = service.config.accounts[0]
    _auth(
        service,
        lambda original, request, accounts, region, now: (
            first if "authorization" not in request.headers else original(request, accounts, region, now)
        ),
    )


@mutant("AUTH-SIGNATURE")
def _signature_not_checked(service: ReferenceService) -> None:
    """The signature is never compared: any signature from a known key is accepted."""

    def verify(original: Callable[..., Any], request: Any, accounts: Any, region: str, now: Any) -> Any:
        try:
            return original(request, accounts, region, now)
        except AwsError as error:
            if error.code == "InvalidSignatureException" and "calculated does not match" in error.message:
                return next(iter(accounts.values()))
            if error.code == "InvalidSignatureException" and "x-amz-content-sha256" in error.message:
                return next(iter(accounts.values()))
            raise

    _auth(service, verify)


@mutant("AUTH-UNKNOWN-KEY")
def _unknown_key_is_first_account(service: ReferenceService) -> None:
    """A request signed with an unknown access key is served as the first account."""
    first = service.config.accounts[0]

    def verify(original: Callable[..., Any], request: Any, accounts: Any, region: str, now: Any) -> Any:
        try:
            return original(request, accounts, region, now)
        except AwsError as error:
            if error.code == "UnrecognizedClientException":
                return first
            raise

    _auth(service, verify)


@mutant("AUTH-EXPIRED")
def _no_expiry(service: ReferenceService) -> None:
    """Signatures never expire: a request signed 20 minutes ago is accepted."""

    def verify(original: Callable[..., Any], request: Any, accounts: Any, region: str, now: Any) -> Any:
        try:
            return original(request, accounts, region, now)
        except AwsError as error:
            if "Signature expired" in error.message:
                return original(request, accounts, region, now - dt.timedelta(minutes=30))
            raise

    _auth(service, verify)


@mutant("AUTH-ISOLATION")
def _jobs_shared_across_accounts(service: ReferenceService) -> None:
    """Jobs are looked up in every account: another account can describe and stop them."""
    assert service.operations is not None
    table = service.operations.table
    original = table.get

    def get(account_id: str, job_id: str) -> Job | None:
        return original(account_id, job_id) or next((j for j in table.all_jobs() if j.job_id == job_id), None)

    table.get = get  # type: ignore[method-assign]


# --- authentication of StopSentimentDetectionJob alone (Start, Describe and List stay checked) -------------------


def _signed_at(request: Any) -> dt.datetime | None:
    stamp = (request.headers.get("x-amz-date") or [""])[0]
    try:
        return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _stop_served_when(service: ReferenceService, refused: Callable[[AwsError, Any, dt.datetime], bool]) -> None:
    """Authentication as the reference does it, except that a Stop it would refuse for ``refused`` is served."""
    first = service.config.accounts[0]

    def verify(original: Callable[..., Any], request: Any, accounts: Any, region: str, now: Any) -> Any:
        try:
            return original(request, accounts, region, now)
        except AwsError as error:
            target = (request.headers.get("x-amz-target") or [""])[0]
            if target.endswith(".StopSentimentDetectionJob") and refused(error, request, now):
                return first
            raise

    _auth(service, verify)


def _expired(request: Any, now: dt.datetime) -> bool:
    signed = _signed_at(request)
    return signed is not None and now - signed > dt.timedelta(minutes=15)


@mutant("AUTH-REQUIRED")
def _unsigned_stop_accepted(service: ReferenceService) -> None:
    """An unsigned StopSentimentDetectionJob is served as the first account (Start, Describe and List are checked)."""
    _stop_served_when(service, lambda error, request, now: "authorization" not in request.headers)


@mutant("AUTH-SIGNATURE")
def _stop_signature_not_checked(service: ReferenceService) -> None:
    """A StopSentimentDetectionJob whose signature does not match is served (other operations are checked)."""
    _stop_served_when(
        service,
        lambda error, request, now: error.code == "InvalidSignatureException" and not _expired(request, now),
    )


@mutant("AUTH-UNKNOWN-KEY")
def _unknown_key_stop_accepted(service: ReferenceService) -> None:
    """A StopSentimentDetectionJob signed with an unknown access key is served as the first account."""
    _stop_served_when(service, lambda error, request, now: error.code == "UnrecognizedClientException")


@mutant("AUTH-EXPIRED")
def _expired_stop_accepted(service: ReferenceService) -> None:
    """A StopSentimentDetectionJob signed 20 minutes ago is served (expiry is checked on other operations)."""
    _stop_served_when(service, lambda error, request, now: _expired(request, now))


# --- issue 10: output location, null JobId, a 5xx that a retry cannot get past ----------------------------------


@mutant("LIFE-OUTPUT-LOCATION")
def _legacy_sentiment_output_path(service: ReferenceService) -> None:
    """Output goes to <S3Uri>/<account>-SENTIMENT-<JobId>/output/output.tar.gz, not AWS's <account>-TS-<JobId>."""

    def start(original: Handler, account: Any, body: dict[str, Any]) -> Any:
        answer = original(account, body)
        assert service.operations is not None
        job = service.operations.table.get(account.account_id, answer["JobId"])
        if job is not None:
            with service.operations.table.lock:
                job.output_uri = job.output_uri.replace(f"-TS-{job.job_id}/", f"-SENTIMENT-{job.job_id}/")
        return answer

    wrap_operation(service, "StartSentimentDetectionJob", start)


@mutant("REQ-JOBID-TYPE")
def _null_job_id_answered_500(service: ReferenceService) -> None:
    """{"JobId": null} crashes the service: HTTP 500 InternalServerException instead of a validation error."""

    def handle(original: Callable[..., Any], operation: str, account: Any, body: Any) -> Any:
        if isinstance(body, dict) and "JobId" in body and body["JobId"] is None:
            raise internal_error()
        return original(operation, account, body)

    wrap_handle(service, handle)


@mutant("ERR-INTERNAL")
def _internal_error_not_retry_safe(service: ReferenceService) -> None:
    """The rehearsed 500 on Stop happens on every retry too (a retry of the same request is never answered)."""
    assert service.http is not None
    service.http.faults = FaultPlan(
        (FaultRule("internal", operation="StopSentimentDetectionJob", job_id_prefix=REHEARSAL_JOB_ID_PREFIX),)
    )
