"""Events from trigger words, with arguments chosen among the entities of the trigger's sentence by type and place.

Entities: the entities analysis's spans recast as the events types (a ``LOCATION`` ending in ``Airport``, ``Tower``
and the like is a ``FACILITY``; a ``QUANTITY`` with a currency is a ``MONETARY_VALUE``; a capitalised name the
entities analysis could not type is a ``PERSON`` when it is the surname of a person named before, else taken for an
``ORGANIZATION``, the usual case in business news), plus job titles (``PERSON_TITLE``) and tickers after an exchange
name or ISINs (``STOCK_CODE``). Mentions with the same text (and a person's surname after the full name) are grouped
into one entity.

Events: in each sentence, the trigger words of each asked-for type (``acquired``, ``merger``, ``filed for
bankruptcy``, ``hired``, ``IPO``, ...) make one event of that type. Its arguments, with the roles of the developer
guide's "Argument types" tables: the party before the trigger and the one after it (swapped after ``by``: ``was
acquired by``) as INVESTOR and INVESTEE, FILER, EMPLOYEE and EMPLOYER, OFFEROR and OFFEREE, COMPANY; every
organization as a merger's PARTICIPANT; the sentence's first money, date and place as AMOUNT (or OFFERING_AMOUNT,
SHARE_PRICE before ``per share``), DATE (START_DATE, END_DATE, OFFERING_DATE) and PLACE; a ratio as SPLIT_RATIO.

It does not attempt: events across sentences, pronouns (``it acquired``), negation or tense (``did not acquire``,
``plans to acquire`` are events), or roles without a rule here (RECORD_DATE, EXPIRE_DATE, SELLING_AGENT,
UNDERWRITERS, INVESTOR of offerings, OFFEROR_TOTAL_VALUE, NEW_COMPANY). Scores are fixed confidences.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

from comprehend_contract.reference.analysis import lexicon
from comprehend_contract.reference.analysis.entities import find_entities, find_person_titles
from comprehend_contract.reference.analysis.settings import Settings
from comprehend_contract.reference.analysis.text import Found, keep_non_overlapping, sentences

EVENT_ENTITY_TYPES = (
    "DATE",
    "FACILITY",
    "LOCATION",
    "MONETARY_VALUE",
    "ORGANIZATION",
    "PERSON",
    "PERSON_TITLE",
    "QUANTITY",
    "STOCK_CODE",
)
"""The developer guide's entity types for events."""

ROLES = {
    "BANKRUPTCY": ("FILER", "DATE", "PLACE"),
    "EMPLOYMENT": ("EMPLOYEE", "EMPLOYEE_TITLE", "EMPLOYER", "END_DATE", "START_DATE"),
    "CORPORATE_ACQUISITION": ("AMOUNT", "INVESTEE", "INVESTOR", "DATE", "PLACE"),
    "INVESTMENT_GENERAL": ("AMOUNT", "INVESTEE", "INVESTOR", "DATE", "PLACE"),
    "CORPORATE_MERGER": ("DATE", "NEW_COMPANY", "PARTICIPANT"),
    **dict.fromkeys(
        ("IPO", "RIGHTS_ISSUE", "SECONDARY_OFFERING", "SHELF_OFFERING", "TENDER_OFFERING"),
        (
            "EXPIRE_DATE",
            "INVESTOR",
            "OFFEREE",
            "OFFERING_AMOUNT",
            "OFFERING_DATE",
            "OFFEROR",
            "OFFEROR_TOTAL_VALUE",
            "RECORD_DATE",
            "SELLING_AGENT",
            "SHARE_PRICE",
            "SHARE_QUANTITY",
            "UNDERWRITERS",
        ),
    ),
    "STOCK_SPLIT": ("COMPANY", "DATE", "SPLIT_RATIO"),
}
"""Each event type's argument roles (the developer guide's "Argument types" tables); the keys are the event types."""

