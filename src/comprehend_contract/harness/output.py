"""Judging a job's output: where it is, in which documented form, and whether each record is one of its type's.

Used by the contract tests of LIFE-OUTPUT-LOCATION, LIFE-OUTPUT-RECORD and STOP-OUTPUT, for every job type: the
type's documented folder code(s) and output form(s) (``spec.family``), and its record schema
(``schemas/<record_schema>.json``) plus what a schema cannot say: offsets lie within the document they point
into, and ``Text`` is the document's text between them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from comprehend_contract.spec import validator_for
from comprehend_contract.spec.family import JobType, OutputForm

ARCHIVE_NAME = "output.tar.gz"


def expected_locations(job_type: JobType, given: str, account: str, job_id: str) -> list[str]:
    """Every documented ``OutputDataConfig.S3Uri`` of a ``job_type`` job: ``<S3Uri given to Start>/<account>-<CODE>-
    <JobId>/output/`` with each of the type's codes, and ``output.tar.gz`` in it for each archived form."""
    found = []
    for code in job_type.output_codes:
        folder = f"{given.rstrip('/')}/{account}-{code}-{job_id}/output/"
        for form in job_type.output_forms:
            found.append(folder + (ARCHIVE_NAME if form.archived else ""))
    return list(dict.fromkeys(found))


def _offsets(node: Any) -> Iterator[dict[str, Any]]:
    """Every object of a record that carries ``BeginOffset``."""
    if isinstance(node, dict):
        if "BeginOffset" in node:
            yield node
        for value in node.values():
            yield from _offsets(value)
    elif isinstance(node, list):
        for item in node:
            yield from _offsets(item)


def record_problems(job_type: JobType, record: Any, documents: Mapping[str, Sequence[str]]) -> list[str]:
    """What is wrong with one output record of ``job_type``: its shape (the type's record schema, or the error
    record), and its offsets against the document it names (``documents``: input file -> each line's text): within
    it, delimiting the entity's ``Text`` where the record gives it, else delimiting words (no empty span, no white
    space at either end)."""
    errors = [error.message for error in validator_for(job_type.record_schema).iter_errors(record)]
    if errors or not isinstance(record, dict) or "ErrorCode" in record:
        return errors[:2]
    lines = documents.get(str(record.get("File")))
    line = record.get("Line", 0)
    if lines is None or not isinstance(line, int) or not 0 <= line < len(lines):
        return [f"the record names no document of the input (File {record.get('File')!r}, Line {line!r})"]
    document = lines[line]
    problems = []
    for node in _offsets(record):
        begin, end = node.get("BeginOffset"), node.get("EndOffset")
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= len(document)):
            problems.append(f"offsets {begin}..{end} do not lie within the {len(document)}-character document")
        elif "Text" in node and node["Text"] != document[begin:end]:
            problems.append(
                f"Text {node['Text']!r} is not the document's text {document[begin:end]!r} at {begin}..{end}"
            )
        elif "Text" not in node and (begin == end or document[begin:end] != document[begin:end].strip()):
            problems.append(  # PII's records name an entity by its offsets alone: they must delimit a word or words
                f"offsets {begin}..{end} delimit {document[begin:end]!r}: an entity is neither empty nor begins or "
                "ends with white space"
            )
    return problems


def documented_form(job_type: JobType, form: str) -> bool:
    """Whether ``form`` (as the drivers found it) is one the documents give for ``job_type``."""
    return form in {str(documented) for documented in job_type.output_forms}


__all__ = ["ARCHIVE_NAME", "OutputForm", "documented_form", "expected_locations", "record_problems"]
