"""Jobs as contract tests need them: Start requests over the run's workspace, and inputs of a chosen size."""

from __future__ import annotations

import uuid
from typing import Any

from comprehend_contract.targets import TargetProfile


def start_request(target: TargetProfile, input_uri: str, **extra: Any) -> dict[str, Any]:
    """A StartSentimentDetectionJob request reading ``input_uri``, writing beside it in the run's workspace.

    It carries a fresh ``ClientRequestToken``, so that a Start retried after a transient fault (the first attempt
    may have reached the service) never makes a second job.
    """
    return {
        "InputDataConfig": {"S3Uri": input_uri, "InputFormat": "ONE_DOC_PER_LINE"},
        "OutputDataConfig": {"S3Uri": input_uri.rstrip("/") + "-output/"},
        "DataAccessRoleArn": target.role_arn,
        "LanguageCode": "en",
        "ClientRequestToken": uuid.uuid4().hex,
        **extra,
    }
