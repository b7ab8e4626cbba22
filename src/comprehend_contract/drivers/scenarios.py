"""The scenarios' scripts: each brings one job into a state and records what the target answered along the way.

The scenarios' names, steps and shapes are the core's (``core.scenarios``); ``SCRIPTS`` gives each its script.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from comprehend_contract.clients import RawSender
from comprehend_contract.clients.retry import TransientFailure
from comprehend_contract.core.checks import status_of
from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.evidence import Evidence
from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.inputs import document_texts, many_lines
from comprehend_contract.core.jobs import JobLedger, JobRef
from comprehend_contract.core.progress import ProgressLog
from comprehend_contract.core.refusals import Refusal
from comprehend_contract.core.scenarios import MAX_ATTEMPTS, Output, Scenario, Step
from comprehend_contract.harness.jobs import start_request
from comprehend_contract.harness.workspace import Workspace
from comprehend_contract.spec.family import JobType, OutputForm, family
from comprehend_contract.spec.lifecycle import END_STATES
from comprehend_contract.targets import SMALL_INPUT, TargetProfile

JOBS_NEVER_LEAVE_SUBMITTED = "jobs-never-leave-submitted"
"""The name of the run-wide fact that the target's jobs never leave SUBMITTED within the budget."""


class StateNotReached(Exception):
    """The job never reached the state a scenario needed; the reason becomes a NOT_EXERCISED verdict."""


class JobBudgetExhausted(StateNotReached):
    """``--max-jobs`` does not allow another job."""


