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
from comprehend_contract.spec.family import JobType, family
from comprehend_contract.spec.lifecycle import JobStatus

FIRST_ACCOUNT = DEFAULT_ACCOUNTS[0]
"""The account a mutant serves a request it should have refused as (the zoo runs the default accounts)."""

Variation = Behaviour | FaultPlan


@dataclass(frozen=True)
class Mutant:
    """One deliberately wrong reference: its name, the clause and the Stop operation it breaks, what it does, and how
    to build it."""

    name: str
    clause: str
    doc: str
    job_type: JobType
    """The job type whose Stop operation the mutant breaks (its other operations, and every other type, are the
    reference's own)."""
    variation: Callable[[JobType], Variation]
    """A fresh behaviour (or fault plan) for one reference, breaking ``job_type``: hooks may keep state, so each
    service gets its own."""
    waits_out_budget: bool = False
    """Caught only once the suite has waited out the target's job budget: the zoo starts it first."""

    @property
    def operation(self) -> str:
        """The Stop operation the mutant must fail (and no other)."""
        return self.job_type.stop

    def config(self, base: ServiceConfig) -> ServiceConfig:
        """``base`` with this mutant's behaviour hooks, or its fault plan, in place of the reference's own."""
        variation = self.variation(self.job_type)
        if isinstance(variation, FaultPlan):
            return dataclasses.replace(base, faults=variation)
        return dataclasses.replace(base, behaviour=variation)


MUTANTS: dict[str, Mutant] = {}
SEED = family().seed.name


def mutant(
    clause: str, *, types: tuple[str, ...] = (SEED,), waits_out_budget: bool = False
) -> Callable[[Callable[[JobType], Variation]], Callable[[JobType], Variation]]:
    """Register a mutant of ``clause`` for each job type of ``types``: named after the function for the seed type
    (``stop-completed-answers-200``), and with the type's name after it for another (``...-200-events``)."""

    def register(variation: Callable[[JobType], Variation]) -> Callable[[JobType], Variation]:
        base = variation.__name__.strip("_").replace("_", "-")
        for name in types:
            job_type = family().get(name)
            label = base if job_type.name == SEED else f"{base}-{job_type.name.lower()}"
            doc = (variation.__doc__ or "").strip()
            MUTANTS[label] = Mutant(label, clause, doc, job_type, variation, waits_out_budget)
        return variation

    return register


# --- helpers ----------------------------------------------------------------------------------------------------


def on_operation(operation: str, hook: Callable[[Call, Proceed], dict[str, Any]]) -> Behaviour:
    """A behaviour whose ``hook`` wraps one operation's handler; the other operations are the reference's."""

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        return hook(call, proceed) if call.operation == operation else proceed(call)

    return Behaviour(operation=carry_out)


