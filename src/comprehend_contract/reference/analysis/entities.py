"""Named entities from rules: date, number and quote patterns, then runs of capitalised words typed by word lists.

The rules, strongest first (a weaker rule's span that overlaps a stronger one's is dropped):

1. ``TITLE``: at most eight title-case words in double quotes (a work's name: ``"The Great Gatsby"``; quoted speech,
   which is not in title case or ends in punctuation, is not one).
2. ``DATE``: month and weekday names with their day and year, numeric dates, times, decades, four-digit years from
   1600 to 2099, and relative dates (``yesterday``, ``el año pasado``), in English, Spanish and a little more.
3. ``QUANTITY``: money (``$4.2 billion``, ``20 €``), and numbers or number words with a unit (``5 kg``, ``three
   years``, ``20%``).
4. Runs of capitalised words (joined by ``of``, ``de``, ``&`` and the like, and ``, Inc.``), each typed as a whole (a
   job title that opens one, ``Senior Vice President of``, is left out): a well-known name (``lexicon``); a company's
   web name (``Amazon.com``); a telling last or first word (``Acme Corp``, ``Columbia River``, ``Bank of Spain``,
   ``Sea-Tac Airport``, ``Glastonbury Festival``); a person when an honorific precedes it or its first word is a
   common first name (``John Smith``); a place after ``in``/``from``; an acronym is an organization; any other run
   that does not open a sentence is ``OTHER``. A run that opens a sentence loses its first word when only that keeps
   it from being typed (``Yesterday``, ``The``).
5. Well-known products and names written in lower case first (``iPhone 12``, ``eBay``).
6. Any other number is a ``QUANTITY``.

It does not attempt: scripts without letter case (Arabic, Hindi, Chinese, Japanese, Korean: only their dates and
numbers in digits are found), lower-case names, nested entities, or telling ``May`` the month from ``May`` the name.
Scores are the rule's fixed confidence, not a probability.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from comprehend_contract.reference.analysis import lexicon
from comprehend_contract.reference.analysis.settings import Settings
from comprehend_contract.reference.analysis.text import Found, keep_non_overlapping

ENTITY_TYPES = ("PERSON", "LOCATION", "ORGANIZATION", "COMMERCIAL_ITEM", "EVENT", "DATE", "QUANTITY", "TITLE", "OTHER")
"""The prebuilt recognizer's entity types (the service model's ``EntityType``)."""

_CONNECTORS = "of|of the|de|del|de la|de los|de las|la|las|los|von|van|van der|der|da|do|dos|du|di|le|&"
_CAPITALISED = r"\p{Lu}[\p{L}\p{M}\p{N}]*(?:['\u2019\-.&][\p{L}\p{M}\p{N}]+)*"
_QUOTES = "\"'\u201c\u201d\u2019\u00ab\u00bb()[]"
_STOPS = ".!?:;\n\r\u3002\uff01\uff1f"
_STARTS = regex.compile(r"(?<![\p{L}\p{M}\p{N}])[\p{L}\p{N}][\p{L}\p{M}]*|[$€£¥₹]")
_HONORIFIC_BEFORE = regex.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Sr|Sra|Srta|Don|Doña|Herr|Frau)\.?[ \t]+$")
_PLACE_CUE_BEFORE = regex.compile(r"(?:^|[^\p{L}])(?:in|from|near|en|desde|cerca de|à|nach|aus)[ \t]+$")
_RUN_WORD = regex.compile(_CAPITALISED + r"|&|\p{L}+")
_HEAD_OF = regex.compile(r"\S+ (?:of|de) ")
_WEB_NAME = regex.compile(r"\p{Lu}[\p{L}\p{N}-]*\.(?:com|net|org|io)")
_PERSON_TITLE_RUN = regex.compile(
    r"(?:(?:Senior|Executive|Deputy|Former|Acting|Chief)[ \t]+)*(?:Vice[ \t]+)?"
    r"(?:President|Chairman|Chairwoman|Director|Manager|Officer|Secretary|Minister|Governor|Senator|Mayor|"
    r"Professor|Head|Founder|CEO|CFO|COO|CTO|CIO|SVP|EVP|VP)(?:[ \t]+(?:of|de|del|at)(?=[ \t]))?"
)


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(regex.escape(phrase) for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)))


def _either_case(phrases: Iterable[str]) -> set[str]:
    """Each phrase in lower case and with a capital first letter: a case-sensitive alternation of these is faster
    than an IGNORECASE one in ``regex``, and finds the same words as they are written."""
    return {variant for phrase in phrases for variant in (phrase.lower(), phrase[:1].upper() + phrase[1:].lower())}


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The compiled rules, built once on first use (compiling the word lists takes a few milliseconds)."""

    title: regex.Pattern[str]
    dates: regex.Pattern[str]
    quantities: regex.Pattern[str]
    run: regex.Pattern[str]
    lower_initial: regex.Pattern[str]
    item_model: regex.Pattern[str]
    number: regex.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    english_months = {m for m in lexicon.MONTHS if m[0].isupper()}
    other_months = lexicon.MONTHS - english_months
    month = f"(?:{_alternation(english_months | _either_case(other_months))})"
    month_not_may = rf"(?:(?!May\b){month})"
    english_weekdays = {d for d in lexicon.WEEKDAYS if d.endswith("day") and d.isascii()}
    weekday = f"(?:{_alternation(english_weekdays | _either_case(lexicon.WEEKDAYS - english_weekdays))})"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|º)?"
    year = r"(?:1[6-9]\d\d|20\d\d)"
    edge = r"(?<![\p{L}\p{M}\p{N}])"
    end = r"(?![\p{L}\p{M}\p{N}])"
    dates = regex.compile(
        rf"{edge}(?:"
        rf"(?:{weekday},?[ \t]+)?{month}\.?[ \t]+{day}(?:,?[ \t]+{year})?"
        rf"|(?:{weekday},?[ \t]+)?{day}[ \t]+(?:de[ \t]+)?{month}(?:,?[ \t]+(?:de[ \t]+)?{year})?"
        rf"|{month}\.?,?[ \t]+(?:de[ \t]+|of[ \t]+)?{year}"
        rf"|\d{{4}}-\d\d-\d\d|\d{{1,2}}[/.]\d{{1,2}}[/.](?:\d{{4}}|\d\d)"
        rf"|\d{{1,2}}(?::\d\d)?[ \t]?(?i:[ap]\.m\.|[ap]m)|\d{{1,2}}:\d\d"
        rf"|(?:1[5-9]|20)\d0s"
        rf"|{_alternation(_either_case(lexicon.RELATIVE_DATES))}"
        rf"|{weekday}|{month_not_may}"
        rf"|(?<![$€£¥₹.,]){year}(?![.,]?\d)(?![ \t]*(?:%|percent))"
        rf"){end}"
    )
    number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
    scale = rf"(?:[ \t]?(?i:{_alternation(lexicon.SCALE_WORDS)}))"
    symbols = regex.escape(lexicon.CURRENCY_SYMBOLS)
    units = _alternation(lexicon.UNITS)
    number_words = _alternation(_either_case(lexicon.NUMBER_WORDS))
    units_any_case = _alternation({*lexicon.UNITS, *_either_case(lexicon.UNITS)})
    quantities = regex.compile(
        rf"{edge}(?:"
        rf"[{symbols}][ \t]?(?:{number}){scale}?"
        rf"|(?:{number}){scale}?[ \t]?(?:[{symbols}]|(?:{units})(?![\p{{L}}\p{{N}}]))"
        rf"|(?:{number_words})(?:[ \t-](?:{number_words}))*[ \t]+(?:{units_any_case})"
        rf"|\d+[ \t]?(?:-for-|:)[ \t]?\d+"
        rf"){end}"
    )
    connectors = "|".join(regex.escape(c) for c in sorted(_CONNECTORS.split("|"), key=len, reverse=True))
    run = regex.compile(
        rf"(?<![\p{{L}}\p{{M}}\p{{N}}'\u2019-]){_CAPITALISED}(?:[ \t]+(?:(?:{connectors})[ \t]+)?{_CAPITALISED}){{0,7}}"
        rf"(?:,[ \t]+(?:Inc|Corp|Ltd|LLC|LLP|PLC|plc|GmbH|AG|SA|S\.A)(?![\p{{L}}\p{{N}}]))?"
    )
    lower_names = [
        name
        for name in (*lexicon.ORGANIZATIONS, *lexicon.COMMERCIAL_ITEMS, *lexicon.EVENT_NAMES)
        if not name[0].isupper()
    ]
    lower_initial = regex.compile(rf"{edge}(?:{_alternation(tuple(lower_names))}){end}")
    item_model = regex.compile(r"(?:[ \t]+(?:Pro|Max|Mini|Plus|Ultra|Air|Lite|SE|XL|\d+[A-Za-z]?))+(?![\p{L}\p{N}])")
    return _Patterns(
        title=regex.compile(r"(?<=[\"“])\p{Lu}[^\"”\n]{0,80}?(?=[\"”])"),
        dates=dates,
        quantities=quantities,
        run=run,
        lower_initial=lower_initial,
        item_model=item_model,
        number=regex.compile(rf"(?<![\p{{L}}\p{{M}}\p{{N}}.,]){number}{end}"),
    )