@dataclass
class Driver:
    """One scenario's view of the target, for one job type: send (through the type's own operations), record, poll,
    read output in any of the type's documented forms."""

    target: TargetProfile
    job_type: JobType
    raw: RawSender
    s3: Any
    workspace: Workspace
    ledger: JobLedger
    coordination: Coordination
    max_jobs: int | None
    evidence: Evidence
    other_account: RawSender | None = None
    """The second account's sender, if the target has one (AUTH-ISOLATION)."""
    began: float = field(default_factory=time.monotonic)
    aborted: Callable[[], bool] = lambda: False
    progress: ProgressLog = field(default_factory=lambda: ProgressLog(None, time.time))
    """Where each job status the scenario sees is published for the progress display (by default nowhere)."""

    def send(
        self,
        operation: str,
        body: dict[str, Any],
        step: Step | None = None,
        sender: RawSender | None = None,
        refusal: Refusal | None = None,
        way: Refusal | None = None,
    ) -> Exchange:
        """Send one request (as the other account with ``sender``, made to be refused with ``refusal``) and record
        it, as ``step`` if given (a step recorded per refusal is recorded for ``way``, or for ``refusal``); transient
        answers are recorded too."""
        chosen = sender or self.raw
        how = refusal.how(chosen.credentials) if refusal is not None else {}
        try:
            response = chosen.send(operation, body, **how)
        except TransientFailure as failure:
            for answer in failure.answers:
                self.evidence.record(Exchange.from_raw(operation, body, answer, refusal, transient=True))
            self.evidence.incomplete = True
            raise StateNotReached(f"incomplete: {failure}") from None
        for answer in response.earlier:
            self.evidence.record(Exchange.from_raw(operation, body, answer, refusal, transient=True))
        qualifier = way or refusal
        exchange = self.evidence.record(
            Exchange.from_raw(operation, body, response, refusal), step, qualifier.label if qualifier else None
        )
        status, job_id = status_of(exchange)
        if status is not None and job_id is not None:
            self.evidence.timeline.append((round(time.monotonic() - self.began, 3), job_id, status))
            self.progress.status(f"{self.job_type.name}/{self.evidence.scenario}", job_id, status)
        return exchange

    def start(self, documents: int | None, label: str) -> str:
        """Start a job over ``documents`` lines (None: an empty input folder, so the job should fail)."""
        if self.aborted():
            raise StateNotReached("the run is ending (interrupted): no new job is started")
        if not self.coordination.reserve_job(self.max_jobs):
            raise JobBudgetExhausted("--max-jobs allows no further job in this run")
        label = f"{self.job_type.name.lower()}-{label}"
        if documents is None:
            folder = self.workspace.uri(self.workspace.new_folder(f"{label}-empty"))
        else:
            folder = self.workspace.input_folder({"docs.txt": many_lines(documents)}, label)
            self.evidence.input_documents = {"docs.txt": documents}
            self.evidence.input_texts = {"docs.txt": document_texts(documents)}
        request = start_request(self.target, self.job_type, folder, JobName=self.job_name(label))
        exchange = self.send(self.job_type.start, request)
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict) or not isinstance(body.get("JobId"), str):
            raise StateNotReached(f"{self.job_type.start} failed: {exchange.describe()}")
        job_id = str(body["JobId"])
        self.ledger.add(JobRef(self.job_type.name, job_id))
        self.evidence.jobs.append(job_id)
        return job_id

    def job_name(self, label: str) -> str:
        """The name of the job the scenario starts now (``cc-<run id>-<type>-<label>``)."""
        return self.workspace.job_name(label)

    def describe(self, job_id: str, step: Step | None = None, way: Refusal | None = None) -> dict[str, Any]:
        """Describe the job (recorded as ``step``, for ``way``); its properties, or ``StateNotReached``."""
        describe = self.job_type.describe
        exchange = self.send(describe, {"JobId": job_id}, step=step, way=way)
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict):
            raise StateNotReached(f"{describe} failed: {exchange.describe()}")
        properties = body.get(self.job_type.properties_member)
        if not isinstance(properties, dict) or not isinstance(properties.get("JobStatus"), str):
            raise StateNotReached(f"{describe} shows no JobStatus: {exchange.body[:200]!r}")
        if properties["JobStatus"] in END_STATES:
            self.ledger.ended(JobRef(self.job_type.name, job_id))
        return properties

    def stop(self, job_id: str, step: Step | None = None) -> Exchange:
        """The type's Stop of the job (recorded as ``step``)."""
        return self.send(self.job_type.stop, {"JobId": job_id}, step=step)

    def wait_for(self, job_id: str, wanted: Callable[[str], bool], timeout: float, what: str) -> dict[str, Any]:
        """Poll Describe, backing off from the budget's initial to its maximum interval, until ``wanted``."""
        budgets = self.target.budgets
        interval = budgets.poll_initial_seconds
        deadline = time.monotonic() + timeout
        while True:
            properties = self.describe(job_id)
            status = properties["JobStatus"]
            if wanted(status):
                return properties
            stuck = self.coordination.fact(JOBS_NEVER_LEAVE_SUBMITTED)
            if stuck and status == "SUBMITTED":
                raise StateNotReached(stuck)
            if self.aborted():  # the run is ending: nothing is learned of the target from a wait cut short
                raise StateNotReached(f"the run is ending (interrupted) while the job was {status}, waiting for {what}")
            if time.monotonic() >= deadline:
                self.ledger.done_with(JobRef(self.job_type.name, job_id))
                raise StateNotReached(f"the job was still {status} after {timeout:g} s, waiting for {what}")
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            interval = min(interval * 1.5, budgets.poll_max_seconds)

    def leave_submitted(self, job_id: str) -> dict[str, Any]:
        """Wait until the job is no longer SUBMITTED; learn, once for the run, if jobs never leave it."""
        try:
            return self.wait_for(
                job_id, lambda s: s != "SUBMITTED", self.target.budgets.leave_submitted_seconds, "it to leave SUBMITTED"
            )
        except StateNotReached as error:
            if "still SUBMITTED" in str(error):
                reason = (
                    f"the target's jobs never left SUBMITTED within {self.target.budgets.leave_submitted_seconds:g} s"
                )
                self.coordination.learn(JOBS_NEVER_LEAVE_SUBMITTED, reason)
                raise StateNotReached(reason) from None
            raise

    def left_submitted_at(self, job_id: str) -> float:
        """When (``time.monotonic()``) the job left SUBMITTED, as the answers about it bracket it."""
        return self.began + left_submitted(self.evidence.timeline, job_id, time.monotonic() - self.began)

    def wait_end(self, job_id: str) -> dict[str, Any]:
        return self.wait_for(job_id, lambda s: s in END_STATES, self.target.budgets.job_timeout_seconds, "an end state")

    def read_output(self, properties: dict[str, Any], label: Output) -> None:
        """Read the job's output at Describe's ``OutputDataConfig.S3Uri`` into the evidence, in whichever documented
        form is there: an archive (``output.tar.gz``) holding ``output`` or ``<input>.out`` files, or a folder
        (``.../output/``) of ``<input>.out`` objects. The form found is recorded, the judging is the tests'."""
        uri = str(properties.get("OutputDataConfig", {}).get("S3Uri", ""))
        found: dict[str, Any] = {"uri": uri}
        try:
            bucket, _, key = uri.removeprefix("s3://").partition("/")
            files = self._folder(bucket, key, found) if key.endswith("/") else self._archive(bucket, key, found)
            found["form"] = _form_of(key, files)
            found["files"] = sorted(files)
            found["records"] = [_json_or_text(line) for text in files.values() for line in text.splitlines() if line]
        except (ClientError, BotoCoreError, tarfile.TarError, UnicodeDecodeError, KeyError, ValueError) as error:
            found["error"] = f"{type(error).__name__}: {error}"
        self.evidence.outputs[label] = found

    def _archive(self, bucket: str, key: str, found: dict[str, Any]) -> dict[str, str]:
        data = self.s3.get_object(Bucket=bucket, Key=key)
        found["etag"] = data.get("ETag")
        files = {}
        with tarfile.open(fileobj=io.BytesIO(data["Body"].read())) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    handle = tar.extractfile(member)
                    files[member.name] = handle.read().decode("utf-8") if handle is not None else ""
        return files

    def _folder(self, bucket: str, prefix: str, found: dict[str, Any]) -> dict[str, str]:
        listing = self.s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
        found["etag"] = ",".join(f"{item['Key'][len(prefix) :]}={item.get('ETag')}" for item in listing)
        return {
            item["Key"][len(prefix) :]: self.s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
            for item in listing
        }


