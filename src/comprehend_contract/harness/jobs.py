"""Jobs as contract tests need them: each type's Start requests over the run's workspace."""

from __future__ import annotations

import uuid
from typing import Any

from comprehend_contract.spec.family import JobType
from comprehend_contract.targets import TargetProfile


def start_request(target: TargetProfile, job_type: JobType, input_uri: str, **extra: Any) -> dict[str, Any]:
    """A Start request of ``job_type`` reading ``input_uri``, writing beside it in the run's workspace, with the
    members the type requires (``start_with`` in the family: a language, PII's mode, the event types).

    It carries a fresh ``ClientRequestToken``, so that a Start retried after a transient fault (the first attempt
    may have reached the service) never makes a second job.
    """
    return {
        "InputDataConfig": {"S3Uri": input_uri, "InputFormat": "ONE_DOC_PER_LINE"},
        "OutputDataConfig": {"S3Uri": input_uri.rstrip("/") + "-output/"},
        "DataAccessRoleArn": target.role_arn,
        **job_type.start_with,
        "ClientRequestToken": uuid.uuid4().hex,
        **extra,
    }