_TRIGGERS = {
    "BANKRUPTCY": r"bankrupt(?:cy|cies)?|insolven(?:t|cy)|chapter (?:11|7)|liquidation|receivership",
    "EMPLOYMENT": (
        r"hire[sd]?|hiring|appoint(?:s|ed|ing|ment)?|join(?:s|ed|ing)|promot(?:es|ed|ing|ion)|recruit(?:s|ed|ing)?|"
        r"employ(?:s|ed|ing|ment)?|works? (?:at|for)|worked (?:at|for)|fire[sd]|firing|resign(?:s|ed|ing|ation)?|"
        r"retire[sd]?|retiring|retirement|step(?:s|ped)? down|laid off|dismiss(?:es|ed|al)?|ousted"
    ),
    "CORPORATE_ACQUISITION": (
        r"acquir(?:e|es|ed|ing)|acquisitions?|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|takeovers?|"
        r"take(?:s)? over|took over|buyouts?"
    ),
    "CORPORATE_MERGER": r"merg(?:e|es|ed|ing|er|ers)",
    "INVESTMENT_GENERAL": r"invest(?:s|ed|ing|ments?)?|stake in|funding",
    "IPO": r"(?-i:IPOs?)|initial public offerings?|went public|go(?:es|ing)? public",
    "RIGHTS_ISSUE": r"rights (?:issues?|offerings?)",
    "SECONDARY_OFFERING": r"secondary (?:offerings?|sales?)|follow-on offerings?",
    "SHELF_OFFERING": r"shelf (?:offerings?|registrations?)",
    "TENDER_OFFERING": r"tender offers?|tender offerings?",
    "STOCK_SPLIT": r"(?:reverse )?(?:stock|share) splits?|split (?:its|the) (?:stock|shares)",
}
_ENDING_EMPLOYMENT = regex.compile(r"(?i)fire|resign|retir|step|laid|dismiss|oust")
_EMPLOYER_ACTS = regex.compile(r"(?i)hire|appoint|promot|recruit|employ|fire|dismiss|oust|laid")
_PARTIES = ("ORGANIZATION", "PERSON")
_EXCHANGES = frozenset({"NYSE", "NASDAQ", "Nasdaq", "LSE", "TSX", "AMEX"})
_STOCK_CODE = regex.compile(
    r"(?<=(?:NYSE|NASDAQ|Nasdaq|LSE|TSX|AMEX|NYSE American)[ \t]*:[ \t]*)[A-Z]{1,5}(?:\.[A-Z])?(?![\p{L}\p{N}])"
    r"|(?<![\p{L}\p{N}])[A-Z]{2}[A-Z0-9]{9}\d(?![\p{L}\p{N}])"
)
_RATIO = regex.compile(r"\d+[ \t]?(?:-for-|[ \t]for[ \t]|:)[ \t]?\d+")


@dataclass(frozen=True, slots=True)
class _Mention:
    """One mention and the index of the entity (group of mentions) it belongs to."""

    found: Found
    entity: int


def detect_events(text: str, settings: Settings) -> dict[str, Any]:
    """The ``Entities`` and ``Events`` of one document: only events of ``settings.target_event_types``."""
    patterns = _trigger_patterns()
    triggers = {
        kind: [Found(m.start(), m.end(), kind, 0.9) for m in patterns[kind].finditer(text)]
        for kind in settings.target_event_types
        if kind in patterns
    }
    groups, mentions = _entities(text, [t for found in triggers.values() for t in found])
    events = [event for begin, end in sentences(text) for event in _events_in(text, begin, end, mentions, triggers)]
    return {
        "Entities": [
            {
                "Mentions": [
                    {
                        "Text": text[m.found.begin : m.found.end],
                        "Type": m.found.type,
                        "Score": m.found.score,
                        "GroupScore": 1.0 if i == 0 else 0.9,
                        "BeginOffset": m.found.begin,
                        "EndOffset": m.found.end,
                    }
                    for i, m in enumerate(group)
                ]
            }
            for group in groups
        ],
        "Events": events,
    }