def _form_of(key: str, files: dict[str, str]) -> str:
    """The documented form the files were found in (``OutputForm``'s value), ``empty`` (no file: a folder with no
    object, or an archive with no member), or ``undocumented``."""
    if not files:
        return "empty"
    if key.endswith("/"):
        return str(OutputForm.FILES) if all(name.endswith(".out") for name in files) else "undocumented"
    if list(files) == ["output"]:
        return str(OutputForm.ARCHIVE)
    if files and all(name.endswith(".out") for name in files):
        return str(OutputForm.ARCHIVE_OF_FILES)
    return "undocumented"


def _json_or_text(line: str) -> dict[str, Any]:
    try:
        parsed = json.loads(line)
    except ValueError:
        return {"unparseable": line}
    return parsed if isinstance(parsed, dict) else {"unparseable": line}


def _completed(driver: Driver) -> None:
    """A small job run to its end (COMPLETED), then a stop that must be refused and change nothing."""
    job_id = driver.start(SMALL_INPUT, "completed")
    driver.leave_submitted(job_id)
    final = driver.wait_end(job_id)
    driver.evidence.mark(Step.FINAL)
    if final["JobStatus"] != "COMPLETED":
        raise StateNotReached(f"the job ended {final['JobStatus']}, not COMPLETED: {final.get('Message', '')}")
    driver.read_output(final, Output.BEFORE_STOP)
    driver.stop(job_id, Step.STOP)
    driver.describe(job_id, step=Step.AFTER_STOP)
    driver.read_output(final, Output.AFTER_STOP)
    driver.send(driver.job_type.list, {"MaxResults": 100}, step=Step.LIST)


