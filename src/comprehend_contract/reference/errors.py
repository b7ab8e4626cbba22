"""AWS JSON 1.1 errors as the reference answers them: ``__type``, a message, ``x-amzn-ErrorType``."""

from __future__ import annotations

from typing import Any

from comprehend_contract.spec.traceability import implements

CORAL_SERVICE = "com.amazon.coral.service#"
CORAL_VALIDATE = "com.amazon.coral.validate#"


class AwsError(Exception):
    """An error response. ``__type`` may carry a namespace, as AWS's own framework errors do."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        namespace: str = "",
        message_key: str = "Message",
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.namespace = namespace
        self.message_key = message_key
        self.extra = extra or {}

    @implements("ERR-SHAPE")
    def body(self) -> dict[str, Any]:
        return {"__type": f"{self.namespace}{self.code}", self.message_key: self.message, **self.extra}


@implements("ERR-VALIDATION-CODE")
def validation_error(message: str) -> AwsError:
    return AwsError("ValidationException", message, namespace=CORAL_VALIDATE, message_key="message")


def serialization_error(message: str) -> AwsError:
    return AwsError("SerializationException", message, namespace=CORAL_SERVICE, message_key="Message")


def unknown_operation(target: str | None) -> AwsError:
    shown = "no X-Amz-Target header" if target is None else f"X-Amz-Target {target!r}"
    return AwsError(
        "UnknownOperationException",
        f"The requested operation is not recognized by this service ({shown}).",
        namespace=CORAL_SERVICE,
        message_key="message",
    )


@implements("STOP-NOT-FOUND")
def job_not_found(job_id: str) -> AwsError:
    return AwsError("JobNotFoundException", f"Could not find job with id {job_id!r} in this account.")


def invalid_request(message: str) -> AwsError:
    return AwsError("InvalidRequestException", message)


def invalid_filter(message: str) -> AwsError:
    return AwsError("InvalidFilterException", message)


@implements("ERR-INTERNAL")
def internal_error() -> AwsError:
    return AwsError("InternalServerException", "An internal server error occurred. Retry your request.", status=500)


def missing_authentication() -> AwsError:
    return AwsError(
        "MissingAuthenticationTokenException",
        "Missing Authentication Token: the request carries no AWS Signature Version 4 Authorization header.",
        message_key="message",
    )


def incomplete_signature(message: str) -> AwsError:
    return AwsError("IncompleteSignatureException", message, message_key="message")


def unrecognized_client() -> AwsError:
    return AwsError(
        "UnrecognizedClientException", "The security token included in the request is invalid.", message_key="message"
    )


def invalid_signature(message: str) -> AwsError:
    return AwsError("InvalidSignatureException", message, message_key="message")


def too_large(size: int | None, limit: int) -> AwsError:
    shown = "of unknown length" if size is None else f"of {size} bytes"
    return AwsError(
        "RequestEntityTooLargeException",
        f"The request body {shown} exceeds the limit of {limit} bytes.",
        status=413,
        message_key="message",
    )


def bad_http_request(message: str, status: int) -> AwsError:
    """An HTTP-level defect (bad request line, bad headers, timeout) found before the request reached the service."""
    return AwsError("BadRequestException", message, status=status, namespace=CORAL_SERVICE, message_key="message")


def body_timeout() -> AwsError:
    """A request body that stopped arriving for the server's read timeout: the client's fault, so a 408, not a 5xx."""
    return bad_http_request("The request body did not arrive within the server's read timeout.", 408)
