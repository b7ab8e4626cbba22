"""report.html for people: anchors, a failures-only view, each exchange's request and a curl that replays it,
rendered clause texts, nothing loaded from outside. Checked on the DOM a real browser builds (headless Chromium,
when /usr/bin/chromium is installed) and always on the page itself with the standard library's parser."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest

from comprehend_contract.reports import write_reports
from comprehend_contract.reports.writers import html
from tests.reports.support import FAILING_TEST, HOSTILE_REQUEST, SECRET, SESSION_TOKEN, Page, sample_report

FAILING_ANCHOR = "test-contract_tests-test_a.py-test_bad-a-b-c"
INCIDENTAL_ANCHOR = "test-contract_tests-test_a.py-test_incidental"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def check_page(page: Page) -> None:
    """The structural facts every rendering of report.html must show, whichever parser built it."""
    ids = page.ids()
    # Self-contained: nothing runs, nothing is fetched.
    assert not page.find("script"), "no script"
    assert not page.find("img"), "the hostile body's <img> must stay text"
    for element in page.elements:
        for name in ("src", "href", "action", "srcset", "data"):
            assert not element.attrs.get(name, "").lower().startswith(("http:", "https:", "//")), element.attrs
    assert "url(" not in page.styles
    assert "@import" not in page.styles
    # A contents list with an anchor per clause and per failing test; every internal link lands.
    contents = page.within("contents", "a")
    assert {a.attrs["href"] for a in contents} >= {
        "#failures",
        "#verdicts",
        "#clause-REQ-JOBID-PATTERN",
        "#clause-STOP-NOT-FOUND",
        "#clause-AUTH-ISOLATION",
        f"#{FAILING_ANCHOR}",
        f"#{INCIDENTAL_ANCHOR}",
    }
    for clause_id in ("REQ-JOBID-PATTERN", "STOP-NOT-FOUND", "AUTH-ISOLATION", "ERR-SHAPE"):
        assert f"clause-{clause_id}" in ids
    for link in page.find("a"):
        if link.attrs.get("href", "").startswith("#"):
            assert link.attrs["href"][1:] in ids, f"dangling link {link.attrs['href']}"
    # The failures-only view: the failing clauses and the failing tests, nothing else.
    failures = {e.attrs["id"] for e in page.within("failures", "article")}
    assert failures == {
        "failure-REQ-JOBID-PATTERN-StopSentimentDetectionJob",
        "failure-ERR-SHAPE-StopSentimentDetectionJob",
    }, "one article per failing (clause, operation)"
    failing_tests = {e.attrs["id"] for e in page.within("failures", "li") if "id" in e.attrs}
    assert failing_tests == {FAILING_ANCHOR, INCIDENTAL_ANCHOR}
    assert "body:has(#failures:target) .all-only{display:none}" in page.styles
    assert "all-only" in page.find("section", id="verdicts")[0].attrs["class"]
    # Each exchange: the request side (method, path, redacted headers, body), the response, and a replay.
    evidence = page.within("failure-REQ-JOBID-PATTERN-StopSentimentDetectionJob", "pre")
    requests = [pre.text for pre in evidence if ("div", {"class": "request"}) in pre.ancestors]
    assert len(requests) == 2
    assert requests[0].startswith("POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\n")
    assert "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob" in requests[0]
    assert "Authorization: ***REDACTED***" in requests[0]
    assert requests[0].endswith("\n\n" + HOSTILE_REQUEST)
    assert requests[1].endswith('\n\n{"JobId": "x"}')
    responses = [pre.text for pre in evidence if ("div", {"class": "response"}) in pre.ancestors]
    assert responses[0].startswith("HTTP/1.1 500\ncontent-type: text/html\n\n<html><script>")
    replays = [pre.text for pre in evidence if pre.attrs.get("class") == "curl"]
    assert len(replays) == 2
    for replay, body in zip(replays, (HOSTILE_REQUEST, '{"JobId": "x"}'), strict=True):
        assert "\n" not in replay.strip(), "one line"
        words = shlex.split(replay)
        assert words[0] == "curl"
        assert words[words.index("--data-binary") + 1] == body, "the exact body, shell-quoted"
        assert words[-1] == "http://127.0.0.1:1/"
        assert words[words.index("--aws-sigv4") + 1] == "aws:amz:us-east-1:comprehend"
        headers = [words[i + 1] for i, word in enumerate(words) if word == "-H"]
        assert "Content-Type: application/x-amz-json-1.1" in headers
        assert "X-Amz-Target: Comprehend_20171127.StopSentimentDetectionJob" in headers
        assert "X-Amz-Security-Token: $AWS_SESSION_TOKEN" in headers
        assert not [h for h in headers if h.lower().startswith(("authorization", "x-amz-date"))]
    notes = " ".join(e.text for e in page.within("failures", "p") if e.attrs.get("class") == "note")
    assert "signs the request again" in notes
    # Clause texts rendered: backtick spans are <code>, and ids don't wrap.
    row = page.find("tr", id="clause-REQ-JOBID-PATTERN")[0]
    assert "`" not in row.text
    codes = [e.text for e in page.within("clause-REQ-JOBID-PATTERN", "code")]
    assert "JobId" in codes
    assert "REQ-JOBID-PATTERN" in codes
    id_cells = [td for td in page.within("clause-REQ-JOBID-PATTERN", "td") if td.attrs.get("class") == "id"]
    assert [td.text for td in id_cells] == ["FAIL", "REQ-JOBID-PATTERN"]
    assert ".id,.chip,.verdict{white-space:nowrap}" in page.styles
    assert SECRET not in " ".join(e.text for e in page.elements)
    assert SESSION_TOKEN not in " ".join(e.text for e in page.elements)


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("run")
    write_reports(sample_report(), directory)
    return directory / "report.html"


def test_report_page_structure_as_the_standard_parser_reads_it(report_page: Path) -> None:
    check_page(Page.of(report_page.read_text(encoding="utf-8")))


def test_report_page_structure_as_a_browser_builds_it(report_page: Path, tmp_path: Path) -> None:
    """In headless Chromium when installed (the DOM it builds), else on the page as the standard parser reads it."""
    markup = report_page.read_text(encoding="utf-8")
    page_url = report_page.as_uri()
    if CHROMIUM.exists():
        dumped = subprocess.run(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page_url],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        assert dumped.startswith("<!DOCTYPE html>"), dumped[:200]
        assert dumped.rstrip().endswith("</body></html>"), "the DOM as the browser serialises it"
        markup = dumped
    check_page(Page.of(markup))


def test_the_page_shows_the_implementation_and_the_gate(tmp_path: Path) -> None:
    report = sample_report(implementation={"name": "clone", "version": "1.2.3"})
    page = Page.of(html.write(report))
    assert "Implementation judged: clone 1.2.3" in " ".join(e.text for e in page.find("p"))
    assert [e.text for e in page.find("b") if e.text.startswith("Gate")] == ["Gate: FAILED"]
    assert "Implementation judged" not in html.write(sample_report())


def test_a_report_without_an_endpoint_url_replays_to_a_variable_endpoint() -> None:
    report = sample_report(endpoint_url="embedded, one per pytest process", region=None)
    page = Page.of(html.write(report))
    replay = next(e.text for e in page.find("pre") if e.attrs.get("class") == "curl")
    words = shlex.split(replay)
    assert words[-1] == "$ENDPOINT_URL/"
    assert words[words.index("--aws-sigv4") + 1] == "aws:amz:$AWS_REGION:comprehend"
    assert "set ENDPOINT_URL" in " ".join(e.text for e in page.find("p"))


def test_distinct_tests_get_distinct_anchors() -> None:
    report = sample_report()
    twin = json.loads(json.dumps(report["tests"][0]))
    twin["nodeid"], twin["outcome"] = FAILING_TEST.replace(" ", "-"), "failed"
    report["tests"].append(twin)
    page = Page.of(html.write(report))
    anchors = [e.attrs["id"] for e in page.within("failures", "li") if "id" in e.attrs]
    assert len(set(anchors)) == len(anchors) == 3


def test_an_expected_failure_is_in_the_failures_view_with_its_reason_and_an_issue_that_is_not_a_link(
    tmp_path: Path,
) -> None:
    expectations = tmp_path / "expected.toml"
    expectations.write_text(
        '[[deviation]]\nclause = "REQ-JOBID-PATTERN"\nreason = "rejects `日本語`"\n'
        'issue = "https://example.com/issues/1"\n',
        encoding="utf-8",
    )
    page = Page.of(html.write(sample_report(expectations)))
    article = page.find("article", id="failure-REQ-JOBID-PATTERN-StopSentimentDetectionJob")[0]
    assert article.text.split()[0] == "EXPECTED_FAIL"
    assert "Expected to fail: rejects 日本語 (https://example.com/issues/1)" in " ".join(article.text.split())
    assert "日本語" in [e.text for e in page.within("failure-REQ-JOBID-PATTERN-StopSentimentDetectionJob", "code")]
    assert not [a for a in page.find("a") if "example.com" in a.attrs.get("href", "")]