def _failed(driver: Driver) -> None:
    """A job over an input folder with no objects (the default recipe for FAILED), then a refused stop."""
    job_id = driver.start(None, "failed")
    final = driver.wait_end(job_id)
    driver.evidence.mark(Step.FINAL)
    if final["JobStatus"] != "FAILED":
        raise StateNotReached(f"a job with no input ended {final['JobStatus']}, not FAILED")
    driver.stop(job_id, Step.STOP)
    driver.describe(job_id, step=Step.AFTER_STOP)


RACE_SLACK_SECONDS = 1.0
"""A refused stop is a race lost when the job's EndTime is at most this long after the refusal came back."""


def ended_before_the_stop(driver: Driver, job_id: str, stop: Exchange, answered: float) -> bool:
    """Whether a refused stop of a job seen running lost a race: the job had ended by the time the stop arrived.

    The job's EndTime (Describe) must be no later than when the refusal came back (plus a second of clock
    skew); a job that ended well after a refused stop was refused while running, and that is judged.
    """
    if stop.status == 200:
        return False
    properties = driver.describe(job_id)
    end_time = properties.get("EndTime")
    if properties["JobStatus"] not in END_STATES or not isinstance(end_time, int | float):
        return False
    return float(end_time) <= answered + RACE_SLACK_SECONDS


def left_submitted(timeline: list[tuple[float, str, str]], job_id: str, now: float) -> float:
    """When the job left SUBMITTED on a scenario's ``timeline`` (seconds, status, each answer about a job): midway
    between the last answer that showed it SUBMITTED (its Start's, or a Describe's) and the first that showed it in
    another status; ``now`` if none has."""
    seen = [(t, status) for t, job, status in timeline if job == job_id]
    first = next((index for index, (_, status) in enumerate(seen) if status != "SUBMITTED"), None)
    if first is None:
        return now
    return (seen[first - 1][0] + seen[first][0]) / 2 if first > 0 else seen[first][0]


def answered_a_repeat(stop: Exchange) -> bool:
    """Whether a stop's answer may be to a repeat of it: an earlier attempt lost its answer to the network (it may
    have stopped the job), and the answer (STOPPED) is what a later stop of a stopped job gets. A race, not a
    verdict: at-least-once delivery is the network's, not the target's."""
    lost = [note for note in stop.retries if not note.partition(": ")[2].startswith("HTTP ")]
    body = stop.json()
    return bool(lost) and isinstance(body, dict) and body.get("JobStatus") == "STOPPED"


