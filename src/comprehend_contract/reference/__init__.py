"""The reference implementation: a local Comprehend sentiment-job service over the AWS JSON 1.1 protocol.

It is the suite's embedded default target and a local emulator in its own right. It imports the spec layer
(schemas, lifecycle) and nothing of the test harness; the harness reaches it only over HTTP.
"""

from comprehend_contract.reference.accounts import DEFAULT_ACCOUNTS, Account
from comprehend_contract.reference.faults import REHEARSAL_JOB_ID_PREFIX, FaultPlan, FaultRule, FaultSpecError
from comprehend_contract.reference.pacing import Pace
from comprehend_contract.reference.service import ReferenceService, RunningService, ServiceConfig

__all__ = [
    "DEFAULT_ACCOUNTS",
    "REHEARSAL_JOB_ID_PREFIX",
    "Account",
    "FaultPlan",
    "FaultRule",
    "FaultSpecError",
    "Pace",
    "ReferenceService",
    "RunningService",
    "ServiceConfig",
]
