"""The mutants. Each is built on the reference's public seams only: a ``Behaviour`` (hooks over validation,
operations, job output and ends, responses and authentication) or a ``FaultPlan``; its docstring names what it breaks.

No mutant patches the reference or reads an error's message: a mutant of the reference is a configuration of it,
so a refactor of the reference cannot silently change what a mutant breaks (``tests/mutants/test_public_seams.py``
checks this file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comprehend_contract.reference import (
    DEFAULT_ACCOUNTS,
    REHEARSAL_JOB_ID_PREFIX,
    Account,
    AuthFailure,
    AuthFailureReason,
    AwsError,
    Behaviour,
    Call,
    FaultPlan,
    FaultRule,
    JobEnd,
    JobView,
    Proceed,
    Response,
    ServiceConfig,
    internal_error,
    invalid_request,
    job_not_found,
    validation_error,
)
from comprehend_contract.spec.lifecycle import JobStatus

DESCRIBE = "DescribeSentimentDetectionJob"
LIST = "ListSentimentDetectionJobs"
STOP = "StopSentimentDetectionJob"

FIRST_ACCOUNT = DEFAULT_ACCOUNTS[0]
"""The account a mutant serves a request it should have refused as (the zoo runs the default accounts)."""

Variation = Behaviour | FaultPlan


@dataclass(frozen=True)
class Mutant:
    """One deliberately wrong reference: its name, the clause it breaks, what it does, and how to build it."""

    name: str
    clause: str
    doc: str
    variation: Callable[[], Variation]
    """A fresh behaviour (or fault plan) for one reference: hooks may keep state, so each service gets its own."""
    waits_out_budget: bool = False
    """Caught only once the suite has waited out the target's job budget: the zoo starts it first."""

    def config(self, base: ServiceConfig) -> ServiceConfig:
        """``base`` with this mutant's behaviour hooks, or its fault plan, in place of the reference's own."""
        variation = self.variation()
        if isinstance(variation, FaultPlan):
            return dataclasses.replace(base, faults=variation)
        return dataclasses.replace(base, behaviour=variation)


MUTANTS: dict[str, Mutant] = {}


def mutant(
    clause: str, *, waits_out_budget: bool = False
) -> Callable[[Callable[[], Variation]], Callable[[], Variation]]:
    def register(variation: Callable[[], Variation]) -> Callable[[], Variation]:
        name = variation.__name__.strip("_").replace("_", "-")
        MUTANTS[name] = Mutant(name, clause, (variation.__doc__ or "").strip(), variation, waits_out_budget)
        return variation

    return register


# --- helpers ----------------------------------------------------------------------------------------------------


def on_operation(operation: str, hook: Callable[[Call, Proceed], dict[str, Any]]) -> Behaviour:
    """A behaviour whose ``hook`` wraps one operation's handler; the other operations are the reference's."""

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        return hook(call, proceed) if call.operation == operation else proceed(call)

    return Behaviour(operation=carry_out)


