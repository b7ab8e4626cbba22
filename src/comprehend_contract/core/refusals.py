"""Requests made to be refused for authentication, each tied to the AUTH clause whose text it tests.

The AUTH clauses hold for every operation, and above all for StopSentimentDetectionJob itself; a request of this
kind that is *accepted* (any 2xx) fails its clause, wherever in the run it is seen (``api.observe``).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from comprehend_contract.clients import Credentials, Signature
from comprehend_contract.spec.traceability import judges

EXPIRED_BY = dt.timedelta(minutes=20)
"""How far back an expired request is signed (AWS refuses signatures more than 15 minutes old)."""
MISSING_AUTH_CODES = frozenset(
    {
        "MissingAuthenticationTokenException",
        "MissingAuthenticationToken",
        "IncompleteSignatureException",
        "AccessDeniedException",
    }
)


class Refusal(enum.Enum):
    """One way of making a request that must be refused, and the clause it tests."""

    UNSIGNED = ("unsigned", "AUTH-REQUIRED")
    CORRUPT_SIGNATURE = ("corrupt-signature", "AUTH-SIGNATURE")
    TAMPERED_BODY = ("tampered-body", "AUTH-SIGNATURE")
    WRONG_SECRET = ("wrong-secret", "AUTH-SIGNATURE")
    UNKNOWN_KEY = ("unknown-key", "AUTH-UNKNOWN-KEY")
    EXPIRED = ("expired", "AUTH-EXPIRED")

    def __init__(self, label: str, clause: str) -> None:
        self.label = label
        self.clause = clause

    @classmethod
    def of(cls, label: str) -> Refusal:
        return next(refusal for refusal in cls if refusal.label == label)

    def how(self, credentials: Credentials | None) -> dict[str, Any]:
        """Keyword arguments for ``RawSender.send`` that make a request of this kind for ``credentials``' account."""
        if self is Refusal.UNSIGNED:
            return {"signature": Signature.NONE}
        if self is Refusal.CORRUPT_SIGNATURE:
            return {"signature": Signature.CORRUPT}
        if self is Refusal.TAMPERED_BODY:
            return {"signature": Signature.TAMPERED_BODY}
        if self is Refusal.WRONG_SECRET:
            if credentials is None:
                raise ValueError("a request signed with a wrong secret needs the account's access key id")
            return {"credentials": Credentials(credentials.access_key_id, "x" * 40, credentials.session_token)}
        if self is Refusal.UNKNOWN_KEY:
            return {"credentials": Credentials("AKIA" + uuid.uuid4().hex[:16].upper(), "x" * 40)}
        return {"signed_at": dt.datetime.now(dt.UTC) - EXPIRED_BY}

    @judges("AUTH-REQUIRED", "AUTH-SIGNATURE", "AUTH-UNKNOWN-KEY", "AUTH-EXPIRED")
    def refusal_problem(self, status: int, error_code: str | None, message: str | None) -> str | None:
        """What is wrong with this answer to a request of this kind (None: it is the refusal the clause asks for)."""
        answer = f"HTTP {status} {error_code or ''}: {message or ''}".strip()
        if 200 <= status < 300:
            return f"the {self.label} request was accepted ({answer})"
        if self is Refusal.UNSIGNED:
            if status not in (400, 403) or error_code not in MISSING_AUTH_CODES:
                return f"expected 400/403 MissingAuthenticationTokenException, got {answer}"
            return None
        expected = {"AUTH-SIGNATURE": "InvalidSignatureException", "AUTH-UNKNOWN-KEY": "UnrecognizedClientException"}
        if self is Refusal.EXPIRED:
            if error_code != "InvalidSignatureException" or "Signature expired" not in (message or ""):
                return f"expected InvalidSignatureException 'Signature expired', got {answer}"
            return None
        if error_code != expected[self.clause]:
            return f"expected {expected[self.clause]}, got {answer}"
        return None
