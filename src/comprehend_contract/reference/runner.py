"""Runs each job on its own thread: SUBMITTED → IN_PROGRESS → read, analyse, write → an end state.

Every job type runs the same way; its type decides the analysis of a document (``analysis.ANALYSES``), the
per-document size limit and the output's form (``spec.family``). A stop takes effect between documents: the
documents already analysed are written to the output location and the job ends STOPPED. A stop that arrives after
the last document was analysed lets the job end COMPLETED ("If the job completes before it can be stopped, it is
put into the COMPLETED state").
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from comprehend_contract.reference.analysis import ANALYSES, Redaction, Settings, redact
from comprehend_contract.reference.behaviour import Behaviour, JobEnd
from comprehend_contract.reference.jobs import Job, JobTable
from comprehend_contract.reference.pacing import Pace
from comprehend_contract.reference.storage import S3Location, S3Storage, StorageError, documents
from comprehend_contract.spec.lifecycle import JobStatus
from comprehend_contract.spec.traceability import implements

log = logging.getLogger(__name__)


class _ShuttingDown(Exception):
    """The service is closing: the job thread leaves without further transitions."""


class JobRunner:
    """Starts and tracks one thread per job."""

    def __init__(self, table: JobTable, storage: S3Storage, pace: Pace, behaviour: Behaviour | None = None) -> None:
        self.table = table
        self.storage = storage
        self.pace = pace
        self.behaviour = behaviour or Behaviour()
        self.closing = threading.Event()
        self._threads: list[threading.Thread] = []
        self._threads_lock = threading.Lock()

    def start(self, job: Job) -> None:
        thread = threading.Thread(target=self._run, args=(job,), name=f"job-{job.job_id}", daemon=True)
        with self._threads_lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Stop every job thread (jobs keep their current status) and wait for them to leave."""
        self.closing.set()
        for job in self.table.all_jobs():
            job.wake.set()
        with self._threads_lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)

    def _wait(self, job: Job, seconds: float) -> None:
        """Sleep ``seconds``, cut short by a stop request; raise if the service is closing."""
        if seconds > 0 and not job.stop_requested:
            job.wake.wait(seconds)
        if self.closing.is_set():
            raise _ShuttingDown

    def _linger(self, seconds: float) -> None:
        """Sleep ``seconds`` whatever the job's stop flag says (a stop takes a while to take effect)."""
        if seconds > 0:
            self.closing.wait(seconds)
        if self.closing.is_set():
            raise _ShuttingDown

    def _run(self, job: Job) -> None:
        try:
            self._lifecycle(job)
        except _ShuttingDown:
            return
        except Exception:
            log.exception("job %s failed inside the reference", job.job_id)
            with self.table.lock:
                if job.status is JobStatus.STOP_REQUESTED:
                    self.table.move(job, JobStatus.STOPPED, message="INTERNAL_SERVER_ERROR: the job was stopped")
                elif job.status in (JobStatus.SUBMITTED, JobStatus.IN_PROGRESS):
                    self.table.move(job, JobStatus.FAILED, message="INTERNAL_SERVER_ERROR: an internal error occurred")

    @implements("STOP-OUTCOME", "STOP-OUTPUT")
    def _lifecycle(self, job: Job) -> None:
        self._wait(job, self.pace.submitted_seconds)
        with self.table.lock:
            if not job.stop_requested:
                self.table.move(job, JobStatus.IN_PROGRESS)
        self._wait(job, self.pace.startup_seconds)
        input_config = job.request["InputDataConfig"]
        source = S3Location.parse(input_config["S3Uri"])
        output = S3Location.parse(job.output_uri)
        assert source is not None, "Start validated the input URI"
        assert output is not None, "Start built the output URI"
        records: list[dict[str, Any]] = []
        try:
            finished = False
            if not job.stop_requested:
                keys = self.storage.list_keys(source)
                if not keys:
                    raise StorageError("NO_INPUT_DATA", f"no input objects found under {source}")
                input_format = input_config.get("InputFormat", "ONE_DOC_PER_FILE")
                finished = self._analyse(job, source, keys, input_format, records)
            if job.stop_requested:
                self._linger(self.pace.stop_seconds)
            else:
                self._wait(job, self.pace.finalize_seconds)
            self._write_output(job, output, records)
        except StorageError as error:
            self._end(job, failed=str(error))
            return
        self._end(job, completed=finished)

    @implements("STOP-OUTPUT")
    def _analyse(
        self, job: Job, source: S3Location, keys: list[str], input_format: str, records: list[dict[str, Any]]
    ) -> bool:
        """Analyse documents until done (True) or stopped between two documents (False)."""
        folder = source.key[: source.key.rfind("/") + 1]
        settings = settings_of(job.request)
        for key in keys:
            name = key[len(folder) :]
            for line, data in documents(self.storage.read(source.bucket, key), input_format):
                self._wait(job, self.pace.per_document_seconds)
                if job.stop_requested:
                    return False
                records.append(record_of(job, settings, name, line, data))
        return True

    def _write_output(self, job: Job, output: S3Location, records: list[dict[str, Any]]) -> None:
        choose = self.behaviour.output
        if choose is not None:
            with self.table.lock:
                view = job.view()
            chosen = choose(view, records)
            if chosen is None:
                return
            records = chosen
        self.storage.write_output(output, job.job_type.output_forms[0], records)

    @implements("STOP-OUTCOME")
    def _end(self, job: Job, *, completed: bool = False, failed: str | None = None) -> None:
        with self.table.lock:
            if job.status is JobStatus.STOP_REQUESTED:
                end = JobEnd(JobStatus.COMPLETED) if completed else JobEnd(JobStatus.STOPPED, failed)
            elif failed is not None:
                end = JobEnd(JobStatus.FAILED, failed)
            else:
                end = JobEnd(JobStatus.COMPLETED)
            if self.behaviour.end is not None:
                chosen = self.behaviour.end(job.view(), end)
                if chosen is None:
                    return
                end = chosen
            self.table.move(job, end.status, message=end.message)


