"""One test's exchanges, normalized: every volatile value becomes a stable placeholder (the rules: the package doc).

Normalization is per test and needs nothing but the exchanges themselves, so any process can do it (an xdist
worker, before sending a test's snapshot entry to the controller) and two runs number their placeholders alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from comprehend_contract.clients.raw import error_code_of
from comprehend_contract.spec.family import family

KEPT_HEADERS = {
    "content-type": "Content-Type",
    "x-amzn-errortype": "x-amzn-ErrorType",
    "x-amzn-requestid": "x-amzn-RequestId",
}
"""The response headers a snapshot keeps (``x-amzn-requestid`` only as present or not), with their usual spelling."""
KEPT_REQUEST_HEADERS = ("content-type", "x-amz-target")
"""The request headers a snapshot keeps: the ones the suite varies on purpose (the rest are signing)."""
JOB_LISTS = {job_type.list: job_type.list_member for job_type in family().types}
"""Each type's List operation and the member its answer lists the jobs in."""
READS = frozenset({*(job_type.describe for job_type in family().types), *JOB_LISTS})
"""Operations a test may poll: a repeat of the same read with the same normalized answer is recorded once."""
RUNNING = frozenset({"SUBMITTED", "IN_PROGRESS"})
RUNNING_SEEN = "<SUBMITTED|IN_PROGRESS>"
"""A read's ``JobStatus`` of a running job: which of the two a poll sees is timing (AWS queues for minutes)."""
RUN_DEPENDENT_LIST = "<array>"
"""An unfiltered List's jobs: which jobs, in which states, in which process, depend on the run, not the target."""
TEXT_LIMIT = 2000
"""Characters of a non-JSON response body kept (a snapshot stays readable; the form of such a body is the point)."""
SHORTEST_SUBSTITUTED = 8
"""Shorter ids are replaced only where they stand as a whole value: "1" must not become a placeholder in text."""

PLACEHOLDER = re.compile(
    r"<(?:job|token|next-token|hex|id)-[0-9]+>"
    r"|<(?:request-id|timestamp(?::number|:string)?|account|role|bucket|run|n|date|access-key|endpoint|hash|array)>"
    r"|<SUBMITTED\|IN_PROGRESS>"
)
"""Every placeholder normalization writes."""
RUN_ID = r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}"
_RUN_ID = re.compile(RUN_ID)
_RUN_URI = re.compile(
    rf"s3://(?P<bucket>[A-Za-z0-9][A-Za-z0-9.\-_]*)/[^\s\"'<>]*?run-{RUN_ID}/(?:(?:main|gw[0-9]+)/)?"
    r"(?P<rest>[^\s\"'<>]*)"
)
_FOLDER = re.compile(r"(?P<label>.+)-[0-9]+(?P<suffix>-output)?")
_EMBEDDED_BUCKET = re.compile(r"(?<![A-Za-z0-9-])comprehend-contract-[0-9a-f]{12}(?![A-Za-z0-9-])")
_ARN_ACCOUNT = re.compile(r"(?P<head>arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:)(?P<account>[0-9]{12})(?=:)")
_ROLE_ARN = re.compile(r"(?P<head>arn:[a-z0-9-]+:iam::[^:\s\"']*:role/)[A-Za-z0-9+=,.@_/-]+")
_JOB_ARN = re.compile(r"(?P<head>:[a-z-]*detection-job/)(?P<id>[^\s\"'/,;<>]+)")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID_ONLY = re.compile(_UUID)
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX_TAIL = re.compile(r"(?P<prefix>.*?)(?P<hex>[0-9a-f]{12,})")
_NAME_HEX = re.compile(r"(?<=-)[0-9a-f]{8,}(?=-|$)")
_ISO = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
_ISO_ONLY = re.compile(_ISO)
_TIMESTAMPS = re.compile(
    rf"{_ISO}"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
    r"|(?<![0-9])[0-9]{8}T[0-9]{6}Z(?![0-9A-Za-z])"
)
_SCOPE_DATE = re.compile(r"(?<![0-9])[0-9]{8}(?=/[a-z0-9-]+/[a-z0-9-]+/aws4_request)")
_ACCESS_KEY = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
_LOCAL_ENDPOINT = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0):[0-9]{2,5}")
_HASH = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])")
_LEFTOVER_ID = re.compile(rf"(?<![0-9A-Za-z]){_UUID}(?![0-9A-Za-z])|(?<![0-9A-Za-z])[0-9a-f]{{32,}}(?![0-9A-Za-z])")
_TIME_MEMBER = re.compile(r".*Time(?:Before|After)?")


def id_form(value: str) -> str:
    """How a job id looks, for ``new_job_ids``: AWS's are 32 lowercase hex digits."""
    if _HEX32.fullmatch(value):
        return "32 hex digits"
    if _UUID_ONLY.fullmatch(value):
        return "UUID (36 characters)"
    tail = _HEX_TAIL.fullmatch(value)
    if tail and tail["prefix"]:
        return f"'{tail['prefix']}' + {len(tail['hex'])} hex digits"
    return f"{len(value)} characters"