@functools.cache
def _gazetteer() -> dict[str, tuple[str, float]]:
    """Every listed name, as written, with its type and score."""
    named: dict[str, tuple[str, float]] = {}
    for names, kind, score in (
        (lexicon.COMMERCIAL_ITEMS, "COMMERCIAL_ITEM", 0.85),
        (lexicon.EVENT_NAMES, "EVENT", 0.85),
        (lexicon.REGIONS, "LOCATION", 0.9),
        (lexicon.COUNTRIES, "LOCATION", 0.95),
        (lexicon.ORGANIZATIONS, "ORGANIZATION", 0.95),
    ):
        for name in names:
            named[name] = (kind, score)
    return named


@functools.cache
def _all_stopwords() -> frozenset[str]:
    return frozenset().union(*lexicon.STOPWORDS.values(), lexicon.DETERMINERS)


def detect_entities(text: str, settings: Settings) -> dict[str, Any]:
    """The ``Entities`` of one document: each found span with its text, type, score and offsets."""
    return {
        "Entities": [
            {
                "Text": text[f.begin : f.end],
                "Type": f.type,
                "Score": f.score,
                "BeginOffset": f.begin,
                "EndOffset": f.end,
            }
            for f in find_entities(text)
        ]
    }


def find_entities(text: str) -> list[Found]:
    """The entities of ``text`` in document order (the rules of this module's docstring)."""
    patterns = _patterns()
    starts = _starts(text)
    found = [*_pattern_entities(text, patterns, starts), *_lower_initial_entities(text, patterns)]
    fixed = keep_non_overlapping(found)
    candidates = [*fixed, *_run_entities(text, patterns, fixed)]
    candidates.extend(Found(m.start(), m.end(), "QUANTITY", 0.6) for m in _matches_at(patterns.number, text, starts))
    return keep_non_overlapping(candidates)