def _stop_in_progress(driver: Driver) -> None:
    """A large job stopped while IN_PROGRESS, stopped again, followed to its end, stopped once more.

    Once the job is seen IN_PROGRESS the driver lets it work before stopping it, so that some documents are likely
    processed and the partial output (STOP-OUTPUT) has records to judge: for ten initial poll intervals, or half
    the time the job was queued (SUBMITTED) if that is longer, since a target that queues a job long also starts
    it up long (AWS, and the reference's ``aws-like`` pace), and a job stopped during its start-up has nothing.
    Both are counted from when the job left SUBMITTED (``left_submitted_at``), so the polling's lag in seeing it
    leave is neither added to the wait nor doubled in it.

    Races are retried, never judged: a job that ends between the Describe that saw it IN_PROGRESS and the stop, or
    that leaves STOP_REQUESTED before the repeated stop reaches it, sends the scenario to a fresh job (twice as
    large) while attempts remain; so does a job that was stopped before it processed any document (its output has
    nothing to judge), with a pause four times as long. The last attempt is judged as it went.
    """
    documents = driver.target.budgets.large_input
    pause = 10 * driver.target.budgets.poll_initial_seconds
    for attempt in range(1, MAX_ATTEMPTS + 1):
        last = attempt == MAX_ATTEMPTS
        job_id = driver.start(documents, f"in-progress-{attempt}")
        documents *= 2
        started = time.monotonic()
        properties = driver.leave_submitted(job_id)
        if properties["JobStatus"] != "IN_PROGRESS":
            driver.evidence.attempts.append(
                f"attempt {attempt}: the job was {properties['JobStatus']} before it was seen IN_PROGRESS"
            )
            continue
        left = driver.left_submitted_at(job_id)
        pause = max(pause, (left - started) / 2)
        time.sleep(max(0.0, left + pause - time.monotonic()))
        stop = _stop_unless_raced(driver, job_id, attempt)
        if stop is None:
            continue
        missed = _missed_stop_requested(driver, job_id)
        if stop.status == 200 and missed and not last:
            driver.evidence.attempts.append(f"attempt {attempt}: the job left STOP_REQUESTED before the repeated stop")
            continue
        try:
            final = driver.wait_end(job_id)
        except StateNotReached as error:
            driver.evidence.never_ended = str(error)
            return
        driver.evidence.mark(Step.FINAL)
        driver.stop(job_id, Step.STOP_AFTER_END)
        driver.read_output(final, Output.FINAL)
        if final["JobStatus"] == "STOPPED" and not driver.evidence.outputs[Output.FINAL].get("records") and not last:
            driver.evidence.attempts.append(f"attempt {attempt}: the job was stopped before it processed a document")
            pause *= 4
            continue
        return
    raise StateNotReached(f"no job was stopped while IN_PROGRESS in {MAX_ATTEMPTS} attempts")


def _stop_unless_raced(driver: Driver, job_id: str, attempt: int) -> Exchange | None:
    """Stop the job (step ``stop``); None, with the attempt noted, if that stop lost a race to be judged by."""
    stop = driver.stop(job_id, Step.STOP)
    if ended_before_the_stop(driver, job_id, stop, time.time()):
        driver.evidence.attempts.append(f"attempt {attempt}: the job ended before the stop reached it")
        return None
    if answered_a_repeat(stop):
        driver.evidence.attempts.append(f"attempt {attempt}: the stop's first answer was lost; {stop.retries[0]}")
        return None
    return stop


def _missed_stop_requested(driver: Driver, job_id: str) -> bool:
    """Describe, stop again and Describe: whether the job had left STOP_REQUESTED before the repeated stop."""
    before = driver.describe(job_id, step=Step.DESCRIBE_BEFORE_REPEAT)["JobStatus"]
    repeat = driver.stop(job_id, Step.REPEAT_STOP).json()
    after = driver.describe(job_id)["JobStatus"]
    answered = repeat.get("JobStatus") if isinstance(repeat, dict) else None
    return before != "STOP_REQUESTED" or (answered == "STOPPED" and after != "STOP_REQUESTED")