def _random_looking(value: str) -> bool:
    """A JobId the suite generated at random (a uuid, a hex string, a fixed prefix and a hex tail)."""
    return bool(_UUID_ONLY.fullmatch(value) or _HEX_TAIL.fullmatch(value))


def _strings(node: Any, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    """Every string of a JSON value with the member name it is the value of, members in sorted order."""
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, Mapping):
        for name in sorted(node):
            yield from _strings(node[name], str(name))
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, key)


def _parse(body: str) -> tuple[bool, Any]:
    """(True, the value) for a JSON body; (False, None) for anything else, NaN and Infinity included."""
    try:
        return True, json.loads(body, parse_constant=_not_json)
    except (ValueError, RecursionError):
        return False, None


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _unfiltered_list(exchange: Mapping[str, Any]) -> bool:
    """A List whose answer depends on what else the run did (every job of the account, or of a status...)."""
    if exchange.get("operation") not in JOB_LISTS:
        return False
    request = exchange.get("request")
    job_filter = request.get("Filter") if isinstance(request, Mapping) else None
    return not (isinstance(job_filter, Mapping) and isinstance(job_filter.get("JobName"), str))


class _Placeholders:
    """The volatile values of one test and their placeholders, collected in order of first appearance."""

    def __init__(self) -> None:
        self.jobs: dict[str, str] = {}
        self.fixed: set[str] = set()
        """JobIds the suite chose (``"a"``, ``"x" * 32``...): kept as they are."""
        self.literals: dict[str, str] = {}
        self.leftovers: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._pattern: re.Pattern[str] | None = None

    def _number(self, kind: str) -> str:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        return f"<{kind}-{self._counts[kind]}>"

    def job(self, value: str) -> str:
        if value not in self.jobs:
            self.jobs[value] = self._number("job")
            if len(value) >= SHORTEST_SUBSTITUTED:
                self._literal(value, self.jobs[value])
        return self.jobs[value]

    def numbered(self, kind: str, value: str) -> None:
        if value and value not in self.literals:
            self._literal(value, self._number(kind))

    def constant(self, value: str, placeholder: str) -> None:
        if len(value) >= SHORTEST_SUBSTITUTED and value not in self.literals:
            self._literal(value, placeholder)

    def _literal(self, value: str, placeholder: str) -> None:
        self.literals[value] = placeholder
        self._pattern = None

    def collect(self, exchange: Mapping[str, Any], is_json: bool, body: Any) -> None:
        """Learn the volatile values of one exchange: its request first, then its answer."""
        for key, value in _strings(exchange.get("request")):
            if key == "JobId":
                if value in self.jobs or _random_looking(value):
                    self.job(value)
                else:
                    self.fixed.add(value)
            self._collect_string(key, value)
        headers = {str(name).lower(): value for name, value in (exchange.get("headers") or {}).items()}
        request_id = headers.get("x-amzn-requestid")
        if isinstance(request_id, str) and request_id:
            self.constant(request_id, "<request-id>")
        for key, value in _strings(body):
            if key == "JobId" and value and value not in self.fixed:
                self.job(value)
            self._collect_string(key, value)
        if not is_json and isinstance(exchange.get("body"), str):
            self._collect_string(None, exchange["body"])

    def _collect_string(self, key: str | None, value: str) -> None:
        for found in _JOB_ARN.finditer(value):
            if found["id"] not in self.fixed:
                self.job(found["id"])
        for found in _ARN_ACCOUNT.finditer(value):
            self.constant(found["account"], "<account>")
        for found in _RUN_URI.finditer(value):
            self.constant(found["bucket"], "<bucket>")
        if key == "ClientRequestToken":
            self.numbered("token", value)
        elif key == "NextToken":
            self.numbered("next-token", value)
        elif key == "JobName" and _RUN_ID.search(value):
            for found in _NAME_HEX.finditer(value):
                self.numbered("hex", found.group())

    def text(self, value: str) -> str:
        """A string with every volatile value in it replaced (rules 1-7 of the package doc, in that order)."""
        value = _RUN_URI.sub(_run_uri, value)
        if self.literals:
            if self._pattern is None:
                alternatives = "|".join(re.escape(v) for v in sorted(self.literals, key=lambda v: (-len(v), v)))
                self._pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")
            value = self._pattern.sub(lambda found: self.literals[found.group()], value)
        value = _JOB_ARN.sub(
            lambda found: found["head"] + self.jobs.get(found["id"], found["id"]),
            value,
        )
        value = _ROLE_ARN.sub(lambda found: found["head"] + "<role>", value)
        value = _ARN_ACCOUNT.sub(lambda found: found["head"] + "<account>", value)
        value = _EMBEDDED_BUCKET.sub("<bucket>", value)
        value = _RUN_ID.sub("<run>", value)
        value = _TIMESTAMPS.sub("<timestamp>", value)
        value = _SCOPE_DATE.sub("<date>", value)
        value = _ACCESS_KEY.sub("<access-key>", value)
        value = _LOCAL_ENDPOINT.sub("<endpoint>", value)
        value = _HASH.sub("<hash>", value)
        return _LEFTOVER_ID.sub(self._leftover, value)

    def _leftover(self, found: re.Match[str]) -> str:
        if found.group() not in self.leftovers:
            self.leftovers[found.group()] = self._number("id")
        return self.leftovers[found.group()]

    def value(self, node: Any, key: str | None = None, read: bool = False) -> Any:
        """A JSON value with volatile leaves replaced by typed placeholders, members in sorted order (``read``: the
        answer to a Describe or List)."""
        timestamp = key is not None and _TIME_MEMBER.fullmatch(key) is not None
        if isinstance(node, Mapping):
            return {str(name): self.value(node[name], str(name), read) for name in sorted(node)}
        if isinstance(node, list):
            return [self.value(item, key, read) for item in node]
        if read and key == "JobStatus" and node in RUNNING:
            return RUNNING_SEEN
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int | float):
            return "<timestamp:number>" if timestamp else node
        if isinstance(node, str):
            if key == "JobId" and node in self.jobs:
                return self.jobs[node]
            if _ISO_ONLY.fullmatch(node.strip()):
                return "<timestamp:string>"
            return self.text(node)
        return node


