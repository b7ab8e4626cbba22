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
from comprehend_contract.core.inputs import many_lines
from comprehend_contract.core.jobs import JobLedger
from comprehend_contract.core.refusals import Refusal
from comprehend_contract.core.scenarios import MAX_ATTEMPTS, Output, Scenario, Step
from comprehend_contract.harness.jobs import start_request
from comprehend_contract.harness.workspace import Workspace
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
    """One scenario's view of the target: send, record, poll, read output."""

    target: TargetProfile
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
        return exchange

    def start(self, documents: int | None, label: str) -> str:
        """Start a job over ``documents`` lines (None: an empty input folder, so the job should fail)."""
        if self.aborted():
            raise StateNotReached("the run is ending (interrupted): no new job is started")
        if not self.coordination.reserve_job(self.max_jobs):
            raise JobBudgetExhausted("--max-jobs allows no further job in this run")
        if documents is None:
            folder = self.workspace.uri(self.workspace.new_folder(f"{label}-empty"))
        else:
            folder = self.workspace.input_folder({"docs.txt": many_lines(documents)}, label)
            self.evidence.input_documents = {"docs.txt": documents}
        request = start_request(self.target, folder, JobName=self.workspace.job_name(label))
        exchange = self.send("StartSentimentDetectionJob", request)
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict) or not isinstance(body.get("JobId"), str):
            raise StateNotReached(f"StartSentimentDetectionJob failed: {exchange.describe()}")
        job_id = str(body["JobId"])
        self.ledger.add(job_id)
        self.evidence.jobs.append(job_id)
        return job_id

    def describe(self, job_id: str, step: Step | None = None, way: Refusal | None = None) -> dict[str, Any]:
        """Describe the job (recorded as ``step``, for ``way``); its properties, or ``StateNotReached``."""
        exchange = self.send("DescribeSentimentDetectionJob", {"JobId": job_id}, step=step, way=way)
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict):
            raise StateNotReached(f"DescribeSentimentDetectionJob failed: {exchange.describe()}")
        properties = body.get("SentimentDetectionJobProperties")
        if not isinstance(properties, dict) or not isinstance(properties.get("JobStatus"), str):
            raise StateNotReached(f"DescribeSentimentDetectionJob shows no JobStatus: {exchange.body[:200]!r}")
        if properties["JobStatus"] in END_STATES:
            self.ledger.done_with(job_id)
        return properties

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
            if time.monotonic() >= deadline or self.aborted():
                if not self.aborted():
                    self.ledger.done_with(job_id)
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

    def wait_end(self, job_id: str) -> dict[str, Any]:
        return self.wait_for(job_id, lambda s: s in END_STATES, self.target.budgets.job_timeout_seconds, "an end state")

    def read_output(self, properties: dict[str, Any], label: Output) -> None:
        """Read the job's output.tar.gz (OutputDataConfig.S3Uri from Describe) into the evidence."""
        uri = str(properties.get("OutputDataConfig", {}).get("S3Uri", ""))
        found: dict[str, Any] = {"uri": uri}
        try:
            bucket, _, key = uri.removeprefix("s3://").partition("/")
            data = self.s3.get_object(Bucket=bucket, Key=key)
            archive = data["Body"].read()
            found["etag"] = data.get("ETag")
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                names = tar.getnames()
                found["members"] = names
                member = tar.extractfile("output") if "output" in names else None
                lines = member.read().decode("utf-8").splitlines() if member else []
            found["records"] = [_json_or_text(line) for line in lines if line.strip()]
        except (ClientError, BotoCoreError, tarfile.TarError, UnicodeDecodeError, KeyError, ValueError) as error:
            found["error"] = f"{type(error).__name__}: {error}"
        self.evidence.outputs[label] = found


