"""Conformance reports: one report document per run (``schemas/report.json``) and one writer per format.

``model`` builds the document from the plugin's verdict book, ``expectations`` applies a target's known
deviations (the CI gate), ``redact`` removes secrets, and ``writers`` render JSON, Markdown, JUnit XML, HTML (through
the templates of ``rendering``) and an SVG badge; ``exchanges`` shows an exchange of the evidence as HTTP messages and
a ``curl`` that replays it. ``compare`` renders several reports side by side.
"""

from comprehend_contract.reports.expectations import Expectations, ExpectationsError, load_expectations
from comprehend_contract.reports.model import build_report
from comprehend_contract.reports.redact import REDACTED, Redactor
from comprehend_contract.reports.writers import write_reports

__all__ = [
    "REDACTED",
    "Expectations",
    "ExpectationsError",
    "Redactor",
    "build_report",
    "load_expectations",
    "write_reports",
]
