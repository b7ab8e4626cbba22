"""The reference serves every job type of the family: each runs a real analysis and writes its documented output at
its documented location, stops the same way, validates its own Start, and is its own collection of jobs."""

from __future__ import annotations

import io
import json
import tarfile
import time
import uuid
from typing import Any

import pytest

from comprehend_contract.clients import RawSender
from comprehend_contract.harness.output import record_problems
from comprehend_contract.reference import RunningService, warm_up
from comprehend_contract.spec import validator_for
from comprehend_contract.spec.family import JobType, OutputForm, family
from comprehend_contract.spec.lifecycle import END_STATES
from tests.reference.support import ROLE

TYPES = [pytest.param(job_type, id=job_type.name) for job_type in family()]
DOCUMENTS = (
    "Jane Doe (jane.doe@example.com) loves the new Acme phone she bought in Seattle on March 3, 2024.",
    "Amazon acquired Whole Foods for $13.7 billion in 2017.",
    "The box is brown.",
)


def start_body(job_type: JobType, bucket: str, prefix: str, **extra: Any) -> dict[str, Any]:
    """A Start request of ``job_type`` over ``prefix``, with the members the type requires."""
    body: dict[str, Any] = {
        "InputDataConfig": {"S3Uri": f"s3://{bucket}/{prefix}", "InputFormat": "ONE_DOC_PER_LINE"},
        "OutputDataConfig": {"S3Uri": f"s3://{bucket}/out-{job_type.name.lower()}/"},
        "DataAccessRoleArn": ROLE,
    }
    if job_type.has_language:
        body["LanguageCode"] = "en"
    if "Mode" in job_type.start_required:
        body["Mode"] = "ONLY_OFFSETS"
    if job_type.event_types:
        body["TargetEventTypes"] = list(job_type.event_types)
    return {**body, **extra}


def upload(s3: Any, bucket: str, lines: list[str]) -> str:
    prefix = f"family-{uuid.uuid4().hex[:8]}/"
    s3.put_object(Bucket=bucket, Key=prefix + "docs.txt", Body="".join(line + "\n" for line in lines).encode())
    return prefix


def call(raw: RawSender, operation: str, body: dict[str, Any]) -> tuple[int, Any]:
    answer = raw.send(operation, body)
    return answer.status, answer.json()


