"""The reference implementation: a local Comprehend job service, every job type of the family, over the AWS JSON 1.1
protocol.

It is the suite's embedded default target and a local emulator in its own right. It imports the spec layer
(schemas, lifecycle) and nothing of the test harness; the harness reaches it only over HTTP.

What this package exports is its public face: start it (``ReferenceService``, ``ServiceConfig``), over HTTPS
(``ServiceConfig(tls=True)``), pace its jobs (``Pace``), inject faults (``FaultPlan``) and vary its behaviour
through documented hooks (``Behaviour`` and the values its hooks see and raise), and load its analyses ahead of its
first job (``warm_up``). Its modules' other names are
internals that may change.
"""

from comprehend_contract.reference.accounts import DEFAULT_ACCOUNTS, Account
from comprehend_contract.reference.analysis import warm_up
from comprehend_contract.reference.auth import AuthFailureReason
from comprehend_contract.reference.behaviour import AuthFailure, Behaviour, Call, JobBook, JobEnd, Proceed, Response
from comprehend_contract.reference.errors import (
    AwsError,
    internal_error,
    invalid_request,
    job_not_found,
    validation_error,
)
from comprehend_contract.reference.faults import REHEARSAL_JOB_ID_PREFIX, FaultPlan, FaultRule, FaultSpecError
from comprehend_contract.reference.jobs import JobView
from comprehend_contract.reference.pacing import Pace, PaceError
from comprehend_contract.reference.service import ReferenceService, RunningService, ServiceConfig
from comprehend_contract.reference.tls import TlsUnavailable

__all__ = [
    "DEFAULT_ACCOUNTS",
    "REHEARSAL_JOB_ID_PREFIX",
    "Account",
    "AuthFailure",
    "AuthFailureReason",
    "AwsError",
    "Behaviour",
    "Call",
    "FaultPlan",
    "FaultRule",
    "FaultSpecError",
    "JobBook",
    "JobEnd",
    "JobView",
    "Pace",
    "PaceError",
    "Proceed",
    "ReferenceService",
    "Response",
    "RunningService",
    "ServiceConfig",
    "TlsUnavailable",
    "internal_error",
    "invalid_request",
    "job_not_found",
    "validation_error",
    "warm_up",
]