def _run_uri(found: re.Match[str]) -> str:
    folder, slash, rest = found["rest"].partition("/")
    counted = _FOLDER.fullmatch(folder)
    if counted:
        folder = f"{counted['label']}-<n>{counted['suffix'] or ''}"
    return f"s3://<bucket>/<run>/{folder}{slash}{rest}"


def normalize_test(exchanges: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One test's exchanges (``Exchange.to_dict()`` dicts, in the order the test made or judged them), normalized.

    Transient answers are dropped; a read repeated with the same normalized answer (a poll) is kept once.
    """
    placeholders = _Placeholders()
    normalized: list[dict[str, Any]] = []
    last_read: dict[str, Any] | None = None
    for exchange in exchanges:
        if exchange.get("transient"):
            continue
        body_text = exchange.get("body")
        body_text = body_text if isinstance(body_text, str) else ""
        is_json, body = _parse(body_text)
        member = JOB_LISTS.get(str(exchange.get("operation")), "")
        if is_json and isinstance(body, dict) and _unfiltered_list(exchange) and isinstance(body.get(member), list):
            body = {**body, member: RUN_DEPENDENT_LIST}
        known = set(placeholders.jobs)
        placeholders.collect(exchange, is_json, body)
        entry = _entry(exchange, placeholders, is_json, body, body_text)
        new_ids = {placeholder: id_form(job) for job, placeholder in placeholders.jobs.items() if job not in known}
        if new_ids:
            entry["new_job_ids"] = new_ids
        if entry["operation"] in READS and last_read is not None and last_read == _without_new_ids(entry):
            continue
        last_read = _without_new_ids(entry) if entry["operation"] in READS else None
        normalized.append(entry)
    return normalized


def _without_new_ids(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key != "new_job_ids"}


def _entry(
    exchange: Mapping[str, Any], placeholders: _Placeholders, is_json: bool, body: Any, body_text: str
) -> dict[str, Any]:
    request_headers = {str(name).lower(): value for name, value in (exchange.get("request_headers") or {}).items()}
    headers = {str(name).lower(): value for name, value in (exchange.get("headers") or {}).items()}
    kept_headers: dict[str, str] = {}
    for name in KEPT_HEADERS:
        value = headers.get(name)
        if not isinstance(value, str):
            continue
        if name == "x-amzn-requestid":
            kept_headers[name] = "<request-id>" if value else ""
        else:
            kept_headers[name] = value if name == "content-type" else placeholders.text(value)
    refusal = exchange.get("refusal")
    entry: dict[str, Any] = {
        "operation": str(exchange.get("operation", "")),
        "transport": str(exchange.get("transport", "")),
        "refusal": refusal if isinstance(refusal, str) else None,
        "request": placeholders.value(exchange.get("request")),
        "request_headers": {
            name: placeholders.text(str(request_headers[name]))
            for name in KEPT_REQUEST_HEADERS
            if name in request_headers
        },
        "status": int(exchange.get("status", 0)),
        "headers": kept_headers,
        "error_code": error_code_of(body_text.encode("utf-8")) if is_json else None,
    }
    if is_json:
        entry["body"] = placeholders.value(body, read=entry["operation"] in READS)
    else:
        text = placeholders.text(body_text)
        if len(text) > TEXT_LIMIT:
            text = f"{text[:TEXT_LIMIT]}... ({len(text) - TEXT_LIMIT} more characters)"
        entry["text"] = text
    return entry