def _json_or_text(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return {"unparseable": line}


def _completed(driver: Driver) -> None:
    """A small job run to its end (COMPLETED), then a stop that must be refused and change nothing."""
    job_id = driver.start(SMALL_INPUT, "completed")
    driver.leave_submitted(job_id)
    final = driver.wait_end(job_id)
    driver.evidence.mark(Step.FINAL)
    if final["JobStatus"] != "COMPLETED":
        raise StateNotReached(f"the job ended {final['JobStatus']}, not COMPLETED: {final.get('Message', '')}")
    driver.read_output(final, Output.BEFORE_STOP)
    driver.send("StopSentimentDetectionJob", {"JobId": job_id}, step=Step.STOP)
    driver.describe(job_id, step=Step.AFTER_STOP)
    driver.read_output(final, Output.AFTER_STOP)
    driver.send("ListSentimentDetectionJobs", {"MaxResults": 100}, step=Step.LIST)


def _failed(driver: Driver) -> None:
    """A job over an input folder with no objects (the default recipe for FAILED), then a refused stop."""
    job_id = driver.start(None, "failed")
    final = driver.wait_end(job_id)
    driver.evidence.mark(Step.FINAL)
    if final["JobStatus"] != "FAILED":
        raise StateNotReached(f"a job with no input ended {final['JobStatus']}, not FAILED")
    driver.send("StopSentimentDetectionJob", {"JobId": job_id}, step=Step.STOP)
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


def answered_a_repeat(stop: Exchange) -> bool:
    """Whether a stop's answer may be to a repeat of it: an earlier attempt lost its answer to the network (it may
    have stopped the job), and the answer (STOPPED) is what a later stop of a stopped job gets. A race, not a
    verdict: at-least-once delivery is the network's, not the target's."""
    lost = [note for note in stop.retries if not note.partition(": ")[2].startswith("HTTP ")]
    body = stop.json()
    return bool(lost) and isinstance(body, dict) and body.get("JobStatus") == "STOPPED"


def _stop_in_progress(driver: Driver) -> None:
    """A large job stopped while IN_PROGRESS, stopped again, followed to its end, stopped once more.

    Once the job is seen IN_PROGRESS the driver lets it work for ten initial poll intervals before stopping it,
    so that some documents are likely processed and the partial output (STOP-OUTPUT) has records to judge.

    Races are retried, never judged: a job that ends between the Describe that saw it IN_PROGRESS and the stop, or
    that leaves STOP_REQUESTED before the repeated stop reaches it, sends the scenario to a fresh job (twice as
    large) while attempts remain; the last attempt is judged as it went.
    """
    documents = driver.target.budgets.large_input
    for attempt in range(1, MAX_ATTEMPTS + 1):
        job_id = driver.start(documents, f"in-progress-{attempt}")
        documents *= 2
        properties = driver.leave_submitted(job_id)
        if properties["JobStatus"] != "IN_PROGRESS":
            driver.evidence.attempts.append(
                f"attempt {attempt}: the job was {properties['JobStatus']} before it was seen IN_PROGRESS"
            )
            continue
        time.sleep(10 * driver.target.budgets.poll_initial_seconds)
        stop = _stop_unless_raced(driver, job_id, attempt)
        if stop is None:
            continue
        missed = _missed_stop_requested(driver, job_id)
        if stop.status == 200 and missed and attempt < MAX_ATTEMPTS:
            driver.evidence.attempts.append(f"attempt {attempt}: the job left STOP_REQUESTED before the repeated stop")
            continue
        break
    else:
        raise StateNotReached(f"no job was stopped while IN_PROGRESS in {MAX_ATTEMPTS} attempts")
    try:
        final = driver.wait_end(job_id)
    except StateNotReached as error:
        driver.evidence.never_ended = str(error)
        return
    driver.evidence.mark(Step.FINAL)
    driver.send("StopSentimentDetectionJob", {"JobId": job_id}, step=Step.STOP_AFTER_END)
    driver.read_output(final, Output.FINAL)


def _stop_unless_raced(driver: Driver, job_id: str, attempt: int) -> Exchange | None:
    """Stop the job (step ``stop``); None, with the attempt noted, if that stop lost a race to be judged by."""
    stop = driver.send("StopSentimentDetectionJob", {"JobId": job_id}, step=Step.STOP)
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
    repeat = driver.send("StopSentimentDetectionJob", {"JobId": job_id}, step=Step.REPEAT_STOP).json()
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
    """A job of the first account, which the second account tries to describe and to stop."""
    if driver.other_account is None:
        raise StateNotReached(
            "the target has one account only (second_credentials in a profile, or --second-access-key-id, adds one)"
        )
    job_id = driver.start(driver.target.budgets.large_input, "isolation")
    other = driver.other_account
    driver.describe(job_id, step=Step.BEFORE)
    driver.send("StopSentimentDetectionJob", {"JobId": job_id}, step=Step.STOP_FROM_OTHER_ACCOUNT, sender=other)
    driver.send("DescribeSentimentDetectionJob", {"JobId": job_id}, step=Step.DESCRIBE_FROM_OTHER_ACCOUNT, sender=other)
    driver.describe(job_id, step=Step.AFTER)
    driver.send("StopSentimentDetectionJob", {"JobId": job_id})


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
            driver.send("StopSentimentDetectionJob", body, step=Step.REFUSED_STOP, refusal=refusal)
            driver.send("DescribeSentimentDetectionJob", body, step=Step.REFUSED_DESCRIBE, refusal=refusal)
            driver.describe(job_id, Step.REFUSED_AFTER, way=refusal)
            remaining.pop(0)
        driver.send("StopSentimentDetectionJob", {"JobId": job_id})
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
