"""The kit's public API for contract tests: everything a test under ``contract_tests/`` may import, and nothing else.

Contract tests import from this module only (an import-linter contract enforces it), so the kit's inside can
change without touching the suite. The fixtures they use (``api``, ``checks``, ``target``, ``workspace``,
``evidence``) come from the pytest plugin, which also makes every contract test once per job type the run judges:
its ``job_type`` argument (a ``JobType`` of the family) names the operations it calls.
"""

from comprehend_contract.clients.retry import NO_RETRIES
from comprehend_contract.core.checks import (
    CONTENT_TYPE,
    RETRYABLE_5XX,
    ClauseChecks,
    assert_error_shape,
    job_status,
    properties_of,
)
from comprehend_contract.core.evidence import Evidence
from comprehend_contract.core.exchange import Exchange
from comprehend_contract.core.incomplete import Incomplete
from comprehend_contract.core.refusals import Refusal
from comprehend_contract.core.scenarios import Output, Scenario, Step
from comprehend_contract.harness.api import TRANSPORTS, Api
from comprehend_contract.harness.boundaries import (
    CHARACTER_SAMPLES,
    JobIdCase,
    length_cases,
    pattern_cases,
    schema_accepts,
)
from comprehend_contract.harness.jobs import start_request
from comprehend_contract.harness.outcomes import not_exercised, reached
from comprehend_contract.harness.output import documented_form, expected_locations, record_problems
from comprehend_contract.harness.workspace import Workspace
from comprehend_contract.spec import TimestampForm, validator_for
from comprehend_contract.spec.family import JobType, OutputForm, family
from comprehend_contract.spec.lifecycle import END_STATES, JobStatus, may_follow
from comprehend_contract.spec.traceability import judges
from comprehend_contract.targets import TargetProfile

__all__ = [
    "CHARACTER_SAMPLES",
    "CONTENT_TYPE",
    "END_STATES",
    "NO_RETRIES",
    "RETRYABLE_5XX",
    "TRANSPORTS",
    "Api",
    "ClauseChecks",
    "Evidence",
    "Exchange",
    "Incomplete",
    "JobIdCase",
    "JobStatus",
    "JobType",
    "Output",
    "OutputForm",
    "Refusal",
    "Scenario",
    "Step",
    "TargetProfile",
    "TimestampForm",
    "Workspace",
    "assert_error_shape",
    "documented_form",
    "expected_locations",
    "family",
    "job_status",
    "judges",
    "length_cases",
    "may_follow",
    "not_exercised",
    "pattern_cases",
    "properties_of",
    "reached",
    "record_problems",
    "schema_accepts",
    "start_request",
    "validator_for",
]
