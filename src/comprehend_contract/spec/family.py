"""The job family: ``family.toml`` (the seven Comprehend job types whose Stop operations share one contract) loaded
as value objects.

Every part of the kit reads the job types from here: which operations a type has, what its Describe and List
answers are called, which members its request and response bodies have (the common ones and the type's
differences, resolved into ``JobType.bodies``), where and in which form its output is written, what an output
record looks like, its limits, quotas and price. ``family()`` lists them in the file's order, ``Sentiment`` first
(the seed operation comes first everywhere). This module is the only place that reads the file.
"""

from __future__ import annotations

import difflib
import enum
import functools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
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
class Member:
    """One member of a request or response body and its shape: a ``$def`` of ``schemas/definitions.json``."""

    name: str
    shape: str


@dataclass(frozen=True, slots=True)
class Body:
    """The members of one request or response body, in order, and the names of the required ones."""

    members: tuple[Member, ...] = ()
    required: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.members)

    def shape_of(self, name: str) -> str | None:
        """The shape of member ``name``, or None if the body has no such member."""
        return next((member.shape for member in self.members if member.name == name), None)


@dataclass(frozen=True, slots=True)
class Bodies:
    """Every body of one type's four operations: the common members with the type's differences applied.

    Describe's answer is ``{<properties_member>: job_properties}``; List's is ``list_response`` plus
    ``<properties_member>List``, an array of ``job_properties``.
    """

    start: Body
    start_response: Body
    describe: Body
    list: Body
    list_response: Body
    stop: Body
    stop_response: Body
    job_properties: Body


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
    short: str = ""
    """At most six characters naming the type in a report's column heading."""
    start_with: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    """What the suite's Start requests of the type send besides input, output, role, name and token."""
    members_added: tuple[Member, ...] = ()
    """Members its Start request and its job properties have besides the common ones (Entities' recognizer ARNs)."""
    members_lacking: tuple[str, ...] = ()
    """Common members its Start request and job properties lack (PiiEntities' and Events' VolumeKmsKeyId)."""
    start_response_added: tuple[Member, ...] = ()
    """Members Start's answer has besides JobId, JobArn and JobStatus (Entities' EntityRecognizerArn)."""
    job_properties_retyped: tuple[Member, ...] = ()
    """Common job-properties members of another shape for this type (PiiEntities' OutputDataConfig)."""
    bodies: Bodies | None = None
    """Its bodies, resolved from the family file's ``[common]`` table and the differences above (None: no table)."""

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


LANGUAGE_MEMBER = "LanguageCode"
"""The member a type whose ``languages`` are ``[]`` does not have (DominantLanguage)."""


def _members(table: object, where: str) -> tuple[Member, ...]:
    if not isinstance(table, Mapping) or not all(
        isinstance(name, str) and isinstance(shape, str) and shape for name, shape in table.items()
    ):
        raise FamilyError(f"{where} must be a table of member = shape (a definitions.json $def name)")
    return tuple(Member(name, shape) for name, shape in table.items())


