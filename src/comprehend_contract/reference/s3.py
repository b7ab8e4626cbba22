"""The embedded S3: moto's S3 in server mode, every failure answered as an S3 XML error.

moto answers some requests it cannot handle (a body that is not the XML it wants, a NUL in a bucket name, an
unknown POST) by raising, and Flask turns the exception into an HTML ``500`` page; Flask's own refusals (``405``)
are HTML pages too. A client mistake must never look like a server failure, and an S3 client reads S3's XML:
here moto's Flask applications let their exceptions through, and ``S3XmlErrors`` answers each of them, and every
error answer whose body is not XML (whatever its label says), as S3 does, with
``<Error><Code>...</Code><Message>...</Message><RequestId>...``: ``MalformedXML`` for a body that is not XML,
``MissingContentLength`` (411) where moto wants a Content-Length, ``InvalidRequest`` (400) for anything else moto
could not handle (a body that stops arriving included).
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any
from xml.etree import ElementTree
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape

from comprehend_contract.reference.http import StartResponse, WSGIApp

log = logging.getLogger(__name__)

_CODES = {
    400: ("InvalidRequest", "The request is not valid."),
    403: ("AccessDenied", "Access Denied"),
    404: ("NoSuchKey", "The specified key does not exist."),
    405: ("MethodNotAllowed", "The specified method is not allowed against this resource."),
    411: ("MissingContentLength", "You must provide the Content-Length HTTP header."),
    413: ("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size."),
}
"""S3's error code for an error page of moto's (or Flask's) that is not XML, by its status."""

S3_METHODS = frozenset({"GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"})
MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema."


class S3XmlErrors:
    """Wraps an S3 WSGI application so that every failure of it is answered as an S3 XML error, never a 5xx page."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in S3_METHODS:
            return _xml_error(start_response, 405, *_CODES[405])
        answer: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers]
            return body.append

        body: list[bytes] = []
        try:
            iterable = self.app(environ, capture)
            try:
                body.extend(iterable)
            finally:
                close = getattr(iterable, "close", None)
                if close is not None:
                    close()
        except Exception as error:
            log.debug("the embedded S3 could not handle %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
                      exc_info=True)  # fmt: skip
            return _xml_error(start_response, 400, *_code_for(error))
        status, headers = answer
        code = int(status.split(" ", 1)[0])
        content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
        bodiless = environ.get("REQUEST_METHOD") == "HEAD"
        if code >= 400 and not (bodiless and "xml" in content_type.lower()) and not _is_xml(b"".join(body)):
            chosen = _CODES.get(code) if code < 500 else None
            return _xml_error(start_response, code if chosen else 400, *(chosen or _CODES[400]))
        start_response(status, headers)
        return body


def _is_xml(body: bytes) -> bool:
    """Whether an error body is XML: moto labels some plain-text answers ``application/xml`` (its 411's
    "Content-Length required"), so the label alone is not enough."""
    try:
        ElementTree.fromstring(body)
    except (ElementTree.ParseError, ValueError):
        return False
    return True


def _code_for(error: Exception) -> tuple[str, str]:
    if isinstance(error, ExpatError | ElementTree.ParseError):
        return "MalformedXML", MALFORMED_XML
    if isinstance(error, NotImplementedError):
        return "InvalidRequest", "The embedded S3 (moto) does not implement this request."
    return "InvalidRequest", f"The request could not be handled: {type(error).__name__}."


def _xml_error(start_response: StartResponse, status: int, code: str, message: str) -> list[bytes]:
    request_id = uuid.uuid4().hex[:16].upper()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message><RequestId>{request_id}</RequestId></Error>"
    ).encode()
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [("Content-Type", "application/xml"), ("Content-Length", str(len(body))), ("x-amz-request-id", request_id)],
    )
    return [body]


def _backend_app(service: Any) -> Any:
    """moto's Flask application for ``service``, letting its exceptions through to ``S3XmlErrors``."""
    from moto.moto_server.werkzeug_app import create_backend_app

    app = create_backend_app(service)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return app


@functools.cache
def embedded_s3() -> WSGIApp:
    """moto's S3 in server mode, as a WSGI application: one per process, since its buckets live in this process's
    memory whichever application serves them (building it for each start cost each start a third of a second)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    return S3XmlErrors(DomainDispatcherApplication(_backend_app))