def _starts(text: str) -> list[int]:
    """Where a date or a quantity may begin: a digit, a currency sign, or a word that opens one (``May``, ``last``).

    Trying the date and quantity patterns only there, rather than at every character, makes them several times
    faster: most words of a document open neither."""
    openers = _openers()
    return [
        match.start() for match in _STARTS.finditer(text) if not match.group()[0].isalpha() or match.group() in openers
    ]


def _matches_at(pattern: regex.Pattern[str], text: str, starts: list[int]) -> Iterator[regex.Match[str]]:
    """The non-overlapping matches of ``pattern`` that begin at one of ``starts`` (ascending)."""
    reached = 0
    for start in starts:
        if start < reached:
            continue
        match = pattern.match(text, start)
        if match is not None:
            reached = match.end()
            yield match


def find_person_titles(text: str) -> list[Found]:
    """Job titles and honorifics (``CEO``, ``vice president``, ``Dr.``): PERSON_TITLE in events, PERSONAL_TITLE in
    targeted sentiment."""
    return [Found(m.start(), m.end(), "PERSON_TITLE", 0.85) for m in _titles().finditer(text)]


@functools.cache
def _titles() -> regex.Pattern[str]:
    acronyms = {t for t in lexicon.PERSON_TITLES if t.isupper() or t.endswith(".")}
    words = set(lexicon.PERSON_TITLES) - acronyms
    return regex.compile(
        rf"(?<![\p{{L}}\p{{M}}\p{{N}}])(?:{_alternation(acronyms)}|(?i:{_alternation(words)}))(?![\p{{L}}\p{{M}}\p{{N}}])"
    )


