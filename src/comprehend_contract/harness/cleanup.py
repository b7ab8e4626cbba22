"""``comprehend-contract cleanup``: what a killed run (SIGKILL, a lost CI runner) left behind, found by its run id.

Every job a run starts, of any type, is named ``cc-<run id>-<label>`` and every object it writes is under
``<prefix>run-<run id>/``: the running jobs of that name are stopped, then the objects under that prefix removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comprehend_contract.clients import s3_client
from comprehend_contract.core.jobs import JobLedger, JobRef, call
from comprehend_contract.harness.workspace import JOB_NAME_PREFIX, Workspace
from comprehend_contract.spec.family import family
from comprehend_contract.targets import TargetProfile

RUNNING = ("SUBMITTED", "IN_PROGRESS")


@dataclass(frozen=True)
class Cleaned:
    stopped: list[str]
    objects_removed: int


def jobs_of_run(comprehend: Any, run_id: str) -> list[JobRef]:
    """The run's jobs of every job type that are still SUBMITTED or IN_PROGRESS (found by their names)."""
    prefix = f"{JOB_NAME_PREFIX}{run_id}-"
    found: list[JobRef] = []
    for job_type in family():
        for status in RUNNING:
            request: dict[str, Any] = {"Filter": {"JobStatus": status}, "MaxResults": 100}
            while True:
                page = call(comprehend, job_type.list, **request)
                for job in page.get(job_type.list_member, []):
                    if str(job.get("JobName", "")).startswith(prefix):
                        found.append(JobRef(job_type.name, str(job["JobId"])))
                if not page.get("NextToken"):
                    break
                request["NextToken"] = page["NextToken"]
    return found


def clean_up(profile: TargetProfile, run_id: str) -> Cleaned:
    """Stop the run's running jobs (waiting, briefly, for their last output) and remove the run's objects."""
    comprehend = profile.housekeeping_client()
    ledger = JobLedger()
    for job in jobs_of_run(comprehend, run_id):
        ledger.add(job)
    stopped = ledger.stop_and_wait(profile, comprehend)
    s3 = s3_client(profile.s3_endpoint_url, profile.region, profile.credentials)
    removed = Workspace(s3, profile.bucket, f"{profile.prefix}run-{run_id}/", run_id).remove_all()
    return Cleaned(stopped, removed)