def shows(job_type: JobType, change: Callable[[dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose Describe and List answers of ``job_type`` show each job's properties after ``change``."""

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        answer = proceed(call)
        if call.operation == job_type.describe:
            change(answer[job_type.properties_member])
        elif call.operation == job_type.list:
            for properties in answer[job_type.list_member]:
                change(properties)
        return answer

    return Behaviour(operation=carry_out)


def describe_shows(job_type: JobType, change: Callable[[dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose Describe answers of ``job_type`` show the job's properties after ``change``."""

    def describe(call: Call, proceed: Proceed) -> dict[str, Any]:
        answer = proceed(call)
        change(answer[job_type.properties_member])
        return answer

    return on_operation(job_type.describe, describe)


def on_stop_of(
    job_type: JobType, answer: Callable[[JobView, Callable[[], dict[str, Any]]], dict[str, Any]]
) -> Behaviour:
    """A behaviour whose Stop (of ``job_type``) of a known job is ``answer(job as it was, the reference's stop)``."""

    def stop(call: Call, proceed: Proceed) -> dict[str, Any]:
        job = call.job()
        return proceed(call) if job is None else answer(job, lambda: proceed(call))

    return on_operation(job_type.stop, stop)


def rewrite_stop_answer(job_type: JobType, change: Callable[[dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose successful Stop answers of ``job_type`` are ``change``d on the wire."""

    def respond(response: Response) -> Response:
        payload = response.json()
        if response.operation == job_type.stop and response.status == 200 and isinstance(payload, dict):
            change(payload)
            return response.with_json(payload)
        return response

    return Behaviour(respond=respond)


def rewrite(job_type: JobType, change: Callable[[Response], Response | None]) -> Behaviour:
    """A behaviour whose responses to ``job_type``'s operations are ``change``d on the wire (None: unchanged)."""

    def respond(response: Response) -> Response:
        if response.operation not in job_type.operations:
            return response
        return change(response) or response

    return Behaviour(respond=respond)


def rewrite_errors(job_type: JobType, change: Callable[[Response, dict[str, Any]], None]) -> Behaviour:
    """A behaviour whose error bodies, answering ``job_type``'s operations, are ``change``d on the wire."""

    def changed(response: Response) -> Response | None:
        payload = response.json()
        if response.status >= 400 and isinstance(payload, dict):
            change(response, payload)
            return response.with_json(payload)
        return None

    return rewrite(job_type, changed)


def serve_when(job_type: JobType, refused: Callable[[AuthFailure], bool]) -> Behaviour:
    """Authentication as the reference does it, except that a request to one of ``job_type``'s operations refused for
    ``refused`` reasons is served, as the signing key's account if the key is known, else as the first account."""

    def authenticate(failure: AuthFailure) -> Account | None:
        mine = failure.operation in job_type.operations
        return (failure.account or FIRST_ACCOUNT) if mine and refused(failure) else None

    return Behaviour(authenticate=authenticate)


def validating(job_type: JobType, check: Callable[[Call, Proceed], dict[str, Any] | None]) -> Behaviour:
    """Validation as the reference does it, except for ``job_type``'s operations, where ``check`` goes first (it
    raises, answers, or returns None to let the reference validate)."""

    def validate(call: Call, proceed: Proceed) -> dict[str, Any]:
        if call.job_type == job_type.name:
            answer = check(call, proceed)
            if answer is not None:
                return answer
        return proceed(call)

    return Behaviour(validate=validate)


# --- request syntax ---------------------------------------------------------------------------------------------


@mutant("REQ-JOBID-PATTERN", types=(SEED, "KeyPhrases"))
def _accepts_hash(job_type: JobType) -> Variation:
    """Lets '#' through JobId validation: a malformed id gets JobNotFoundException instead of a validation error."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        job_id = call.job_id()
        if job_id is not None and "#" in job_id:
            raise job_not_found(job_id)
        return None

    return validating(job_type, check)


@mutant("REQ-JOBID-PATTERN", types=(SEED, "Entities"))
def _rejects_cjk(job_type: JobType) -> Variation:
    """Narrows the JobId pattern to ASCII: '日本語' is rejected as invalid."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        job_id = call.job_id()
        if job_id is not None and not job_id.isascii():
            raise validation_error("1 validation error detected: Value at 'jobId' is not ASCII")
        return None

    return validating(job_type, check)


def length_rule(job_type: JobType, valid: Callable[[str], bool]) -> Behaviour:
    """``job_type``'s Stop judges JobId by ``valid`` instead of the schema: a valid id unknown to the account is not
    found."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        job_id = call.job_id()
        if call.operation != job_type.stop or not job_id:
            return None
        if not valid(job_id):
            raise validation_error("1 validation error detected: Value at 'jobId' has a bad length")
        if call.job() is None:
            raise job_not_found(job_id)
        return None

    return validating(job_type, check)


@mutant("REQ-JOBID-LENGTH", types=(SEED, "DominantLanguage"))
def _max_length_33(job_type: JobType) -> Variation:
    """An off-by-one maximum: a 33-character JobId passes validation."""
    return length_rule(job_type, lambda job_id: len(job_id) <= 33 and "#" not in job_id and job_id.isprintable())


@mutant("REQ-JOBID-LENGTH", types=(SEED, "PiiEntities"))
def _max_length_31(job_type: JobType) -> Variation:
    """An off-by-one maximum: a 32-character JobId is rejected."""
    return length_rule(job_type, lambda job_id: len(job_id) <= 31)


@mutant("REQ-JOBID-LENGTH", types=(SEED, "Events"))
def _length_in_bytes(job_type: JobType) -> Variation:
    """Counts UTF-8 bytes, not code points: 32 x '日' (96 bytes) is rejected."""
    return length_rule(job_type, lambda job_id: len(job_id.encode("utf-8")) <= 32)


@mutant("REQ-JOBID-REQUIRED", types=(SEED, "TargetedSentiment"))
def _missing_job_id_not_found(job_type: JobType) -> Variation:
    """A request without JobId is looked up as an empty id: JobNotFoundException, not a validation error."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        if call.operation == job_type.stop and isinstance(call.body, dict) and "JobId" not in call.body:
            raise job_not_found("")
        return None

    return validating(job_type, check)


@mutant("REQ-JOBID-TYPE", types=(SEED, "KeyPhrases"))
def _number_job_id_coerced(job_type: JobType) -> Variation:
    """Coerces a non-string JobId to a string (5 becomes '5') and looks it up."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        if isinstance(call.body, dict) and "JobId" in call.body and not isinstance(call.body["JobId"], str):
            raise job_not_found(str(call.body["JobId"]))
        return None

    return validating(job_type, check)


@mutant("ERR-VALIDATION-CODE", types=(SEED, "Entities"))
def _validation_as_invalid_request(job_type: JobType) -> Variation:
    """Answers constraint violations with InvalidRequestException instead of ValidationException."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        try:
            return proceed(call)
        except AwsError as error:
            if error.code == "ValidationException":
                raise invalid_request(error.message) from None
            raise

    return validating(job_type, check)


# --- responses --------------------------------------------------------------------------------------------------


@mutant("RESP-JOBID-ECHO", types=(SEED, "DominantLanguage"))
def _different_job_id_echoed(job_type: JobType) -> Variation:
    """Echoes a different JobId than the one asked to stop."""
    return rewrite_stop_answer(job_type, lambda body: body.update(JobId=str(body["JobId"])[::-1]))


@mutant("RESP-STATUS-VALUE", types=(SEED, "Events"))
def _stop_answers_in_progress(job_type: JobType) -> Variation:
    """A successful stop answers JobStatus 'IN_PROGRESS' instead of STOP_REQUESTED or STOPPED."""
    return rewrite_stop_answer(job_type, lambda body: body.update(JobStatus="IN_PROGRESS"))


@mutant("RESP-SCHEMA", types=(SEED, "PiiEntities"))
def _stop_answers_job_id_as_a_number(job_type: JobType) -> Variation:
    """A successful stop answers JobId as a number."""
    return rewrite_stop_answer(job_type, lambda body: body.update(JobId=12345))


# --- stop in each state -----------------------------------------------------------------------------------------


@mutant("STOP-COMPLETED", types=(SEED, "TargetedSentiment"))
def _stop_completed_answers_200(job_type: JobType) -> Variation:
    """Stop on a COMPLETED job answers 200 COMPLETED instead of 400 InvalidRequestException."""
    return on_stop_of(
        job_type,
        lambda job, go: {"JobId": job.job_id, "JobStatus": "COMPLETED"} if job.status is JobStatus.COMPLETED else go(),
    )


@mutant("STOP-FAILED", types=(SEED, "KeyPhrases"))
def _stop_failed_answers_200(job_type: JobType) -> Variation:
    """Stop on a FAILED job answers 200 FAILED instead of 400 InvalidRequestException."""
    return on_stop_of(
        job_type,
        lambda job, go: {"JobId": job.job_id, "JobStatus": "FAILED"} if job.status is JobStatus.FAILED else go(),
    )


@mutant("STOP-IN-PROGRESS", types=(SEED, "Entities"))
def _in_progress_answers_stopped(job_type: JobType) -> Variation:
    """Stop on an IN_PROGRESS job answers STOPPED (the job is only marked for termination)."""

    def answer(job: JobView, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result = go()
        return {**result, "JobStatus": "STOPPED"} if job.status is JobStatus.IN_PROGRESS else result

    return on_stop_of(job_type, answer)


@mutant("STOP-SUBMITTED", types=(SEED, "DominantLanguage"))
def _stop_submitted_rejected(job_type: JobType) -> Variation:
    """Stop on a SUBMITTED job is rejected with InvalidRequestException."""

    def answer(job: JobView, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if job.status is JobStatus.SUBMITTED:
            raise invalid_request("the job has not started yet")
        return go()

    return on_stop_of(job_type, answer)


@mutant("STOP-REPEAT-REQUESTED", types=(SEED, "PiiEntities"))
def _repeat_stop_answers_stopped(job_type: JobType) -> Variation:
    """Stop on a job already STOP_REQUESTED answers STOPPED while it is still running."""

    def answer(job: JobView, go: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result = go()
        return {**result, "JobStatus": "STOPPED"} if job.status is JobStatus.STOP_REQUESTED else result

    return on_stop_of(job_type, answer)


@mutant("STOP-STOPPED", types=(SEED, "Events"))
def _stopped_answers_stop_requested(job_type: JobType) -> Variation:
    """Stop on a STOPPED job answers STOP_REQUESTED."""

    def stop(call: Call, proceed: Proceed) -> dict[str, Any]:
        result = proceed(call)
        job = call.job()
        return {**result, "JobStatus": "STOP_REQUESTED"} if job and job.status is JobStatus.STOPPED else result

    return on_operation(job_type.stop, stop)


@mutant("STOP-NOT-FOUND", types=(SEED, "PiiEntities"))
def _unknown_job_resource_not_found(job_type: JobType) -> Variation:
    """An unknown job gets ResourceNotFoundException instead of JobNotFoundException."""

    def stop(call: Call, proceed: Proceed) -> dict[str, Any]:
        try:
            return proceed(call)
        except AwsError as error:
            if error.code == "JobNotFoundException":
                raise AwsError("ResourceNotFoundException", error.message) from None
            raise

    return on_operation(job_type.stop, stop)


@mutant("STOP-NO-SIDE-EFFECT", types=(SEED, "TargetedSentiment"))
def _refused_stop_moves_end_time(job_type: JobType) -> Variation:
    """A refused stop of an ended job still rewrites its EndTime."""
    moved: dict[str, float] = {}
    lock = threading.Lock()

    def show(properties: dict[str, Any]) -> None:
        with lock:
            shift = moved.get(properties["JobId"], 0.0)
        if shift and "EndTime" in properties:
            properties["EndTime"] += shift

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        job = call.job() if call.operation == job_type.stop else None
        if job is not None and job.status in (JobStatus.COMPLETED, JobStatus.FAILED) and job.end_time is not None:
            with lock:
                moved[job.job_id] = moved.get(job.job_id, 0.0) + 1.0
        answer = proceed(call)
        if call.operation == job_type.describe:
            show(answer[job_type.properties_member])
        elif call.operation == job_type.list:
            for properties in answer[job_type.list_member]:
                show(properties)
        return answer

    return Behaviour(operation=carry_out)


@mutant("STOP-OUTCOME", types=(SEED, "KeyPhrases"), waits_out_budget=True)
def _never_leaves_stop_requested(job_type: JobType) -> Variation:
    """A job in STOP_REQUESTED never reaches an end state."""

    def end(job: JobView, planned: JobEnd) -> JobEnd | None:
        return None if job.job_type == job_type.name and job.status is JobStatus.STOP_REQUESTED else planned

    return Behaviour(end=end)


@mutant("STOP-OUTPUT", types=(SEED, "Entities"))
def _no_partial_output(job_type: JobType) -> Variation:
    """A stopped job writes no output at all."""
    return Behaviour(
        output=lambda job, records: None if job.job_type == job_type.name and job.stop_requested else records
    )


@mutant("STOP-OUTPUT", types=(SEED, "Events"))
def _duplicate_output_records(job_type: JobType) -> Variation:
    """A stopped job's output holds every record twice."""

    def output(job: JobView, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return records + records if job.job_type == job_type.name and job.stop_requested and records else records

    return Behaviour(output=output)


# --- lifecycle --------------------------------------------------------------------------------------------------


@mutant("LIFE-TRANSITIONS", types=(SEED, "DominantLanguage"), waits_out_budget=True)
def _completed_back_to_in_progress(job_type: JobType) -> Variation:
    """Describe shows a COMPLETED job as IN_PROGRESS again once it has shown it COMPLETED."""
    shown: set[str] = set()

    def change(properties: dict[str, Any]) -> None:
        if properties.get("JobStatus") == "COMPLETED":
            if properties["JobId"] in shown:
                properties["JobStatus"] = "IN_PROGRESS"
                properties.pop("EndTime", None)
            shown.add(properties["JobId"])

    return describe_shows(job_type, change)


@mutant("LIFE-ENDTIME", types=(SEED, "PiiEntities"))
def _end_time_before_submit_time(job_type: JobType) -> Variation:
    """An ended job's EndTime lies before its SubmitTime."""
    return describe_shows(job_type, lambda p: p.update(EndTime=p["SubmitTime"] - 60) if "EndTime" in p else None)


@mutant("LIFE-ENDTIME", types=(SEED, "Events"))
def _no_end_time(job_type: JobType) -> Variation:
    """An ended job has no EndTime."""
    return describe_shows(job_type, lambda p: p.pop("EndTime", None))


@mutant("LIFE-DESCRIBE-SCHEMA", types=(SEED, "TargetedSentiment"))
def _arn_of_another_resource(job_type: JobType) -> Variation:
    """JobArn names another type's resource (an entities-detection-job; for entities, a sentiment-detection-job)."""
    other = "sentiment-detection-job" if job_type.arn_resource == "entities-detection-job" else "entities-detection-job"
    return describe_shows(job_type, lambda p: p.update(JobArn=str(p["JobArn"]).replace(job_type.arn_resource, other)))


@mutant("LIFE-DESCRIBE-SCHEMA", types=(SEED, "KeyPhrases"))
def _language_code_unknown(job_type: JobType) -> Variation:
    """Describe shows LanguageCode 'english', outside the model's enum."""
    return describe_shows(job_type, lambda p: p.update(LanguageCode="english"))


@mutant("LIFE-OUTPUT-RECORD", types=(SEED,))
def _lowercase_sentiment(job_type: JobType) -> Variation:
    """Output records name the sentiment in lower case ('positive')."""

    def output(job: JobView, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if job.job_type != job_type.name:
            return records
        return [{**r, "Sentiment": str(r.get("Sentiment", "")).lower()} if "Sentiment" in r else r for r in records]

    return Behaviour(output=output)


@mutant("LIFE-OUTPUT-RECORD", types=("KeyPhrases", "DominantLanguage", "TargetedSentiment"))
def _records_without_scores(job_type: JobType) -> Variation:
    """Output records lose every Score: key phrases, languages and mentions carry none (the record shape breaks)."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: strip(value) for key, value in node.items() if key != "Score"}
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    def output(job: JobView, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [strip(r) for r in records] if job.job_type == job_type.name else records

    return Behaviour(output=output)


@mutant("LIFE-OUTPUT-RECORD", types=("Entities", "PiiEntities", "Events"))
def _offsets_off_by_one(job_type: JobType) -> Variation:
    """Every EndOffset is one past the entity's end: the offsets no longer delimit the entity."""

    def shift(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: (value + 1 if key == "EndOffset" else shift(value)) for key, value in node.items()}
        if isinstance(node, list):
            return [shift(item) for item in node]
        return node

    def output(job: JobView, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [shift(r) for r in records] if job.job_type == job_type.name else records

    return Behaviour(output=output)


@mutant("LIFE-OUTPUT-LOCATION", types=(SEED,))
def _legacy_sentiment_output_path(job_type: JobType) -> Variation:
    """Output goes to <S3Uri>/<account>-SENTIMENT-<JobId>/output/output.tar.gz, not AWS's <account>-TS-<JobId>."""

    def output_uri(job: JobView) -> str:
        if job.job_type != job_type.name:
            return job.output_uri
        return job.output_uri.replace(f"-{job_type.output_code}-{job.job_id}/", f"-SENTIMENT-{job.job_id}/")

    return Behaviour(output_uri=output_uri)


@mutant("LIFE-OUTPUT-LOCATION", types=("Entities", "PiiEntities", "KeyPhrases"))
def _output_under_the_type_name(job_type: JobType) -> Variation:
    """Output goes under the type's name as its folder code (<account>-ENTITIES-<JobId>), not its documented code."""

    def output_uri(job: JobView) -> str:
        if job.job_type != job_type.name:
            return job.output_uri
        return job.output_uri.replace(
            f"-{job_type.output_code}-{job.job_id}/", f"-{job_type.name.upper()}-{job.job_id}/"
        )

    return Behaviour(output_uri=output_uri)


# --- errors and protocol ----------------------------------------------------------------------------------------


@mutant("ERR-SHAPE", types=(SEED, "DominantLanguage"))
def _error_without_type(job_type: JobType) -> Variation:
    """Error bodies carry a message but no __type."""
    return rewrite_errors(job_type, lambda response, body: body.pop("__type", None))


@mutant("ERR-INTERNAL", types=(SEED, "PiiEntities"))
def _list_fails_with_500_unnamed(job_type: JobType) -> Variation:
    """The type's List answers HTTP 500 naming 'Boom', not InternalServerException."""

    def respond(response: Response) -> Response | None:
        if response.operation == job_type.list:
            return dataclasses.replace(response, status=500).with_json({"__type": "Boom", "message": "it broke"})
        return None

    return rewrite(job_type, respond)


@mutant("PROTO-CONTENT-TYPE", types=(SEED, "Events"))
def _json_content_type(job_type: JobType) -> Variation:
    """Responses say Content-Type: application/json."""
    return rewrite(job_type, lambda response: response.with_header("Content-Type", "application/json"))


@mutant("PROTO-REQUEST-ID", types=(SEED, "TargetedSentiment"))
def _no_request_id(job_type: JobType) -> Variation:
    """Responses carry no x-amzn-RequestId header."""
    return rewrite(job_type, lambda response: response.with_header("x-amzn-RequestId", None))


@mutant("PROTO-MALFORMED-JSON", types=(SEED, "KeyPhrases"))
def _malformed_json_invalid_request(job_type: JobType) -> Variation:
    """A body that is not JSON gets InvalidRequestException instead of SerializationException."""
    return rewrite_errors(
        job_type,
        lambda response, body: (
            body.update(__type="InvalidRequestException") if response.error == "SerializationException" else None
        ),
    )


@mutant("PROTO-UNKNOWN-OPERATION", types=(SEED, "Entities"))
def _stop_in_lower_case_is_served(job_type: JobType) -> Variation:
    """The type's Stop named in lower case (an unknown X-Amz-Target) is served as the Stop, not refused."""

    def respond(response: Response) -> Response:
        if response.operation == job_type.stop.lower() and response.error == "UnknownOperationException":
            return dataclasses.replace(response, status=400).with_json(
                {"__type": "JobNotFoundException", "Message": "served as the Stop it spells"}
            )
        return response

    return Behaviour(respond=respond)


@mutant("PROTO-TIMESTAMPS", types=(SEED, "DominantLanguage"))
def _timestamps_as_strings(job_type: JobType) -> Variation:
    """SubmitTime and EndTime are ISO 8601 strings, not epoch seconds."""

    def change(properties: dict[str, Any]) -> None:
        for name in ("SubmitTime", "EndTime"):
            if isinstance(properties.get(name), int | float):
                properties[name] = dt.datetime.fromtimestamp(properties[name], dt.UTC).isoformat()

    return describe_shows(job_type, change)


# --- authentication ---------------------------------------------------------------------------------------------

SIGNATURE_DOES_NOT_HOLD = (AuthFailureReason.SIGNATURE_MISMATCH, AuthFailureReason.BODY_HASH_MISMATCH)


@mutant("AUTH-REQUIRED", types=(SEED, "PiiEntities"))
def _unsigned_accepted(job_type: JobType) -> Variation:
    """An unsigned request is served as the first account."""
    return serve_when(job_type, lambda failure: failure.reason is AuthFailureReason.MISSING)


@mutant("AUTH-SIGNATURE", types=(SEED, "Events"))
def _signature_not_checked(job_type: JobType) -> Variation:
    """The signature is never compared: any signature from a known key is accepted."""
    return serve_when(job_type, lambda failure: failure.reason in SIGNATURE_DOES_NOT_HOLD)


@mutant("AUTH-UNKNOWN-KEY", types=(SEED, "TargetedSentiment"))
def _unknown_key_is_first_account(job_type: JobType) -> Variation:
    """A request signed with an unknown access key is served as the first account."""
    return serve_when(job_type, lambda failure: failure.reason is AuthFailureReason.UNKNOWN_KEY)


@mutant("AUTH-EXPIRED", types=(SEED, "KeyPhrases"))
def _no_expiry(job_type: JobType) -> Variation:
    """Signatures never expire: a request signed 20 minutes ago is accepted."""
    return serve_when(job_type, lambda failure: failure.reason is AuthFailureReason.EXPIRED)


@mutant("AUTH-ISOLATION", types=(SEED, "Entities"))
def _jobs_shared_across_accounts(job_type: JobType) -> Variation:
    """Jobs are looked up in every account: another account can describe and stop them."""

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        job_id = call.job_id()
        if call.operation in (job_type.describe, job_type.stop) and job_id is not None and call.job() is None:
            owner = next(
                (j.account_id for j in call.jobs.all_jobs() if j.job_id == job_id and j.job_type == job_type.name),
                None,
            )
            account = next((a for a in DEFAULT_ACCOUNTS if a.account_id == owner), None)
            if account is not None:
                return proceed(dataclasses.replace(call, account=account))
        return proceed(call)

    return Behaviour(operation=carry_out)


# --- authentication of the Stop operation alone (Start, Describe and List stay checked) -------------------------


@mutant("AUTH-REQUIRED", types=(SEED, "DominantLanguage"))
def _unsigned_stop_accepted(job_type: JobType) -> Variation:
    """An unsigned Stop is served as the first account (Start, Describe and List are checked)."""
    return serve_when(
        job_type, lambda failure: failure.operation == job_type.stop and failure.reason is AuthFailureReason.MISSING
    )


@mutant("AUTH-SIGNATURE", types=(SEED, "PiiEntities"))
def _stop_signature_not_checked(job_type: JobType) -> Variation:
    """A Stop whose signature does not match is served (other operations are checked)."""
    return serve_when(
        job_type, lambda failure: failure.operation == job_type.stop and failure.reason in SIGNATURE_DOES_NOT_HOLD
    )


@mutant("AUTH-UNKNOWN-KEY", types=(SEED, "Events"))
def _unknown_key_stop_accepted(job_type: JobType) -> Variation:
    """A Stop signed with an unknown access key is served as the first account."""
    return serve_when(
        job_type,
        lambda failure: failure.operation == job_type.stop and failure.reason is AuthFailureReason.UNKNOWN_KEY,
    )


@mutant("AUTH-EXPIRED", types=(SEED, "TargetedSentiment"))
def _expired_stop_accepted(job_type: JobType) -> Variation:
    """A Stop signed 20 minutes ago is served (expiry is checked on other operations)."""
    return serve_when(
        job_type, lambda failure: failure.operation == job_type.stop and failure.reason is AuthFailureReason.EXPIRED
    )


# --- between job types ------------------------------------------------------------------------------------------


@mutant("TYPE-ISOLATION", types=(SEED, "Events", "PiiEntities"))
def _jobs_visible_through_other_types(job_type: JobType) -> Variation:
    """The type's jobs are one collection with every other type's: another type's Stop, Describe and List find them."""

    def carry_out(call: Call, proceed: Proceed) -> dict[str, Any]:
        if call.job_type == job_type.name or call.verb not in ("stop", "describe", "list"):
            return proceed(call)
        if call.verb == "list":
            answer = proceed(call)
            own = proceed(dataclasses.replace(call, operation=job_type.list))[job_type.list_member]
            answer[family().get(call.job_type).list_member].extend(own)
            return answer
        job_id = call.job_id()
        if call.job() is None and job_id is not None and call.jobs.get(call.account.account_id, job_type.name, job_id):
            operation = job_type.stop if call.verb == "stop" else job_type.describe
            return proceed(dataclasses.replace(call, operation=operation))
        return proceed(call)

    return Behaviour(operation=carry_out)


# --- null JobId, a 5xx that a retry cannot get past ---------------------------------------------------------------


@mutant("REQ-JOBID-TYPE", types=(SEED, "Events"))
def _null_job_id_answered_500(job_type: JobType) -> Variation:
    """{"JobId": null} crashes the service: HTTP 500 InternalServerException instead of a validation error."""

    def check(call: Call, proceed: Proceed) -> dict[str, Any] | None:
        if isinstance(call.body, dict) and "JobId" in call.body and call.body["JobId"] is None:
            raise internal_error()
        return None

    return validating(job_type, check)


@mutant("ERR-INTERNAL", types=(SEED, "TargetedSentiment"))
def _internal_error_not_retry_safe(job_type: JobType) -> Variation:
    """The rehearsed 500 on the Stop happens on every retry too (a retry of the same request is never answered)."""
    rules = [
        FaultRule("internal", operation=stop, job_id_prefix=REHEARSAL_JOB_ID_PREFIX, first_only=stop != job_type.stop)
        for stop in family().stops()
    ]
    return FaultPlan(tuple(rules))