def _pattern_entities(text: str, patterns: _Patterns, starts: list[int]) -> Iterator[Found]:
    for match in patterns.title.finditer(text):
        if _is_title_case(match.group()):
            yield Found(match.start(), match.end(), "TITLE", 0.7)
    yield from (Found(m.start(), m.end(), "DATE", 0.9) for m in _matches_at(patterns.dates, text, starts))
    yield from (Found(m.start(), m.end(), "QUANTITY", 0.9) for m in _matches_at(patterns.quantities, text, starts))


@functools.cache
def _openers() -> frozenset[str]:
    """The words a date or a quantity may begin with, as written."""
    first_words = {phrase.split()[0] for phrase in (*lexicon.RELATIVE_DATES, *lexicon.NUMBER_WORDS)}
    return frozenset(
        {*lexicon.MONTHS, *lexicon.WEEKDAYS, *_either_case(lexicon.MONTHS | lexicon.WEEKDAYS | first_words)}
    )


def _is_title_case(quoted: str) -> bool:
    """Whether quoted words are a work's name: at most eight, every word of four letters or more capitalised, no
    closing punctuation (quoted speech is neither)."""
    words = quoted.split()
    if not 0 < len(words) <= 8 or quoted[-1] in " ,.;:!?":
        return False
    return all(word[0].isupper() or len(word) < 4 for word in words)


def _run_entities(text: str, patterns: _Patterns, fixed: list[Found]) -> Iterator[Found]:
    """Typed runs of capitalised words, skipping the parts already claimed by dates, quantities and titles."""
    first = 0
    for match in patterns.run.finditer(text):
        while first < len(fixed) and fixed[first].end <= match.start():
            first += 1
        for begin, end in _unclaimed_parts(match.start(), match.end(), fixed, first):
            yield from _typed_run(text, patterns, begin, end)


def _unclaimed_parts(begin: int, end: int, fixed: list[Found], first: int) -> Iterator[tuple[int, int]]:
    """The parts of ``text[begin:end]`` outside ``fixed`` (in document order, none of ``fixed[:first]`` reaching in)."""
    for found in fixed[first:]:
        if found.begin >= end:
            break
        if found.begin > begin:
            yield begin, found.begin
        begin = max(begin, found.end)
    if begin < end:
        yield begin, end


def _typed_run(text: str, patterns: _Patterns, begin: int, end: int) -> Iterator[Found]:
    words = [(m.start(), m.end()) for m in _RUN_WORD.finditer(text, begin, end) if text[m.start()].isupper()]
    if not words:
        return
    begin, end = words[0][0], words[-1][1]
    if text[end : end + 1] == "." and text[begin:end].split()[-1] + "." in lexicon.ORGANIZATION_SUFFIXES:
        end += 1
    if text[begin:end] not in _gazetteer() and _opens_sentence(text, begin):
        while len(words) > 1 and text[words[0][0] : words[0][1]].lower() in _all_stopwords():
            words = words[1:]
        begin = words[0][0]
    title = _PERSON_TITLE_RUN.match(text, begin, end)
    if title is not None:
        rest = [(b, e) for b, e in words if b >= title.end()]
        if rest:
            yield from _typed_run(text, patterns, rest[0][0], end)
        return
    typed = _type_of(text, patterns, begin, end, words)
    if typed is None and len(words) > 1 and _opens_sentence(text, begin):
        typed = _type_of(text, patterns, words[1][0], end, words[1:])
    if typed is not None:
        yield typed
        return
    if _opens_sentence(text, begin):
        words = words[1:]
    for word_begin, word_end in words:
        if text[word_begin:word_end] in _gazetteer():
            kind, score = _gazetteer()[text[word_begin:word_end]]
            yield Found(word_begin, word_end, kind, score)
    if words and not any(text[b:e] in _gazetteer() for b, e in words) and _is_other(text, words):
        yield Found(words[0][0], words[-1][1], "OTHER", 0.5)