def settings_of(request: dict[str, Any]) -> Settings:
    """What a job's Start request says that changes the analysis of its documents."""
    config = request.get("RedactionConfig")
    redaction = None
    if isinstance(config, dict) and config.get("PiiEntityTypes"):
        redaction = Redaction(
            tuple(config["PiiEntityTypes"]),
            str(config.get("MaskMode", "MASK")),
            str(config.get("MaskCharacter", "*")),
        )
    return Settings(
        language_code=request.get("LanguageCode"),
        target_event_types=tuple(request.get("TargetEventTypes", ())),
        pii_mode=request.get("Mode"),
        redaction=redaction,
    )


@implements("LIFE-OUTPUT-RECORD")
def record_of(job: Job, settings: Settings, name: str, line: int | None, data: bytes) -> dict[str, Any]:
    """One document's output record: its type's analysis, a redacted copy (PII ``ONLY_REDACTION``), or an error
    record for a document over the type's size limit or not UTF-8."""
    record: dict[str, Any] = {"File": name}
    if line is not None:
        record["Line"] = line
    limit = job.job_type.max_document_bytes
    if len(data) > limit:
        record["ErrorCode"] = "DOCUMENT_SIZE_EXCEEDED"
        record["ErrorMessage"] = f"Document size {len(data)} bytes exceeds the maximum of {limit} bytes"
        return record
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        record["ErrorCode"] = "UNSUPPORTED_ENCODING"
        record["ErrorMessage"] = "Document is not valid UTF-8"
        return record
    if settings.pii_mode == "ONLY_REDACTION":
        record["Redacted"] = redact(text, settings)
        return record
    record.update(ANALYSES[job.job_type.analysis](text, settings))
    return record
