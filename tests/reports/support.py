"""For the report self-tests: a sample run (a pass, a failure, an incidental failure and a skip, with a hostile body
and secrets to redact), and ``Page``, the standard library's reading of an HTML page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from comprehend_contract.reports import Redactor, build_report, load_expectations
from comprehend_contract.spec import catalogue
from comprehend_contract.verdicts import CheckResult, ClauseCheck, TestRecord, VerdictBook

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789"
SIGNATURE = "ab" * 32
EXCHANGE = {
    "operation": "StopSentimentDetectionJob",
    "transport": "raw",
    "request": {"JobId": "x"},
    "request_headers": {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "Comprehend_20171127.StopSentimentDetectionJob",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20261128/us-east-1/comprehend/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + SIGNATURE,
        "X-Amz-Date": "20261128T000000Z",
        "X-Amz-Security-Token": SESSION_TOKEN,
    },
    "status": 500,
    "headers": {"content-type": "text/html"},
    "body": f"<html><script>alert('x')</script>oops, secret_access_key={SECRET} leaked</html>",
}
HOSTILE_REQUEST = '{"JobId": "it\'s <img src=https://evil.example/x.png> \\u00e9"'
"""A raw body that is not JSON, with a quote, markup and an external URL: escaped in HTML, quoted in the shell."""
FAILING_TEST = "contract_tests/test_a.py::test_bad[a b/c]"
INCIDENTAL_TEST = "contract_tests/test_a.py::test_incidental"


SEED = "StopSentimentDetectionJob"
OTHER = "StopEventsDetectionJob"


def sample_book() -> VerdictBook:
    book = VerdictBook(catalogue(), (SEED, OTHER))
    book.record(TestRecord("contract_tests/test_a.py::test_ok", ("STOP-NOT-FOUND",), "passed", "", SEED, duration=0.1))
    book.record(TestRecord("contract_tests/test_a.py::test_ok[StopEventsDetectionJob]", ("STOP-NOT-FOUND",), "passed",
                           "", OTHER, duration=0.1))  # fmt: skip
    book.record(
        TestRecord(
            FAILING_TEST,
            ("REQ-JOBID-PATTERN",),
            "failed",
            "expected JobNotFoundException",
            SEED,
            exchanges=({**EXCHANGE, "request": HOSTILE_REQUEST}, EXCHANGE),
        )
    )
    book.record(
        TestRecord(
            INCIDENTAL_TEST,
            ("RESP-SCHEMA",),
            "passed",
            "",
            SEED,
            checks=(ClauseCheck("ERR-SHAPE", CheckResult.FAIL, "error body is HTML", EXCHANGE),),
        )
    )
    book.record(
        TestRecord("contract_tests/test_a.py::test_skip", ("AUTH-ISOLATION",), "skipped", "no second account", SEED)
    )
    return book


def sample_report(expectations_file: Path | None = None, **target: Any) -> dict[str, Any]:
    """The redacted report of the sample run (``target`` overrides the target's fields)."""
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    report = build_report(
        sample_book(),
        target={
            "name": "sample",
            "kind": "url",
            "endpoint_url": "http://127.0.0.1:1",
            "region": "us-east-1",
            **target,
        },
        run_id="20261128T120000Z-abcdef",
        started=now,
        finished=now + dt.timedelta(seconds=5),
        options={"target": "url", "secret_access_key": SECRET},
        expectations=load_expectations(expectations_file) if expectations_file else None,
    )
    redacted: dict[str, Any] = Redactor([SECRET, SESSION_TOKEN])(report)
    return redacted


@dataclass
class Element:
    """An element of a page: its attributes, its ancestors' tags and attributes, and all the text inside it."""

    tag: str
    attrs: dict[str, str]
    ancestors: list[tuple[str, dict[str, str]]]
    text: str = ""


class Page(HTMLParser):
    """The facts of a page the tests judge: every element with its ancestors and text, and the style sheet."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.styles = ""
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, [(e.tag, e.attrs) for e in self._open])
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data
        if self._open and self._open[-1].tag == "style":
            self.styles += data

    @classmethod
    def of(cls, markup: str) -> Page:
        page = cls()
        page.feed(markup)
        page.close()
        return page

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag) and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def within(self, element_id: str, tag: str | None = None) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag) and any(a.get("id") == element_id for _, a in e.ancestors)
        ]
