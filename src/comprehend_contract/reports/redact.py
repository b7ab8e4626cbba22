"""Removing secrets from everything a report holds: signing headers, signatures, and known secret values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "***REDACTED***"
SECRET_HEADERS = frozenset({"authorization", "x-amz-security-token", "x-amz-content-sha256-signature"})
_SIGNATURES = re.compile(r"((?:X-Amz-)?Signature=)[0-9a-fA-F]{16,}")
_CREDENTIAL_KEYS = re.compile(r"(?i)(secret_?access_?key|session_?token|aws_secret_access_key)(\W{1,4})([^\s,;\"']+)")


class Redactor:
    """Redacts a JSON-like document: header values by name, signatures by shape, known secrets by value."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        value = _SIGNATURES.sub(lambda m: m.group(1) + REDACTED, value)
        return _CREDENTIAL_KEYS.sub(lambda m: m.group(1) + m.group(2) + REDACTED, value)

    def __call__(self, document: Any, key: str | None = None) -> Any:
        if isinstance(document, dict):
            return {k: (REDACTED if str(k).lower() in SECRET_HEADERS else self(v, str(k))) for k, v in document.items()}
        if isinstance(document, list | tuple):
            return [self(item) for item in document]
        if isinstance(document, str):
            return self.text(document)
        return document