def _entities(text: str, triggers: list[Found]) -> tuple[list[list[_Mention]], list[_Mention]]:
    """The event-type mentions of ``text`` (none where a trigger word is), grouped into entities in the order of
    their first mention."""
    candidates = [*triggers, *_stock_codes(text), *find_person_titles(text), *_recast(text)]
    found = [f for f in keep_non_overlapping(candidates) if f.type in (*EVENT_ENTITY_TYPES, "OTHER")]
    groups: list[list[_Mention]] = []
    keys: dict[tuple[str, str], int] = {}
    mentions: list[_Mention] = []
    for span in found:
        spelled = text[span.begin : span.end].lower()
        if span.type == "OTHER":
            named = ("PERSON", spelled) in keys
            span = Found(span.begin, span.end, "PERSON" if named else "ORGANIZATION", 0.7 if named else 0.5)
        index = keys.get((span.type, spelled))
        if index is None:
            index = len(groups)
            groups.append([])
            keys[(span.type, spelled)] = index
            if span.type == "PERSON" and " " in spelled:
                keys.setdefault(("PERSON", spelled.split()[-1]), index)
        mention = _Mention(span, index)
        groups[index].append(mention)
        mentions.append(mention)
    return groups, mentions


def _recast(text: str) -> Iterator[Found]:
    for found in find_entities(text):
        spelled = text[found.begin : found.end]
        if found.type in ("PERSON", "ORGANIZATION", "DATE"):
            yield found
        elif found.type == "LOCATION":
            facility = spelled.split()[-1] in lexicon.FACILITY_SUFFIXES
            yield Found(found.begin, found.end, "FACILITY" if facility else "LOCATION", found.score)
        elif found.type == "QUANTITY":
            money = any(c in lexicon.CURRENCY_SYMBOLS for c in spelled) or any(
                w in lexicon.CURRENCY_WORDS for w in spelled.split()
            )
            yield Found(found.begin, found.end, "MONETARY_VALUE" if money else "QUANTITY", found.score)
        elif found.type == "OTHER":
            yield found


def _stock_codes(text: str) -> Iterator[Found]:
    from stdnum import isin

    for match in _STOCK_CODE.finditer(text):
        if len(match.group()) == 12 and not isin.is_valid(match.group()):
            continue
        yield Found(match.start(), match.end(), "STOCK_CODE", 0.9)


@functools.cache
def _trigger_patterns() -> dict[str, regex.Pattern[str]]:
    return {
        kind: regex.compile(rf"(?i)(?<![\p{{L}}\p{{M}}\p{{N}}])(?:{words})(?![\p{{L}}\p{{M}}\p{{N}}])")
        for kind, words in _TRIGGERS.items()
    }


def _events_in(
    text: str, begin: int, end: int, mentions: list[_Mention], triggers: dict[str, list[Found]]
) -> Iterator[dict[str, Any]]:
    here = [m for m in mentions if begin <= m.found.begin and m.found.end <= end]
    for kind, found in triggers.items():
        inside = [t for t in found if begin <= t.begin and t.end <= end]
        if not inside:
            continue
        arguments = _arguments(text, kind, inside[0], here)
        yield {
            "Type": kind,
            "Arguments": [{"EntityIndex": index, "Role": role, "Score": 0.8} for index, role in arguments],
            "Triggers": [
                {
                    "Text": text[t.begin : t.end],
                    "Type": kind,
                    "Score": t.score,
                    "GroupScore": 1.0 if i == 0 else 0.9,
                    "BeginOffset": t.begin,
                    "EndOffset": t.end,
                }
                for i, t in enumerate(inside)
            ],
        }