def wait_end(raw: RawSender, job_type: JobType, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status, body = call(raw, job_type.describe, {"JobId": job_id})
        assert status == 200, body
        properties: dict[str, Any] = body[job_type.properties_member]
        if properties["JobStatus"] in END_STATES:
            return properties
        assert time.monotonic() < deadline, f"{job_type} job {job_id} still {properties['JobStatus']}"
        time.sleep(0.02)


def read_output(s3: Any, uri: str, form: OutputForm) -> dict[str, list[str]]:
    """Each output file's lines, read as the form says: an archive's members, or the ``.out`` objects of a folder."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if form is OutputForm.FILES:
        listing = s3.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])
        return {
            item["Key"][len(key) :]: s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode().splitlines()
            for item in listing
        }
    archive = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        return {
            name: tar.extractfile(name).read().decode().splitlines()  # type: ignore[union-attr]
            for name in tar.getnames()
        }


@pytest.mark.parametrize("job_type", TYPES)
def test_a_job_of_each_type_completes_with_valid_records_at_its_documented_location(
    reference: RunningService, raw: RawSender, s3: Any, bucket: str, job_type: JobType
) -> None:
    prefix = upload(s3, bucket, list(DOCUMENTS))
    status, started = call(raw, job_type.start, start_body(job_type, bucket, prefix))
    assert status == 200, started
    job_id = started["JobId"]
    assert started["JobArn"].endswith(f":{job_type.arn_resource}/{job_id}")
    properties = wait_end(raw, job_type, job_id)
    assert properties["JobStatus"] == "COMPLETED", properties
    assert not list(
        validator_for(f"{job_type.describe}.response").iter_errors({job_type.properties_member: properties})
    )
    form = job_type.output_forms[0]
    folder = f"s3://{bucket}/out-{job_type.name.lower()}/{reference.accounts[0].account_id}-{job_type.output_code}-"
    expected = f"{folder}{job_id}/output/" + ("output.tar.gz" if form.archived else "")
    assert properties["OutputDataConfig"]["S3Uri"] == expected
    files = read_output(s3, expected, form)
    names = {OutputForm.ARCHIVE: ["output"], OutputForm.ARCHIVE_OF_FILES: ["docs.txt.out"]}.get(form, ["docs.txt.out"])
    assert sorted(files) == names
    records = [json.loads(line) for lines in files.values() for line in lines]
    assert [record["Line"] for record in records] == [0, 1, 2]
    for record in records:  # the suite's own judge of a record: its schema, and its offsets against its document
        assert not record_problems(job_type, record, {"docs.txt": list(DOCUMENTS)}), record


@pytest.mark.parametrize("job_type", TYPES)
def test_a_job_of_each_type_stopped_in_progress_ends_stopped_with_what_it_processed(
    raw: RawSender, s3: Any, bucket: str, job_type: JobType
) -> None:
    # 2000 documents take 10 s at the fast pace: a stop 0.3 s into IN_PROGRESS (effective 1 s later) lands well
    # inside, however late a loaded machine sees the job start; the analyses are loaded first, as a server does
    warm_up()
    prefix = upload(s3, bucket, [f"Jane Doe bought {i} Acme phones in Seattle." for i in range(2000)])
    status, started = call(raw, job_type.start, start_body(job_type, bucket, prefix))
    job_id = started["JobId"]
    deadline = time.monotonic() + 10
    while call(raw, job_type.describe, {"JobId": job_id})[1][job_type.properties_member]["JobStatus"] != "IN_PROGRESS":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)
    status, stopped = call(raw, job_type.stop, {"JobId": job_id})
    assert (status, stopped) == (200, {"JobId": job_id, "JobStatus": "STOP_REQUESTED"})
    properties = wait_end(raw, job_type, job_id)
    assert properties["JobStatus"] == "STOPPED"
    files = read_output(s3, properties["OutputDataConfig"]["S3Uri"], job_type.output_forms[0])
    lines = [line for found in files.values() for line in found]
    assert 0 < len(lines) < 2000, "the documents processed before the stop, and only those"
    assert sorted(json.loads(line)["Line"] for line in lines) == list(range(len(lines)))


@pytest.mark.parametrize("job_type", TYPES)
def test_a_job_is_not_a_job_of_another_type(raw: RawSender, s3: Any, bucket: str, job_type: JobType) -> None:
    """TYPE-ISOLATION: another type's Stop and Describe do not find the job, its List does not show it."""
    other = family().types[(family().types.index(job_type) + 1) % len(family())]
    name = f"isolation-{uuid.uuid4().hex[:8]}"
    prefix = upload(s3, bucket, list(DOCUMENTS))
    _, started = call(raw, job_type.start, start_body(job_type, bucket, prefix, JobName=name))
    job_id = started["JobId"]
    for operation in (other.stop, other.describe):
        status, answer = call(raw, operation, {"JobId": job_id})
        assert (status, answer["__type"]) == (400, "JobNotFoundException"), (operation, answer)
    status, listed = call(raw, other.list, {"Filter": {"JobName": name}})
    assert (status, listed[other.list_member]) == (200, [])
    status, own = call(raw, job_type.list, {"Filter": {"JobName": name}})
    assert [job["JobId"] for job in own[job_type.list_member]] == [job_id]
    assert wait_end(raw, job_type, job_id)["JobStatus"] == "COMPLETED", "another type's Stop changed nothing"


@pytest.mark.parametrize(
    ("mask_mode", "expected"),
    [("MASK", "Write to **************** today."), ("REPLACE_WITH_PII_ENTITY_TYPE", "Write to [EMAIL] today.")],
)
def test_pii_redaction_writes_a_masked_copy_of_each_input(
    raw: RawSender, s3: Any, bucket: str, mask_mode: str, expected: str
) -> None:
    pii = family().get("PiiEntities")
    prefix = upload(s3, bucket, ["Write to jane@example.com today."])
    redaction = {"PiiEntityTypes": ["EMAIL"], "MaskMode": mask_mode, "MaskCharacter": "*"}
    body = start_body(pii, bucket, prefix, Mode="ONLY_REDACTION", RedactionConfig=redaction)
    _, started = call(raw, pii.start, body)
    properties = wait_end(raw, pii, started["JobId"])
    assert properties["Mode"] == "ONLY_REDACTION"
    assert read_output(s3, properties["OutputDataConfig"]["S3Uri"], OutputForm.FILES) == {"docs.txt.out": [expected]}


@pytest.mark.parametrize(
    ("type_name", "extra", "says"),
    [
        ("TargetedSentiment", {"LanguageCode": "fr"}, "support LanguageCode en, not 'fr'"),
        ("PiiEntities", {"LanguageCode": "de"}, "support LanguageCode en, es, not 'de'"),
        ("Events", {"TargetEventTypes": ["CORPORATE_ACQUISTION"]}, "CORPORATE_ACQUISTION are not event types"),
        ("PiiEntities", {"Mode": "ONLY_REDACTION"}, "needs a RedactionConfig"),
    ],
)
def test_each_type_validates_its_own_start(
    raw: RawSender, bucket: str, type_name: str, extra: dict[str, Any], says: str
) -> None:
    job_type = family().get(type_name)
    status, answer = call(raw, job_type.start, start_body(job_type, bucket, "nothing/", **extra))
    assert status == 400
    assert answer["__type"] == "InvalidRequestException"
    assert says in answer["Message"]


@pytest.mark.parametrize("type_name", ["Events", "PiiEntities"])
def test_a_missing_required_member_is_the_usual_validation_error(raw: RawSender, bucket: str, type_name: str) -> None:
    job_type = family().get(type_name)
    body = start_body(job_type, bucket, "nothing/")
    member = "TargetEventTypes" if type_name == "Events" else "Mode"
    del body[member]
    status, answer = call(raw, job_type.start, body)
    assert status == 400
    assert answer["__type"].endswith("ValidationException")
    assert f"Value null at '{member[0].lower() + member[1:]}'" in answer["message"]


def test_an_oversized_or_non_utf8_document_gets_its_types_error_record(raw: RawSender, s3: Any, bucket: str) -> None:
    events = family().get("Events")
    prefix = f"limits-{uuid.uuid4().hex[:8]}/"
    s3.put_object(Bucket=bucket, Key=prefix + "a.txt", Body=b"x" * (events.max_document_bytes + 1))
    s3.put_object(Bucket=bucket, Key=prefix + "b.txt", Body=b"\xff\xfe bad")
    body = start_body(events, bucket, prefix)
    body["InputDataConfig"]["InputFormat"] = "ONE_DOC_PER_FILE"
    _, started = call(raw, events.start, body)
    properties = wait_end(raw, events, started["JobId"])
    files = read_output(s3, properties["OutputDataConfig"]["S3Uri"], OutputForm.FILES)
    codes = {name: json.loads(lines[0])["ErrorCode"] for name, lines in files.items()}
    assert codes == {"a.txt.out": "DOCUMENT_SIZE_EXCEEDED", "b.txt.out": "UNSUPPORTED_ENCODING"}