def describe_shows(change: Callable[[dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose Describe answers show the job's properties after ``change``."""

    def describe(call: Call, proceed: Proceed) -> dict[str, Any]:
        answer = proceed(call)
        change(answer["SentimentDetectionJobProperties"])
        return answer

    return on_operation(DESCRIBE, describe)


def on_stop_of(answer: Callable[[JobView, Callable[[], dict[str, Any]]], dict[str, Any]]) -> Behaviour:
    """A behaviour whose Stop of a known job is ``answer(job as it was, the reference's stop)``."""

    def stop(call: Call, proceed: Proceed) -> dict[str, Any]:
        job = call.job()
        return proceed(call) if job is None else answer(job, lambda: proceed(call))

    return on_operation(STOP, stop)


def rewrite_stop_answer(change: Callable[[dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose successful Stop answers are ``change``d on the wire."""

    def respond(response: Response) -> Response:
        payload = response.json()
        if response.operation == STOP and response.status == 200 and isinstance(payload, dict):
            change(payload)
            return response.with_json(payload)
        return response

    return Behaviour(respond=respond)


def rewrite_errors(change: Callable[[Response, dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose error bodies are ``change``d on the wire (given the response and its JSON body)."""

    def respond(response: Response) -> Response:
        payload = response.json()
        if response.status >= 400 and isinstance(payload, dict):
            change(response, payload)
            return response.with_json(payload)
        return response

    return Behaviour(respond=respond)


def serve_when(refused: Callable[[AuthFailure], bool]) -> Behaviour:
    """Authentication as the reference does it, except that a request refused for ``refused`` reasons is served,
    as the signing key's account if the key is known, else as the first account."""

    def authenticate(failure: AuthFailure) -> Account | None:
        return (failure.account or FIRST_ACCOUNT) if refused(failure) else None

    return Behaviour(authenticate=authenticate)


# --- request syntax ---------------------------------------------------------------------------------------------


@mutant("REQ-JOBID-PATTERN")
def _accepts_hash() -> Variation:
    """Lets '#' through JobId validation: a malformed id gets JobNotFoundException instead of a validation error."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        job_id = call.job_id()
        if job_id is not None and "#" in job_id:
            raise job_not_found(job_id)
        return proceed(call)

    return Behaviour(validate=validate)


@mutant("REQ-JOBID-PATTERN")
def _rejects_cjk() -> Variation:
    """Narrows the JobId pattern to ASCII: '日本語' is rejected as invalid."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        job_id = call.job_id()
        if job_id is not None and not job_id.isascii():
            raise validation_error("1 validation error detected: Value at 'jobId' is not ASCII")
        return proceed(call)

    return Behaviour(validate=validate)


def length_rule(valid: Callable[[str], bool]) -> Behaviour:
    """Stop's JobId judged by ``valid`` instead of the schema: a valid id unknown to the account is not found."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        job_id = call.job_id()
        if call.operation != STOP or not job_id:
            return proceed(call)
        if not valid(job_id):
            raise validation_error("1 validation error detected: Value at 'jobId' has a bad length")
        if call.job() is None:
            raise job_not_found(job_id)
        return proceed(call)

    return Behaviour(validate=validate)


@mutant("REQ-JOBID-LENGTH")
def _max_length_33() -> Variation:
    """An off-by-one maximum: a 33-character JobId passes validation."""
    return length_rule(lambda job_id: len(job_id) <= 33 and "#" not in job_id and job_id.isprintable())


@mutant("REQ-JOBID-LENGTH")
def _max_length_31() -> Variation:
    """An off-by-one maximum: a 32-character JobId is rejected."""
    return length_rule(lambda job_id: len(job_id) <= 31)


@mutant("REQ-JOBID-LENGTH")
def _length_in_bytes() -> Variation:
    """Counts UTF-8 bytes, not code points: 32 x '日' (96 bytes) is rejected."""
    return length_rule(lambda job_id: len(job_id.encode("utf-8")) <= 32)


@mutant("REQ-JOBID-REQUIRED")
def _missing_job_id_not_found() -> Variation:
    """A request without JobId is looked up as an empty id: JobNotFoundException, not a validation error."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        if call.operation == STOP and isinstance(call.body, dict) and "JobId" not in call.body:
            raise job_not_found("")
        return proceed(call)

    return Behaviour(validate=validate)


@mutant("REQ-JOBID-TYPE")
def _number_job_id_coerced() -> Variation:
    """Coerces a non-string JobId to a string (5 becomes '5') and looks it up."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        if isinstance(call.body, dict) and "JobId" in call.body and not isinstance(call.body["JobId"], str):
            raise job_not_found(str(call.body["JobId"]))
        return proceed(call)

    return Behaviour(validate=validate)


@mutant("ERR-VALIDATION-CODE")
def _validation_as_invalid_request() -> Variation:
    """Answers constraint violations with InvalidRequestException instead of ValidationException."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        try:
            return proceed(call)
        except AwsError as error:
            if error.code == "ValidationException":
                raise invalid_request(error.message) from None
            raise

    return Behaviour(validate=validate)


# --- responses --------------------------------------------------------------------------------------------------


@mutant("RESP-JOBID-ECHO")
def _different_job_id_echoed() -> Variation:
    """Echoes a different JobId than the one asked to stop."""
    return rewrite_stop_answer(lambda body: body.update(JobId=str(body["JobId"])[::-1]))


@mutant("RESP-STATUS-VALUE")
def _stop_answers_in_progress() -> Variation:
    """A successful stop answers JobStatus 'IN_PROGRESS' instead of STOP_REQUESTED or STOPPED."""
    return rewrite_stop_answer(lambda body: body.update(JobStatus="IN_PROGRESS"))


@mutant("RESP-SCHEMA")
def _stop_answers_job_id_as_a_number() -> Variation:
    """A successful stop answers JobId as a number."""
    return rewrite_stop_answer(lambda body: body.update(JobId=12345))


# --- stop in each state -----------------------------------------------------------------------------------------


@mutant("STOP-COMPLETED")
def _stop_completed_answers_200() -> Variation:
    """Stop on a COMPLETED job answers 200 COMPLETED instead of 400 InvalidRequestException."""
    return on_stop_of(
        lambda job, go: {"JobId": job.job_id, "JobStatus": "COMPLETED"} if job.status is JobStatus.COMPLETED else go()
    )


@mutant("STOP-FAILED")
def _stop_failed_answers_200() -> Variation:
    """Stop on a FAILED job answers 200 FAILED instead of 400 InvalidRequestException."""
    return on_stop_of(
        lambda job, go: {"JobId": job.job_id, "JobStatus": "FAILED"} if job.status is JobStatus.FAILED else go()
    )


@mutant("STOP-IN-PROGRESS")
def _in_progress_answers_stopped() -> Variation:
    """Stop on an IN_PROGRESS job answers STOPPED (the job is only marked for termination)."""

    def answer(job: JobView, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result = go()
        return {**result, "JobStatus": "STOPPED"} if job.status is JobStatus.IN_PROGRESS else result

    return on_stop_of(answer)


@mutant("STOP-SUBMITTED")
def _stop_submitted_rejected() -> Variation:
    """Stop on a SUBMITTED job is rejected with InvalidRequestException."""

    def answer(job: JobView, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if job.status is JobStatus.SUBMITTED:
            raise invalid_request("the job has not started yet")
        return go()

    return on_stop_of(answer)


@mutant("STOP-REPEAT-REQUESTED")
def _repeat_stop_answers_stopped() -> Variation:
    """Stop on a job already STOP_REQUESTED answers STOPPED while it is still running."""

    def answer(job: JobView, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result = go()
        return {**result, "JobStatus": "STOPPED"} if job.status is JobStatus.STOP_REQUESTED else result

    return on_stop_of(answer)


@mutant("STOP-STOPPED")
def _stopped_answers_stop_requested() -> Variation:
    """Stop on a STOPPED job answers STOP_REQUESTED."""

    def stop(call: Call, proceed: Proceed) -> dict[str, Any]:
        result = proceed(call)
        job = call.job()
        return {**result, "JobStatus": "STOP_REQUESTED"} if job and job.status is JobStatus.STOPPED else result

    return on_operation(STOP, stop)


@mutant("STOP-NOT-FOUND")
def _unknown_job_resource_not_found() -> Variation:
    """An unknown job gets ResourceNotFoundException instead of JobNotFoundException."""

    def stop(call: Call, proceed: Proceed) -> dict[str, Any]:
        try:
            return proceed(call)
        except AwsError as error:
            if error.code == "JobNotFoundException":
                raise AwsError("ResourceNotFoundException", error.message) from None
            raise

    return on_operation(STOP, stop)


@mutant("STOP-NO-SIDE-EFFECT")
def _refused_stop_moves_end_time() -> Variation:
    """A refused stop of an ended job still rewrites its EndTime."""
    moved: dict[str, float] = {}
    lock = threading.Lock()

    def show(properties: dict[str, Any]) -> None:
        with lock:
            shift = moved.get(properties["JobId"], 0.0)
        if shift and "EndTime" in properties:
            properties["EndTime"] += shift

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        job = call.job() if call.operation == STOP else None
        if job is not None and job.status in (JobStatus.COMPLETED, JobStatus.FAILED) and job.end_time is not None:
            with lock:
                moved[job.job_id] = moved.get(job.job_id, 0.0) + 1.0
        answer = proceed(call)
        if call.operation == DESCRIBE:
            show(answer["SentimentDetectionJobProperties"])
        elif call.operation == LIST:
            for properties in answer["SentimentDetectionJobPropertiesList"]:
                show(properties)
        return answer

    return Behaviour(operation=carry_out)


@mutant("STOP-OUTCOME", waits_out_budget=True)
def _never_leaves_stop_requested() -> Variation:
    """A job in STOP_REQUESTED never reaches an end state."""

    def end(job: JobView, planned: JobEnd) -> JobEnd | None:
        return None if job.status is JobStatus.STOP_REQUESTED else planned

    return Behaviour(end=end)


@mutant("STOP-OUTPUT")
def _no_partial_output() -> Variation:
    """A stopped job writes no output at all."""
    return Behaviour(output=lambda job, records: None if job.stop_requested else records)


@mutant("STOP-OUTPUT")
def _duplicate_output_records() -> Variation:
    """A stopped job's output holds every record twice."""
    return Behaviour(output=lambda job, records: records + records if job.stop_requested and records else records)


# --- lifecycle --------------------------------------------------------------------------------------------------


@mutant("LIFE-TRANSITIONS", waits_out_budget=True)
def _completed_back_to_in_progress() -> Variation:
    """Describe shows a COMPLETED job as IN_PROGRESS again once it has shown it COMPLETED."""
    shown: set[str] = set()

    def change(properties: dict[str, Any]) -> None:
        if properties.get("JobStatus") == "COMPLETED":
            if properties["JobId"] in shown:
                properties["JobStatus"] = "IN_PROGRESS"
                properties.pop("EndTime", None)
            shown.add(properties["JobId"])

    return describe_shows(change)


@mutant("LIFE-ENDTIME")
def _end_time_before_submit_time() -> Variation:
    """An ended job's EndTime lies before its SubmitTime."""
    return describe_shows(lambda p: p.update(EndTime=p["SubmitTime"] - 60) if "EndTime" in p else None)


@mutant("LIFE-ENDTIME")
def _no_end_time() -> Variation:
    """An ended job has no EndTime."""
    return describe_shows(lambda p: p.pop("EndTime", None))


@mutant("LIFE-DESCRIBE-SCHEMA")
def _arn_of_another_resource() -> Variation:
    """JobArn names an entity-detection job, not a sentiment-detection job."""
    return describe_shows(
        lambda p: p.update(JobArn=str(p["JobArn"]).replace("sentiment-detection-job", "entities-detection-job"))
    )


@mutant("LIFE-DESCRIBE-SCHEMA")
def _language_code_unknown() -> Variation:
    """Describe shows LanguageCode 'english', outside the model's enum."""
    return describe_shows(lambda p: p.update(LanguageCode="english"))


@mutant("LIFE-OUTPUT-RECORD")
def _lowercase_sentiment() -> Variation:
    """Output records name the sentiment in lower case ('positive')."""
    return Behaviour(
        output=lambda job, records: [{**r, "Sentiment": str(r.get("Sentiment", "")).lower()} for r in records]
    )


# --- errors and protocol ----------------------------------------------------------------------------------------


@mutant("ERR-SHAPE")
def _error_without_type() -> Variation:
    """Error bodies carry a message but no __type."""
    return rewrite_errors(lambda response, body: body.pop("__type", None))


@mutant("ERR-INTERNAL")
def _list_fails_with_500_unnamed() -> Variation:
    """ListSentimentDetectionJobs answers HTTP 500 naming 'Boom', not InternalServerException."""

    def respond(response: Response) -> Response:
        if response.operation == LIST:
            return dataclasses.replace(response, status=500).with_json({"__type": "Boom", "message": "it broke"})
        return response

    return Behaviour(respond=respond)


@mutant("PROTO-CONTENT-TYPE")
def _json_content_type() -> Variation:
    """Responses say Content-Type: application/json."""
    return Behaviour(respond=lambda response: response.with_header("Content-Type", "application/json"))


@mutant("PROTO-REQUEST-ID")
def _no_request_id() -> Variation:
    """Responses carry no x-amzn-RequestId header."""
    return Behaviour(respond=lambda response: response.with_header("x-amzn-RequestId", None))


@mutant("PROTO-MALFORMED-JSON")
def _malformed_json_invalid_request() -> Variation:
    """A body that is not JSON gets InvalidRequestException instead of SerializationException."""
    return rewrite_errors(
        lambda response, body: (
            body.update(__type="InvalidRequestException") if response.error == "SerializationException" else None
        )
    )


@mutant("PROTO-UNKNOWN-OPERATION")
def _unknown_operation_invalid_action() -> Variation:
    """An unknown X-Amz-Target gets InvalidActionException instead of UnknownOperationException."""
    return rewrite_errors(
        lambda response, body: (
            body.update(__type="InvalidActionException") if response.error == "UnknownOperationException" else None
        )
    )


@mutant("PROTO-TIMESTAMPS")
def _timestamps_as_strings() -> Variation:
    """SubmitTime and EndTime are ISO 8601 strings, not epoch seconds."""

    def change(properties: dict[str, Any]) -> None:
        for name in ("SubmitTime", "EndTime"):
            if isinstance(properties.get(name), int | float):
                properties[name] = dt.datetime.fromtimestamp(properties[name], dt.UTC).isoformat()

    return describe_shows(change)


# --- authentication ---------------------------------------------------------------------------------------------

SIGNATURE_DOES_NOT_HOLD = (AuthFailureReason.SIGNATURE_MISMATCH, AuthFailureReason.BODY_HASH_MISMATCH)


@mutant("AUTH-REQUIRED")
def _unsigned_accepted() -> Variation:
    """An unsigned request is served as the first account."""
    return serve_when(lambda failure: failure.reason is AuthFailureReason.MISSING)


@mutant("AUTH-SIGNATURE")
def _signature_not_checked() -> Variation:
    """The signature is never compared: any signature from a known key is accepted."""
    return serve_when(lambda failure: failure.reason in SIGNATURE_DOES_NOT_HOLD)


@mutant("AUTH-UNKNOWN-KEY")
def _unknown_key_is_first_account() -> Variation:
    """A request signed with an unknown access key is served as the first account."""
    return serve_when(lambda failure: failure.reason is AuthFailureReason.UNKNOWN_KEY)


@mutant("AUTH-EXPIRED")
def _no_expiry() -> Variation:
    """Signatures never expire: a request signed 20 minutes ago is accepted."""
    return serve_when(lambda failure: failure.reason is AuthFailureReason.EXPIRED)


@mutant("AUTH-ISOLATION")
def _jobs_shared_across_accounts() -> Variation:
    """Jobs are looked up in every account: another account can describe and stop them."""

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        job_id = call.job_id()
        if call.operation in (DESCRIBE, STOP) and job_id is not None and call.job() is None:
            owner = next((job.account_id for job in call.jobs.all_jobs() if job.job_id == job_id), None)
            account = next((a for a in DEFAULT_ACCOUNTS if a.account_id == owner), None)
            if account is not None:
                return proceed(dataclasses.replace(call, account=account))
        return proceed(call)

    return Behaviour(operation=carry_out)


# --- authentication of StopSentimentDetectionJob alone (Start, Describe and List stay checked) -------------------


@mutant("AUTH-REQUIRED")
def _unsigned_stop_accepted() -> Variation:
    """An unsigned StopSentimentDetectionJob is served as the first account (Start, Describe and List are checked)."""
    return serve_when(lambda failure: failure.operation == STOP and failure.reason is AuthFailureReason.MISSING)


@mutant("AUTH-SIGNATURE")
def _stop_signature_not_checked() -> Variation:
    """A StopSentimentDetectionJob whose signature does not match is served (other operations are checked)."""
    return serve_when(lambda failure: failure.operation == STOP and failure.reason in SIGNATURE_DOES_NOT_HOLD)


@mutant("AUTH-UNKNOWN-KEY")
def _unknown_key_stop_accepted() -> Variation:
    """A StopSentimentDetectionJob signed with an unknown access key is served as the first account."""
    return serve_when(lambda failure: failure.operation == STOP and failure.reason is AuthFailureReason.UNKNOWN_KEY)


@mutant("AUTH-EXPIRED")
def _expired_stop_accepted() -> Variation:
    """A StopSentimentDetectionJob signed 20 minutes ago is served (expiry is checked on other operations)."""
    return serve_when(lambda failure: failure.operation == STOP and failure.reason is AuthFailureReason.EXPIRED)


# --- output location, null JobId, a 5xx that a retry cannot get past ---------------------------------------------


@mutant("LIFE-OUTPUT-LOCATION")
def _legacy_sentiment_output_path() -> Variation:
    """Output goes to <S3Uri>/<account>-SENTIMENT-<JobId>/output/output.tar.gz, not AWS's <account>-TS-<JobId>."""
    return Behaviour(output_uri=lambda job: job.output_uri.replace(f"-TS-{job.job_id}/", f"-SENTIMENT-{job.job_id}/"))


@mutant("REQ-JOBID-TYPE")
def _null_job_id_answered_500() -> Variation:
    """{"JobId": null} crashes the service: HTTP 500 InternalServerException instead of a validation error."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        if isinstance(call.body, dict) and "JobId" in call.body and call.body["JobId"] is None:
            raise internal_error()
        return proceed(call)

    return Behaviour(validate=validate)


@mutant("ERR-INTERNAL")
def _internal_error_not_retry_safe() -> Variation:
    """The rehearsed 500 on Stop happens on every retry too (a retry of the same request is never answered)."""
    return FaultPlan((FaultRule("internal", operation=STOP, job_id_prefix=REHEARSAL_JOB_ID_PREFIX),))