def _stop_submitted(driver: Driver) -> None:
    """A job stopped while still SUBMITTED (seen so by Describe just before), then followed to its end."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        job_id = driver.start(driver.target.budgets.large_input, f"submitted-{attempt}")
        status = driver.describe(job_id)["JobStatus"]
        if status != "SUBMITTED":
            driver.evidence.attempts.append(f"attempt {attempt}: the job was already {status} when first described")
            if status not in END_STATES:
                driver.stop(job_id)  # not judged here: it frees the type's active-jobs quota for the next attempt
            continue
        if _stop_unless_raced(driver, job_id, attempt) is None:
            continue
        break
    else:
        raise StateNotReached(f"no job was stopped while SUBMITTED in {MAX_ATTEMPTS} attempts")
    try:
        driver.wait_end(job_id)
    except StateNotReached as error:
        driver.evidence.never_ended = str(error)
        return
    driver.evidence.mark(Step.FINAL)


def _isolation(driver: Driver) -> None:
    """A job of the first account that the second account (AUTH-ISOLATION) and another job type's operations
    (TYPE-ISOLATION: the next type of the family) try to describe, stop and list; then the job is described again."""
    own = driver.job_type
    other = family().types[(family().types.index(own) + 1) % len(family())]
    label = "isolation"
    name = driver.job_name(f"{own.name.lower()}-{label}")
    job_id = driver.start(driver.target.budgets.large_input, label)
    driver.describe(job_id, step=Step.BEFORE)
    if driver.other_account is None:
        why = "the target has one account only (second_credentials in a profile, or --second-access-key-id, adds one)"
        for step in (Step.STOP_FROM_OTHER_ACCOUNT, Step.DESCRIBE_FROM_OTHER_ACCOUNT):
            driver.evidence.not_made[step.key()] = why
    else:
        other_account = driver.other_account
        driver.send(own.stop, {"JobId": job_id}, step=Step.STOP_FROM_OTHER_ACCOUNT, sender=other_account)
        driver.send(own.describe, {"JobId": job_id}, step=Step.DESCRIBE_FROM_OTHER_ACCOUNT, sender=other_account)
    driver.send(other.stop, {"JobId": job_id}, step=Step.STOP_AS_OTHER_TYPE)
    driver.send(other.describe, {"JobId": job_id}, step=Step.DESCRIBE_AS_OTHER_TYPE)
    driver.send(other.list, {"Filter": {"JobName": name}}, step=Step.LIST_AS_OTHER_TYPE)
    driver.send(own.list, {"Filter": {"JobName": name}}, step=Step.LIST_OWN_TYPE)
    driver.describe(job_id, step=Step.AFTER)
    driver.stop(job_id)


def _refused_auth(driver: Driver) -> None:
    """A running job, then Stop and Describe of it sent in every way that must be refused for authentication.

    For each ``Refusal`` the steps are ``before-<way>`` (a valid Describe: the job is still running),
    ``stop-<way>`` and ``describe-<way>`` (the refused requests) and ``after-<way>`` (a valid Describe). A job that
    ends before every way was tried is a race lost: the remaining ways go to a fresh job.
    """
    remaining = list(Refusal)
    job_id = ""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        job_id = driver.start(driver.target.budgets.large_input, f"refused-auth-{attempt}")
        while remaining:
            refusal = remaining[0]
            status = driver.describe(job_id, Step.REFUSED_BEFORE, way=refusal)["JobStatus"]
            if status in END_STATES or status in ("STOP_REQUESTED", "STOPPED"):
                driver.evidence.attempts.append(f"attempt {attempt}: the job was {status} before {refusal.label}")
                break
            body = {"JobId": job_id}
            driver.send(driver.job_type.stop, body, step=Step.REFUSED_STOP, refusal=refusal)
            driver.send(driver.job_type.describe, body, step=Step.REFUSED_DESCRIBE, refusal=refusal)
            driver.describe(job_id, Step.REFUSED_AFTER, way=refusal)
            remaining.pop(0)
        driver.stop(job_id)
        if not remaining:
            return
    if len(remaining) == len(Refusal):
        raise StateNotReached(f"no job stayed running long enough for a refused request in {MAX_ATTEMPTS} attempts")
    # the ways tried are judged; the tests of the others find no step and say they were not exercised
    driver.evidence.attempts.append(f"not tried ({MAX_ATTEMPTS} jobs used): {', '.join(r.label for r in remaining)}")


SCRIPTS: dict[Scenario, Callable[[Driver], None]] = {
    Scenario.COMPLETED: _completed,
    Scenario.FAILED: _failed,
    Scenario.STOP_IN_PROGRESS: _stop_in_progress,
    Scenario.STOP_SUBMITTED: _stop_submitted,
    Scenario.ISOLATION: _isolation,
    Scenario.REFUSED_AUTH: _refused_auth,
}
"""Each scenario's script (its name, steps and shape are ``core.scenarios``')."""