def _arguments(text: str, kind: str, trigger: Found, here: list[_Mention]) -> list[tuple[int, str]]:
    """(entity index, role) pairs for one event, from the mentions of its sentence."""
    actors = [m for m in here if text[m.found.begin : m.found.end] not in _EXCHANGES]
    before = [m for m in actors if m.found.end <= trigger.begin]
    after = [m for m in actors if m.found.begin >= trigger.end]
    word = text[trigger.begin : trigger.end]

    def nearest_before(*types: str) -> _Mention | None:
        return next((m for m in reversed(before) if m.found.type in types), None)

    def nearest_after(*types: str) -> _Mention | None:
        return next((m for m in after if m.found.type in types), None)

    def first(*types: str) -> _Mention | None:
        return next((m for m in here if m.found.type in types), None)

    roles: list[tuple[_Mention | None, str]] = []
    agent, patient = nearest_before(*_PARTIES), nearest_after(*_PARTIES)
    passive = patient is not None and regex.search(r"(?i)\bby\b", text[trigger.end : patient.found.begin])
    if passive:
        agent, patient = patient, agent
    if kind in ("CORPORATE_ACQUISITION", "INVESTMENT_GENERAL"):
        roles += [(agent, "INVESTOR"), (patient, "INVESTEE"), (first("MONETARY_VALUE"), "AMOUNT")]
        roles += [(first("DATE"), "DATE"), (first("LOCATION", "FACILITY"), "PLACE")]
    elif kind == "BANKRUPTCY":
        roles += [(agent or patient, "FILER"), (first("DATE"), "DATE"), (first("LOCATION", "FACILITY"), "PLACE")]
    elif kind == "CORPORATE_MERGER":
        roles += [(m, "PARTICIPANT") for m in here if m.found.type == "ORGANIZATION"]
        roles += [(first("DATE"), "DATE")]
    elif kind == "EMPLOYMENT":
        ending = _ENDING_EMPLOYMENT.match(word) is not None
        if _EMPLOYER_ACTS.match(word) and not passive:
            employee = nearest_after("PERSON") or nearest_before("PERSON")
            employer = nearest_before("ORGANIZATION") or nearest_after("ORGANIZATION")
        else:
            employee = nearest_before("PERSON") or nearest_after("PERSON")
            employer = nearest_after("ORGANIZATION") or nearest_before("ORGANIZATION")
        roles += [(employee, "EMPLOYEE"), (employer, "EMPLOYER")]
        roles += [(first("PERSON_TITLE"), "EMPLOYEE_TITLE"), (first("DATE"), "END_DATE" if ending else "START_DATE")]
    elif kind == "STOCK_SPLIT":
        ratio = next(
            (m for m in here if m.found.type == "QUANTITY" and _RATIO.search(text, m.found.begin, m.found.end)), None
        )
        roles += [(nearest_before("ORGANIZATION") or nearest_after("ORGANIZATION"), "COMPANY")]
        roles += [(first("DATE"), "DATE"), (ratio, "SPLIT_RATIO")]
    else:
        roles += _offering_roles(text, kind, here, nearest_before("ORGANIZATION"), nearest_after("ORGANIZATION"))
    chosen: list[tuple[int, str]] = []
    for mention, role in roles:
        if mention is not None and (mention.entity, role) not in chosen:
            chosen.append((mention.entity, role))
    return chosen


def _offering_roles(
    text: str, kind: str, here: list[_Mention], before: _Mention | None, after: _Mention | None
) -> list[tuple[_Mention | None, str]]:
    roles: list[tuple[_Mention | None, str]] = [(before or after, "OFFEROR")]
    if kind == "TENDER_OFFERING" and before is not None:
        roles.append((after, "OFFEREE"))
    for mention in here:
        following = text[mention.found.end : mention.found.end + 16]
        if mention.found.type == "MONETARY_VALUE":
            per_share = regex.match(r"(?i)[ \t]*(?:per|a|each)[ \t]+share", following) is not None
            roles.append((mention, "SHARE_PRICE" if per_share else "OFFERING_AMOUNT"))
        elif mention.found.type == "QUANTITY" and regex.search(
            r"(?i)shares", text[mention.found.begin : mention.found.end] + following[:12]
        ):
            roles.append((mention, "SHARE_QUANTITY"))
        elif mention.found.type == "DATE":
            roles.append((mention, "OFFERING_DATE"))
    return roles
