"""The reference's HTTP/1.1 server: werkzeug's threaded WSGI server with persistent connections and TLS.

werkzeug's development server answers every request with ``Connection: close`` (its ``run_wsgi`` cannot tell
where a request body ends, so it drains the socket and closes), which makes every client open a connection per
request. This handler runs each request itself: the application reads the body through ``RequestBody``, which
knows where the body ends (Content-Length, or the last chunk), so after the answer the connection carries the next
request, unless the request said ``Connection: close``, was HTTP/1.0 (without keep-alive), or left its body
unreadable or too large to skip (then the answer says ``Connection: close``). Each answer is one write. It also does
what a WSGI application cannot: a ``reset`` fault (the application raises ``ResetConnection``) closes the
connection with a TCP RST and no answer.

Malformed HTTP is answered as an AWS JSON error and never with a 5xx (a client's mistake is not a failure of the
service): a request line that is not ``METHOD TARGET HTTP/1.x`` is a 400 (HTTP/0.9 and HTTP/2 sent as text
included), one over 64 KiB a 414, a bad header line a 400, too long or too many headers a 431, headers that stop
arriving for the read timeout a 408. Empty lines before a request line are skipped; a connection that ends with
only empty lines, or falls silent before its request line is complete, carried no request and is closed without an
answer.

TLS (``--tls``) is negotiated on each connection's own thread, under the read timeout, so a client that connects
and never speaks holds up no one else (werkzeug would handshake on the accepting thread). ``close_connections``
ends the idle keep-alive connections when the service stops.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import io
import json
import logging
import re
import selectors
import socket
import ssl
import struct
import threading
import time
import uuid
from collections.abc import Iterator
from http import HTTPStatus
from typing import IO, Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from comprehend_contract.reference.errors import bad_http_request, internal_error
from comprehend_contract.reference.http import ResetConnection, WSGIApp, response_headers

log = logging.getLogger(__name__)

LINGER_SECONDS = 0.01
"""How long, after answering a request whose body it will not read, the server keeps reading (and dropping) what
the client still sends before it closes: enough for the client to see the answer rather than a reset."""
LINGER_MAX_READS = 1000
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)
MAX_HEADER_LINE = 65536
MAX_HEADERS = 100
"""http.client's limits for one header line and the number of header fields (431 beyond them)."""
MAX_REQUEST_LINE = 65536
"""http.server's limit for the request line (414 beyond it)."""
MAX_EMPTY_LINES = 100
"""How many empty lines may come before a request line (they are skipped; 400 beyond them)."""
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class RequestBody(io.RawIOBase):
    """A request's body as the application reads it, ending where the request says it ends, and what is left of it.

    ``length`` is the Content-Length; None means the stream ends itself (a chunked body). A read that fails (a bad
    chunk size, a timeout) or a body that ends early makes the body ``broken``: the connection cannot be trusted
    to carry another request.
    """

    def __init__(self, stream: IO[bytes], length: int | None) -> None:
        super().__init__()
        self._stream = stream
        self._left = length
        self._ended = length == 0
        self.broken = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._ended:
            return 0
        view = memoryview(buffer).cast("B")
        if self._left is not None:
            view = view[: self._left]
        try:
            count = self._stream.readinto(view) or 0  # type: ignore[attr-defined]
        except (OSError, ValueError):
            self.broken = self._ended = True
            raise
        if self._left is not None:
            self._left -= count
            if count == 0:
                self.broken = True  # the client closed before sending what it declared
            self._ended = self._left <= 0 or count == 0
        elif count == 0:
            self._ended = True
        return count

    @property
    def fully_read(self) -> bool:
        """Whether the whole body was read, and nothing went wrong reading it."""
        return self._ended and not self.broken

    def skip_rest(self, limit: int) -> bool:
        """Read and drop what the application left unread, at most ``limit`` bytes: whether the whole body was
        read, so that the connection can carry the next request."""
        if self.broken or (self._left is not None and self._left > limit):
            return False
        skipped = 0
        try:
            while chunk := self.read(65536):
                skipped += len(chunk)
                if skipped > limit:
                    return False
        except (OSError, ValueError):
            return False
        return not self.broken


