"""A well-formed JobId that names no job of the caller's account, for each job type's Stop."""

from __future__ import annotations

import uuid

import pytest

from comprehend_contract.suite import TRANSPORTS, Api

UNKNOWN_IDS = [uuid.uuid4().hex, "a", "日本語", "٣٤", "job-that-never-was", "x" * 32]


@pytest.mark.clause("STOP-NOT-FOUND")
@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("job_id", UNKNOWN_IDS, ids=["hex32", "one-char", "cjk", "arabic-digits", "words", "x32"])
def test_stop_on_unknown_job_is_job_not_found(api: Api, job_id: str, transport: str) -> None:
    """'JobNotFoundException: The specified job was not found.' (HTTP 400)."""
    exchange = api.stop(job_id, transport=transport)
    assert exchange.status == 400, f"expected HTTP 400, got {exchange.describe()}"
    assert exchange.error_code == "JobNotFoundException", f"expected JobNotFoundException, got {exchange.describe()}"