def _type_of(text: str, patterns: _Patterns, begin: int, end: int, words: list[tuple[int, int]]) -> Found | None:
    """The type of the run ``text[begin:end]`` as a whole, or None when nothing tells it."""
    run = text[begin:end]
    first, last = text[words[0][0] : words[0][1]], run.split()[-1]
    known = _gazetteer().get(run)
    if known is not None:
        kind, score = known
        if kind == "COMMERCIAL_ITEM":
            model = patterns.item_model.match(text, end)
            end = model.end() if model else end
        return Found(begin, end, kind, score)
    if first in lexicon.HONORIFICS:
        return None if len(words) == 1 else Found(words[1][0], end, "PERSON", 0.9)
    if len(words) == 1 and _WEB_NAME.fullmatch(run):
        return Found(begin, end, "ORGANIZATION", 0.8)
    if last in lexicon.ORGANIZATION_SUFFIXES and len(words) > 1:
        return Found(begin, end, "ORGANIZATION", 0.85)
    if first in lexicon.ORGANIZATION_HEADS and len(words) > 1 and _HEAD_OF.match(run):
        return Found(begin, end, "ORGANIZATION", 0.85)
    if len(words) > 1 and (last in lexicon.FACILITY_SUFFIXES or last in lexicon.LOCATION_SUFFIXES):
        return Found(begin, end, "LOCATION", 0.8)
    if len(words) > 1 and first in lexicon.LOCATION_HEADS:
        return Found(begin, end, "LOCATION", 0.8)
    if len(words) > 1 and last in lexicon.EVENT_SUFFIXES:
        return Found(begin, end, "EVENT", 0.8)
    if _HONORIFIC_BEFORE.search(text, max(0, begin - 8), begin):
        return Found(begin, end, "PERSON", 0.9)
    if first in lexicon.FIRST_NAMES and len(words) <= 4:
        if len(words) > 1:
            return Found(begin, end, "PERSON", 0.85)
        if first not in _gazetteer():
            return Found(begin, end, "PERSON", 0.7)
    if len(words) <= 3 and _PLACE_CUE_BEFORE.search(text, max(0, begin - 12), begin):
        return Found(begin, end, "LOCATION", 0.6)
    if len(words) == 1 and 2 <= len(run) <= 5 and run.isupper() and run.isalpha():
        return Found(begin, end, "ORGANIZATION", 0.6)
    return None


def _opens_sentence(text: str, begin: int) -> bool:
    """Whether the word at ``begin`` is the first of its sentence (after a stop, a colon, a line break or a quote)."""
    at = begin
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    while at > 0 and text[at - 1] in _QUOTES:
        at -= 1
    return at == 0 or text[at - 1] in _STOPS


def _is_other(text: str, words: list[tuple[int, int]]) -> bool:
    """Whether an untyped run is still a name: not a lone ``I``, a stopword or an honorific."""
    if len(words) > 1:
        return True
    word = text[words[0][0] : words[0][1]]
    return len(word) > 1 and word.lower() not in _all_stopwords() and word not in lexicon.HONORIFICS


def _lower_initial_entities(text: str, patterns: _Patterns) -> Iterator[Found]:
    for match in patterns.lower_initial.finditer(text):
        kind, score = _gazetteer()[match.group()]
        end = match.end()
        if kind == "COMMERCIAL_ITEM":
            model = patterns.item_model.match(text, end)
            end = model.end() if model else end
        yield Found(match.start(), end, kind, score)
