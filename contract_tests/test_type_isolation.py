"""Between job types: a job of one type is not a job of another (TYPE-ISOLATION).

Judged on a real running job of each type (the ``isolation`` scenario), through another type's operations (the
next type of the family): its Stop and Describe of the job's id, and its List filtered by the job's name.
"""

from __future__ import annotations

import pytest

from comprehend_contract.suite import ClauseChecks, Evidence, JobType, Scenario, Step, job_status, reached


@pytest.mark.clause("TYPE-ISOLATION")
@pytest.mark.scenario(Scenario.ISOLATION)
def test_another_types_operations_neither_find_nor_stop_nor_list_a_job(
    evidence: Evidence, checks: ClauseChecks, job_type: JobType
) -> None:
    """'another type's Stop and Describe answer JobNotFoundException for its id, another type's List does not
    show it, and such a Stop changes nothing'."""
    reached(evidence)
    stop, describe = evidence.step(Step.STOP_AS_OTHER_TYPE), evidence.step(Step.DESCRIBE_AS_OTHER_TYPE)
    listed, own = evidence.step(Step.LIST_AS_OTHER_TYPE), evidence.step(Step.LIST_OWN_TYPE)
    assert stop is not None, "the scenario sent no Stop of another type"
    assert describe is not None, "the scenario sent no Describe of another type"
    assert listed is not None, "the scenario sent no List of another type"
    assert own is not None, "the scenario sent no List of the job's own type"
    job_id = evidence.jobs[0]
    with checks.clause("TYPE-ISOLATION", f"{stop.operation} of a job of type {job_type.name}"):
        assert stop.error_code == "JobNotFoundException", f"expected JobNotFoundException, got {stop.describe()}"
    with checks.clause("TYPE-ISOLATION", f"{describe.operation} of a job of type {job_type.name}"):
        assert describe.error_code == "JobNotFoundException", (
            f"expected JobNotFoundException, got {describe.describe()}"
        )
    with checks.clause("TYPE-ISOLATION", f"{listed.operation} filtered by the job's name"):
        assert listed.status == 200, f"{listed.operation} answered {listed.describe()}"
        body = listed.json()
        lists = [jobs for jobs in body.values() if isinstance(jobs, list)] if isinstance(body, dict) else []
        shown = [job.get("JobId") for jobs in lists for job in jobs if isinstance(job, dict)]
        assert job_id not in shown, f"{listed.operation} lists the {job_type.name} job {job_id}"
        own_body = own.json()
        own_jobs = own_body.get(job_type.list_member) if isinstance(own_body, dict) else None
        assert isinstance(own_jobs, list), f"the type's own List answered {own.describe()}"
        assert job_id in [job.get("JobId") for job in own_jobs], "the name filter does not find the job in its own List"
    with checks.clause("TYPE-ISOLATION", "the job is untouched by another type's Stop"):
        before, after = job_status(evidence.step(Step.BEFORE)), job_status(evidence.step(Step.AFTER))
        assert before is not None, "the job was not described before another type's requests"
        assert after not in (None, "STOP_REQUESTED", "STOPPED"), f"the job went {before} -> {after}"