def _names(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise FamilyError(f"{where} must be a list of member names")
    return tuple(value)


def _common(table: Mapping[str, Any]) -> Bodies:
    """The family file's ``[common]`` table: the bodies every type has before its differences."""
    try:
        bodies = Bodies(
            start=Body(_members(table["start"], "[common.start]"), _names(table["start_required"], "start_required")),
            start_response=Body(_members(table["start_response"], "[common.start_response]")),
            describe=Body(
                _members(table["describe"], "[common.describe]"),
                _names(table["describe_required"], "describe_required"),
            ),
            list=Body(_members(table["list"], "[common.list]")),
            list_response=Body(_members(table["list_response"], "[common.list_response]")),
            stop=Body(_members(table["stop"], "[common.stop]"), _names(table["stop_required"], "stop_required")),
            stop_response=Body(_members(table["stop_response"], "[common.stop_response]")),
            job_properties=Body(_members(table["job_properties"], "[common.job_properties]")),
        )
    except KeyError as missing:
        raise FamilyError(f"the [common] table lacks {missing}") from None
    for body in (bodies.start, bodies.describe, bodies.stop):
        if not set(body.required) <= set(body.names):
            raise FamilyError(
                f"[common]: required members {sorted(set(body.required) - set(body.names))} are not members"
            )
    return bodies


def _resolved_bodies(job_type: JobType, base: Bodies) -> Bodies:
    """The type's bodies: the common ones with its differences applied, each checked against the common ones."""
    name = job_type.name
    shared = set(base.start.names) | set(base.job_properties.names)
    dropped = set(job_type.members_lacking) | (set() if job_type.has_language else {LANGUAGE_MEMBER})
    if LANGUAGE_MEMBER in job_type.members_lacking:
        raise FamilyError(f"job type {name!r}: say that it has no {LANGUAGE_MEMBER} with languages = []")
    if unknown := sorted(set(job_type.members_lacking) - shared):
        raise FamilyError(f"job type {name!r}: members_lacking names members no common body has: {unknown}")
    if clash := sorted({member.name for member in job_type.members_added} & shared):
        raise FamilyError(f"job type {name!r}: members_added names common members: {clash}")
    if clash := sorted({m.name for m in job_type.start_response_added} & set(base.start_response.names)):
        raise FamilyError(f"job type {name!r}: start_response_added names common members: {clash}")
    retyped = {member.name: member.shape for member in job_type.job_properties_retyped}
    if unknown := sorted(retyped.keys() - (set(base.job_properties.names) - dropped)):
        raise FamilyError(f"job type {name!r}: job_properties_retyped names members its job properties lack: {unknown}")

    def kept(members: tuple[Member, ...]) -> tuple[Member, ...]:
        return tuple(Member(m.name, retyped.get(m.name, m.shape)) for m in members if m.name not in dropped)

    start = Body(
        tuple(m for m in base.start.members if m.name not in dropped) + job_type.members_added,
        base.start.required + job_type.start_required,
    )
    if missing := sorted(set(start.required) - set(start.names)):
        raise FamilyError(f"job type {name!r}: start_required names members its Start request lacks: {missing}")
    return Bodies(
        start=start,
        start_response=Body(base.start_response.members + job_type.start_response_added),
        describe=base.describe,
        list=base.list,
        list_response=base.list_response,
        stop=base.stop,
        stop_response=base.stop_response,
        job_properties=Body(kept(base.job_properties.members) + job_type.members_added),
    )


def _job_type(entry: Mapping[str, Any], defaults: Mapping[str, Any], common: Bodies | None = None) -> JobType:
    merged = {**defaults, **entry}
    where = f"job type {entry.get('name', entry)!r}"
    try:
        rates = dict(merged["requests_per_second"])
        job_type = JobType(
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
            start_with=dict(merged.get("start_with", {})),
            short=str(merged.get("short", merged["name"][:6]))[:6],
            members_added=_members(merged.get("members_added", {}), f"{where}: members_added"),
            members_lacking=_names(merged.get("members_lacking", []), f"{where}: members_lacking"),
            start_response_added=_members(merged.get("start_response_added", {}), f"{where}: start_response_added"),
            job_properties_retyped=_members(
                merged.get("job_properties_retyped", {}), f"{where}: job_properties_retyped"
            ),
        )
    except KeyError as missing:
        raise FamilyError(f"{where} lacks field {missing}") from None
    except FamilyError:
        raise
    except ValueError as bad:
        raise FamilyError(f"{where}: {bad}") from None
    if common is None:
        return job_type
    return replace(job_type, bodies=_resolved_bodies(job_type, common))


def parse_family(text: str) -> Family:
    """Build the family from the TOML ``text`` of a family file."""
    data = tomllib.loads(text)
    defaults = data.get("defaults", {})
    common = _common(data["common"]) if "common" in data else None
    types = tuple(_job_type(entry, defaults, common) for entry in data.get("type", []))
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