class RequestHeaders:
    """A request's header fields in arrival order, names matched without regard to case: what werkzeug and the
    handler read of ``http.client.HTTPMessage`` (``get``, ``get_all``, ``items``, ``in``)."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._fields = fields

    def items(self) -> list[tuple[str, str]]:
        return list(self._fields)

    def keys(self) -> list[str]:
        return [name for name, _ in self._fields]

    def get_all(self, name: str, failobj: list[str] | None = None) -> list[str] | None:
        lowered = name.lower()
        found = [value for field, value in self._fields if field.lower() == lowered]
        return found or failobj

    def get(self, name: str, default: Any = None) -> Any:
        found = self.get_all(name)
        return found[0] if found else default

    def __getitem__(self, name: str) -> str | None:
        found = self.get_all(name)
        return found[0] if found else None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get_all(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._fields)


class ReferenceServer(ThreadedWSGIServer):
    """werkzeug's threaded server, with TLS per connection and a record of the open connections."""

    def __init__(
        self,
        host: str,
        port: int,
        app: WSGIApp,
        handler: type[RequestHandler],
        fd: int,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(host, port, app, handler, fd=fd)
        self.tls = tls
        self.ssl_context = tls  # werkzeug reads it for the WSGI environ's url_scheme
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def opened(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def closed(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """End every open connection (idle keep-alive ones included): their threads see the end and leave."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class RequestHandler(WSGIRequestHandler):
    """One connection: its requests, one after another, answered with Content-Length and kept alive where safe;
    HTTP-level errors as AWS JSON errors; access logs at DEBUG."""

    server: ReferenceServer
    timeout = 10
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # an answer goes out at once, whatever the client has not yet acknowledged
    max_skip_bytes = 1024 * 1024
    """The most a request body left unread by the application may be read and dropped to keep the connection."""

    _tls_failed = False

    def setup(self) -> None:
        tls = self.server.tls
        if tls is not None:
            self.request.settimeout(self.timeout)
            try:
                self.request = tls.wrap_socket(self.request, server_side=True)
            except (OSError, ValueError) as error:
                log.debug("TLS handshake with %s failed: %s", self.client_address, error)
                self._tls_failed = True
                self.rfile = self.wfile = io.BytesIO()
                return
        super().setup()
        self.server.opened(self.connection)

    def handle(self) -> None:
        if not self._tls_failed:
            super().handle()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if not self._tls_failed:
                self.server.closed(self.connection)
                if self.server.tls is not None:  # the server closes the socket it accepted, not this TLS layer
                    _close(self.connection)

    def parse_request(self) -> bool:
        """``BaseHTTPRequestHandler.parse_request`` for HTTP/1.x only (``METHOD TARGET HTTP/1.x``; empty lines before
        it skipped; anything else a 400, never a 5xx), with the headers read without the ``email`` package (which
        took a quarter of the server's time on a small request)."""
        self.command = None  # type: ignore[assignment]  # as the standard library: none until the line is read
        self.request_version = self.default_request_version
        self.close_connection = True
        self.requestline = requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = requestline.split()
        if not words and not self._skip_empty_lines():
            return False
        requestline, words = self.requestline, self.requestline.split()
        if len(words) != 3:
            hint = ": HTTP/0.9 is not supported" if len(words) == 2 else ""
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({requestline!r}){hint}")
            return False
        command, path, version = words
        number = _http_version(version)
        if number is None:
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
            return False
        if number[0] != 1:
            # RFC 9110 would allow 505, but a 5xx says the service failed (ERR-INTERNAL): this is the client's mistake
            self.send_error(HTTPStatus.BAD_REQUEST, f"HTTP version {version[5:]} is not supported: send HTTP/1.1")
            return False
        self.close_connection = number < (1, 1)
        self.request_version = version
        if path.startswith("//"):  # as the standard library: never read as a scheme-relative URL
            path = "/" + path.lstrip("/")
        self.command, self.path = command, path
        headers = self._read_headers()
        if headers is None:
            return False
        self.headers = headers  # type: ignore[assignment]  # what werkzeug and this handler read of http.client's
        connection = headers.get("Connection", "").lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive":
            self.close_connection = False
        if headers.get("Expect", "").lower() == "100-continue" and self.request_version >= "HTTP/1.1":
            return bool(self.handle_expect_100())
        return True

    def _skip_empty_lines(self) -> bool:
        """Read past empty lines before the request line (RFC 9112 section 2.2: a server SHOULD ignore at least one);
        whether a request line followed. A client that leaves, or falls silent, before sending one made no request,
        so it gets no answer; one that sends only empty lines gets a 400 after ``MAX_EMPTY_LINES``."""
        for _ in range(MAX_EMPTY_LINES):
            line = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if not line:
                return False
            if len(line) > MAX_REQUEST_LINE:
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return False
            self.raw_requestline = line
            self.requestline = str(line, "iso-8859-1").rstrip("\r\n")
            if self.requestline.split():
                return True
        self.send_error(HTTPStatus.BAD_REQUEST, f"More than {MAX_EMPTY_LINES} empty lines before the request line")
        return False

    def _read_headers(self) -> RequestHeaders | None:
        """The request's header fields up to the blank line; None (an error answered) if they cannot be read."""
        fields: list[tuple[str, str]] = []
        while True:
            try:
                line = self.rfile.readline(MAX_HEADER_LINE + 1)
            except TimeoutError:
                waited = f"{self.timeout:g} s"
                self.send_error(HTTPStatus.REQUEST_TIMEOUT, f"The request's headers did not arrive within {waited}")
                return None
            if len(line) > MAX_HEADER_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long")
                return None
            if line in (b"\r\n", b"\n", b""):
                return RequestHeaders(fields)
            if len(fields) >= MAX_HEADERS:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
                return None
            text = line.decode("iso-8859-1").rstrip("\r\n")
            if text[:1] in (" ", "\t") and fields:  # an obsolete folded line continues the field before it
                name, value = fields[-1]
                fields[-1] = (name, f"{value} {text.strip()}")
                continue
            name, colon, value = text.partition(":")
            if not colon or not _TOKEN.fullmatch(name):
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad header line ({text[:100]!r})")
                return None
            fields.append((name, value.strip(" \t")))

    def run_wsgi(self) -> None:
        """Answer one request (every method comes here); werkzeug's own would close the connection after it."""
        environ = self.environ = self.make_environ()
        body = _request_body(environ)
        try:
            status, headers, chunks = _call(self.server.app, environ)
        except ResetConnection as reset:
            log.debug("%s", reset)
            self._reset()
            return
        except Exception:
            log.exception("internal error answering %r", self.requestline)
            status, headers, chunks = _internal_error()
            self.close_connection = True
        if not self.close_connection and not body.skip_rest(self.max_skip_bytes):
            self.close_connection = True
        try:
            self._respond(status, headers, b"".join(chunks))
            if self.close_connection and not body.fully_read:
                self._linger()
        except (OSError, ValueError):  # the client went away
            self.close_connection = True

    def _respond(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """Write the answer in one piece (head and body in one write: one segment, one wake-up of the client)."""
        code = int(status.partition(" ")[0])
        bodiless = self.command == "HEAD" or 100 <= code < 200 or code in (204, 304)
        self.log_request(code)
        head = [f"{self.protocol_version} {status}", f"Server: {self.version_string()}", f"Date: {_http_date()}"]
        has_length = False
        for name, value in headers:
            lowered = name.lower()
            if lowered in ("connection", "transfer-encoding", "keep-alive"):
                continue  # hop-by-hop: the server decides
            has_length = has_length or lowered == "content-length"
            head.append(f"{name}: {value}")
        if not has_length and not bodiless:
            head.append(f"Content-Length: {len(body)}")
        if self.close_connection:
            head.append("Connection: close")
        elif self.request_version == "HTTP/1.0":  # it asked for keep-alive; an HTTP/1.0 client must be told
            head.append("Connection: keep-alive")
        head.append("\r\n")
        # WSGI header values are Latin-1; one that is not (an application's mistake) is sent with "?", not dropped
        self.wfile.write("\r\n".join(head).encode("latin-1", "replace") + (b"" if bodiless else body))
        if _QUICKACK is not None and not self.close_connection:
            # Having answered, Linux delays its ACKs (expecting to piggyback them on the next answer). A client that
            # writes a request's head and body in two segments with Nagle on (urllib3 without TCP_NODELAY) then waits
            # for that ACK before sending the body: 40 ms per request on a kept-alive connection. Acknowledge at once.
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)

    def _linger(self) -> None:
        """Read and drop what the client still sends, briefly, so that it reads the answer before the close."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.connection, selectors.EVENT_READ)
            for _ in range(LINGER_MAX_READS):
                if not selector.select(timeout=LINGER_SECONDS) or not self.rfile.read1(1 << 20):
                    break

    def _reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0) and no answer: a ``reset`` fault."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # the RST goes out when finish() closes the last file of the socket
        except OSError:
            pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        error = bad_http_request(message or HTTPStatus(code).phrase, code)
        body = json.dumps(error.body()).encode()
        self.close_connection = True
        self.request_version = self.protocol_version  # answer even an unparseable request with a full response
        try:
            self.send_response(code, message)
            for name, value in response_headers(str(uuid.uuid4()), body, error):
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if getattr(self, "command", None) != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug('"%s" %s %s', getattr(self, "requestline", ""), code, size)

    def log_error(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


@functools.lru_cache(maxsize=4)
def _http_date_at(second: int) -> str:
    return email.utils.formatdate(second, usegmt=True)


def _http_date() -> str:
    """The Date header's value, formatted once a second."""
    return _http_date_at(int(time.time()))


def _http_version(text: str) -> tuple[int, int] | None:
    """``HTTP/1.1`` as (1, 1), by http.server's rules (one dot, digits only, at most 10 each); None if malformed."""
    if not text.startswith("HTTP/"):
        return None
    parts = text[5:].split(".")
    if len(parts) != 2 or not all(part.isdigit() and len(part) <= 10 for part in parts):
        return None
    return int(parts[0]), int(parts[1])


def _request_body(environ: dict[str, Any]) -> RequestBody:
    """Put a ``RequestBody`` in front of the WSGI input (werkzeug gives the socket's file, or its dechunker)."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):
        body = RequestBody(stream, None)
    else:
        declared = (environ.get("CONTENT_LENGTH") or "").strip()
        try:
            length = int(declared) if declared else 0
        except ValueError:
            length = -1
        body = RequestBody(stream, max(length, 0))
        body.broken = length < 0  # where this body ends is unknown: the connection closes after the answer
    environ["wsgi.input"] = body
    return body


def _call(app: WSGIApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    """Run the WSGI application: its status, headers and body."""
    answer: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        answer[:] = [status, list(headers)]
        return lambda data: chunks.append(data)

    chunks: list[bytes] = []
    iterable = app(environ, start_response)
    try:
        chunks.extend(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    if not answer:
        raise RuntimeError("the application answered without start_response")
    return answer[0], answer[1], chunks


def _internal_error() -> tuple[str, list[tuple[str, str]], list[bytes]]:
    error = internal_error()
    body = json.dumps(error.body()).encode()
    return "500 Internal Server Error", response_headers(str(uuid.uuid4()), body, error), [body]


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_WR)
    connection.close()
