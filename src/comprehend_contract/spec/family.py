"""The job family: ``family.toml`` (the seven Comprehend job types whose Stop operations share one contract) loaded
as value objects.

Every part of the kit reads the job types from here: which operations a type has, what its Describe and List
answers are called, where and in which form its output is written, what an output record looks like, its limits,
quotas and price. ``FAMILY`` lists them in the file's order, ``Sentiment`` first (the seed operation comes first
everywhere). This module is the only place that reads the file.
"""

from __future__ import annotations

import difflib
import enum
import functools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

VERBS = ("start", "describe", "list", "stop")
"""The four operations of every type, in the order a job meets them."""


class OutputForm(enum.StrEnum):
    """A documented form of a job's output under ``<S3Uri>/<account>-<CODE>-<JobId>/output/``."""

    ARCHIVE = "archive"
    """``output/output.tar.gz`` holding one JSON-lines file named ``output``."""
    ARCHIVE_OF_FILES = "archive-of-files"
    """``output/output.tar.gz`` holding one JSON-lines file ``<input>.out`` per input file."""
    FILES = "files"
    """Plain files under ``output/``, one ``<input>.out`` per input file (no archive)."""

    @property
    def archived(self) -> bool:
        return self is not OutputForm.FILES


class FamilyError(ValueError):
    """The family file itself is malformed (a missing field, a duplicate type, an unknown output form)."""


class UnknownJobType(KeyError):
    """A job type name that is not in the family (a typo), with the closest names."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(name)
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"unknown job type {self.name!r}{hint} (the family: {', '.join(t.name for t in family())})"


@dataclass(frozen=True, slots=True)
class RequestRates:
    """Requests per second a run may send for each of a type's operations (``--target aws``)."""

    start: float
    stop: float
    describe: float
    list: float


@dataclass(frozen=True, slots=True)
class JobType:
    """One job type of the family: its operations, members, output and limits (``family.toml``)."""

    name: str
    start: str
    describe: str
    list: str
    stop: str
    properties_member: str
    arn_resource: str
    start_required: tuple[str, ...]
    languages: tuple[str, ...]
    output_codes: tuple[str, ...]
    output_forms: tuple[OutputForm, ...]
    record_schema: str
    max_document_bytes: int
    active_jobs_quota: int
    requests_per_second: RequestRates
    price_per_unit: float
    price_source: str
    analysis: str
    event_types: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def list_member(self) -> str:
        """The member of List's answer that holds the jobs."""
        return self.properties_member + "List"

    @property
    def operations(self) -> tuple[str, str, str, str]:
        """Start, Describe, List, Stop."""
        return (self.start, self.describe, self.list, self.stop)

    @property
    def has_language(self) -> bool:
        """Whether the type's jobs have a ``LanguageCode`` (DominantLanguage's do not)."""
        return bool(self.languages)

    @property
    def output_code(self) -> str:
        """The documented folder code (the first reading)."""
        return self.output_codes[0]

    @property
    def price_documented(self) -> bool:
        """Whether the default price has a known source (else it is a placeholder to set)."""
        return not self.price_source.startswith("unknown")

    def verb_of(self, operation: str) -> str | None:
        """``start``, ``describe``, ``list`` or ``stop`` if ``operation`` is one of this type's, else None."""
        for verb, named in zip(VERBS, self.operations, strict=True):
            if named == operation:
                return verb
        return None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Family:
    """The job types, in the family file's order (the seed type, Sentiment, first)."""

    types: tuple[JobType, ...]

    def __post_init__(self) -> None:
        names = [job_type.name for job_type in self.types]
        if len(set(names)) != len(names):
            raise FamilyError(f"a job type appears twice in the family: {names}")
        operations = [operation for job_type in self.types for operation in job_type.operations]
        if len(set(operations)) != len(operations):
            raise FamilyError("two job types name the same operation")

    def __iter__(self) -> Iterator[JobType]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)

    @property
    def seed(self) -> JobType:
        """The type the kit began with and lists first everywhere: Sentiment."""
        return self.types[0]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(job_type.name for job_type in self.types)

    def get(self, name: str) -> JobType:
        """The type ``name`` (case and ``-``/``_`` insensitive: ``key-phrases`` is KeyPhrases); ``UnknownJobType``."""
        wanted = _folded(name)
        for job_type in self.types:
            if _folded(job_type.name) == wanted:
                return job_type
        close = difflib.get_close_matches(wanted, [_folded(n) for n in self.names], n=2, cutoff=0.6)
        suggestions = tuple(n for n in self.names if _folded(n) in close)
        raise UnknownJobType(name, suggestions)

    def of_operation(self, operation: str) -> JobType | None:
        """The type whose operation ``operation`` is, if any."""
        for job_type in self.types:
            if job_type.verb_of(operation) is not None:
                return job_type
        return None

    def operations(self) -> tuple[str, ...]:
        """Every operation of every type: each type's Start, Describe, List and Stop, the types in order."""
        return tuple(operation for job_type in self.types for operation in job_type.operations)

    def stops(self) -> tuple[str, ...]:
        """The seven Stop operations, StopSentimentDetectionJob first."""
        return tuple(job_type.stop for job_type in self.types)


def _folded(name: str) -> str:
    return name.replace("-", "").replace("_", "").replace(" ", "").lower()


def _job_type(entry: Mapping[str, Any], defaults: Mapping[str, Any]) -> JobType:
    merged = {**defaults, **entry}
    try:
        rates = dict(merged["requests_per_second"])
        return JobType(
            name=merged["name"],
            start=merged["start"],
            describe=merged["describe"],
            list=merged["list"],
            stop=merged["stop"],
            properties_member=merged["properties_member"],
            arn_resource=merged["arn_resource"],
            start_required=tuple(merged["start_required"]),
            languages=tuple(merged["languages"]),
            output_codes=tuple(merged["output_codes"]),
            output_forms=tuple(OutputForm(form) for form in merged["output_forms"]),
            record_schema=merged["record_schema"],
            max_document_bytes=int(merged["max_document_bytes"]),
            active_jobs_quota=int(merged["active_jobs_quota"]),
            requests_per_second=RequestRates(**{verb: float(rates[verb]) for verb in VERBS}),
            price_per_unit=float(merged["price_per_unit"]),
            price_source=merged["price_source"],
            analysis=merged["analysis"],
            event_types=tuple(merged.get("event_types", ())),
            notes=tuple(merged.get("notes", ())),
        )
    except KeyError as missing:
        raise FamilyError(f"job type {entry.get('name', entry)!r} lacks field {missing}") from None
    except ValueError as bad:
        raise FamilyError(f"job type {entry.get('name', entry)!r}: {bad}") from None


def parse_family(text: str) -> Family:
    """Build the family from the TOML ``text`` of a family file."""
    data = tomllib.loads(text)
    defaults = data.get("defaults", {})
    types = tuple(_job_type(entry, defaults) for entry in data.get("type", []))
    if not types:
        raise FamilyError("the family file names no job type")
    return Family(types)


@functools.cache
def family() -> Family:
    """The kit's job family, read once."""
    text = resources.files("comprehend_contract.spec").joinpath("family.toml").read_text(encoding="utf-8")
    return parse_family(text)


def job_type(name: str) -> JobType:
    """The job type ``name``; ``UnknownJobType`` (with the closest names) if the family has none."""
    return family().get(name)
