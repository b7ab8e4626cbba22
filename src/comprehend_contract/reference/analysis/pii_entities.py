"""PII entities from recognizers: patterns with checksums (python-stdnum), phone numbers (phonenumbers) and cue words.

Each recognizer finds one PII entity type; the stronger ones come first and a weaker one's span that overlaps a
stronger one's is dropped. Numbers with a checksum are checked (Luhn for cards, mod 97 for IBANs, the US SSN and
ITIN rules, Verhoeff for Aadhaar, mod 11 for UK UTRs, ABA for routing numbers, the PAN and BIC
formats). Identifiers that only a cue tells apart from any other number or code (a bank account, a passport, a
driver's licence, a PIN, a CVV, a password) are reported only when a cue word (English or Spanish, e.g.
``passport``/``pasaporte``) stands in the 40 characters before them. Phone numbers are phonenumbers' valid numbers
for the job's language's region (``US`` for ``en``, ``ES`` for ``es``; international numbers from anywhere).
``NAME`` is the entities analysis's ``PERSON``, and ``DATE_TIME`` its ``DATE``.

It does not attempt: names without a capital letter, addresses without a street number and street word, licence
plates and passports without their cue word, or the nine-digit and last-four-digit forms of account numbers. Scores
are the recognizer's fixed confidence.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from comprehend_contract.reference.analysis.entities import find_entities
from comprehend_contract.reference.analysis.settings import Settings
from comprehend_contract.reference.analysis.text import Found, keep_non_overlapping

PII_ENTITY_TYPES = (
    "BANK_ACCOUNT_NUMBER",
    "BANK_ROUTING",
    "CREDIT_DEBIT_NUMBER",
    "CREDIT_DEBIT_CVV",
    "CREDIT_DEBIT_EXPIRY",
    "PIN",
    "EMAIL",
    "ADDRESS",
    "NAME",
    "PHONE",
    "SSN",
    "DATE_TIME",
    "PASSPORT_NUMBER",
    "DRIVER_ID",
    "URL",
    "AGE",
    "USERNAME",
    "PASSWORD",
    "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY",
    "IP_ADDRESS",
    "MAC_ADDRESS",
    "LICENSE_PLATE",
    "VEHICLE_IDENTIFICATION_NUMBER",
    "UK_NATIONAL_INSURANCE_NUMBER",
    "CA_SOCIAL_INSURANCE_NUMBER",
    "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
    "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
    "IN_PERMANENT_ACCOUNT_NUMBER",
    "IN_NREGA",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "SWIFT_CODE",
    "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
    "CA_HEALTH_NUMBER",
    "IN_AADHAAR",
    "IN_VOTER_NUMBER",
)
"""The service model's ``PiiEntityType`` values, in its order, without ``ALL`` (a redaction choice, not a type)."""

ALL = "ALL"
"""The ``PiiEntityTypes`` entry that asks for every type."""

PHONE_REGIONS = {"en": "US", "es": "ES"}
"""The region whose national phone formats a document of each language is read with."""

CUE_WINDOW = 40
"""How many characters before an identifier a cue word may stand."""

_LONGEST_MATCH = 64
"""A bound on the length of what a cued recognizer matches (the cue's window is scanned this far beyond)."""
_EDGE = r"(?<![\p{L}\p{M}\p{N}])"
_END = r"(?![\p{L}\p{M}\p{N}])"


@dataclass(frozen=True, slots=True)
class _Recognizer:
    """One PII type's pattern, with the cue it needs before it and the check its text must pass, if any.

    A pattern with a group named ``pii`` reports that group's span (``password: (hunter2)``), else the whole match.
    """

    type: str
    pattern: regex.Pattern[str]
    score: float
    cue: regex.Pattern[str] | None = None
    check: Callable[[str], bool] | None = None

    def find(self, text: str) -> Iterator[Found]:
        for match in self._matches(text):
            begin, end = match.span("pii") if "pii" in self.pattern.groupindex else match.span()
            if begin >= end:
                continue
            if self.cue is not None and not self.cue.search(text, max(0, begin - CUE_WINDOW), begin):
                continue
            if self.check is not None and not self.check(text[begin:end]):
                continue
            yield Found(begin, end, self.type, self.score)

    def _matches(self, text: str) -> Iterator[regex.Match[str]]:
        """The pattern's matches; for a cued recognizer only those that start in reach of a cue (most documents
        have none, so most cued recognizers never scan them). A match cut short by its window is not one."""
        if self.cue is None:
            yield from self.pattern.finditer(text)
            return
        reached = 0
        for cue in self.cue.finditer(text):
            window_end = min(len(text), cue.end() + CUE_WINDOW + _LONGEST_MATCH)
            for match in self.pattern.finditer(text, max(reached, cue.end()), window_end):
                if match.end() < window_end or window_end == len(text):
                    reached = match.end()
                    yield match


def detect_pii_entities(text: str, settings: Settings) -> dict[str, Any]:
    """The ``Entities`` of one document's ``ONLY_OFFSETS`` record: type, score and offsets (no text, as AWS writes)."""
    return {
        "Entities": [
            {"Type": f.type, "Score": f.score, "BeginOffset": f.begin, "EndOffset": f.end}
            for f in find_pii(text, settings.language_code)
        ]
    }


def redact(text: str, settings: Settings) -> str:
    """The ``ONLY_REDACTION`` output of one document: its PII of the asked-for types masked or named.

    ``MASK`` replaces every character of the entity, spaces included, with the mask character (the API reference:
    "A character that replaces each character in the redacted PII entity"; the guide's output file example masks
    ``123 Main StreetBaltimore, MD 21224`` as 34 characters), so the document keeps its length and offsets.
    ``REPLACE_WITH_PII_ENTITY_TYPE`` replaces the entity with its type in brackets (the guide: "the PII entity
    "Jane Doe" is replaced with "[NAME]"").
    """
    redaction = settings.redaction
    if redaction is None:
        raise ValueError("redact needs the job's RedactionConfig (Settings.redaction)")
    wanted = set(redaction.pii_entity_types)
    pieces: list[str] = []
    at = 0
    for found in find_pii(text, settings.language_code):
        if ALL not in wanted and found.type not in wanted:
            continue
        pieces.append(text[at : found.begin])
        if redaction.mask_mode == "REPLACE_WITH_PII_ENTITY_TYPE":
            pieces.append(f"[{found.type}]")
        else:
            pieces.append(redaction.mask_character * (found.end - found.begin))
        at = found.end
    pieces.append(text[at:])
    return "".join(pieces)


def find_pii(text: str, language_code: str | None) -> list[Found]:
    """The PII entities of ``text`` in document order."""
    candidates: list[Found] = []
    for recognizer in _recognizers()[0]:
        candidates.extend(recognizer.find(text))
    candidates.extend(_phones(text, PHONE_REGIONS.get(language_code or "en", "US")))
    for recognizer in _recognizers()[1]:
        candidates.extend(recognizer.find(text))
    named = find_entities(text)
    candidates.extend(Found(f.begin, f.end, "NAME", f.score) for f in named if f.type == "PERSON")
    candidates.extend(Found(f.begin, f.end, "DATE_TIME", 0.85) for f in named if f.type == "DATE")
    return keep_non_overlapping(candidates)


def _phones(text: str, region: str) -> Iterator[Found]:
    import phonenumbers

    if not any(c.isdigit() for c in text):
        return
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        yield Found(match.start, match.end, "PHONE", 0.9)


def _cue(words: str) -> regex.Pattern[str]:
    return regex.compile(rf"(?i:{_EDGE}(?:{words}){_END})")


@functools.cache
def _recognizers() -> tuple[tuple[_Recognizer, ...], tuple[_Recognizer, ...]]:
    """The recognizers before phone numbers (checksummed or unmistakable) and after them (cued), strongest first."""
    from stdnum import bic, iban, luhn
    from stdnum.ca import sin
    from stdnum.gb import utr
    from stdnum.in_ import aadhaar, pan
    from stdnum.us import itin, rtn, ssn

    def compiled(pattern: str) -> regex.Pattern[str]:
        return regex.compile(pattern)

    def digits(check: Callable[[str], bool]) -> Callable[[str], bool]:
        return lambda found: check("".join(c for c in found if c.isdigit()))

    card_cue = _cue("card|credit|debit|visa|mastercard|amex|tarjeta|crédito|débito")
    street = (
        r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place|"
        r"Pl\.?|Square|Sq\.?|Terrace|Parkway|Pkwy\.?|Highway|Hwy\.?)"
    )
    capital_word = r"\p{Lu}[\p{L}\p{M}'-]*"
    english_address = (
        rf"{_EDGE}\d{{1,6}}[ \t]+(?:{capital_word}[ \t]+){{1,4}}?{street}"
        rf"(?:[ \t]+(?:NE|NW|SE|SW|N|S|E|W)(?![\p{{L}}\p{{N}}]))?"
        rf"(?:,?[ \t]*(?:Apt|Suite|Unit|\#)\.?[ \t]*[\p{{L}}\p{{N}}-]+)?"
        rf"(?:,?[ \t]*{capital_word}(?:[ \t]+{capital_word}){{0,2}})?"
        rf"(?:,[ \t]*[A-Z]{{2}})?(?:[ \t]+\d{{5}}(?:-\d{{4}})?)?"
        rf"(?!\p{{L}})"
    )
    spanish_address = (
        rf"{_EDGE}(?:Calle|C/|Avenida|Avda\.|Av\.|Plaza|Pza\.|Paseo|Camino|Carrera|Ronda|Travesía)[ \t]+"
        rf"(?:[\p{{L}}\p{{M}}.'-]+[ \t]+){{0,4}}?(?:n[ºo°]\.?[ \t]*)?\d{{1,5}}"
        rf"(?:,?[ \t]*\d{{1,2}}[ºª]?[ \t]*[A-Z]?{_END})?"
        rf"(?:,?[ \t]*\d{{5}})?(?:,?[ \t]*{capital_word}(?:[ \t]+{capital_word}){{0,2}})?"
    )
    strong = (
        _Recognizer("EMAIL", compiled(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])"), 0.99),
        _Recognizer("URL", compiled(r"(?i)(?<![\w.@])(?:https?://|www\.)[^\s<>\"'“”]*[^\s<>\"'“”.,;:!?)\]]"), 0.95),
        _Recognizer(
            "AWS_ACCESS_KEY", compiled(rf"{_EDGE}(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA)[A-Z0-9]{{16}}{_END}"), 0.95
        ),
        _Recognizer(
            "AWS_SECRET_KEY",
            compiled(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
            0.85,
            check=lambda s: any(c.islower() for c in s) and any(c.isupper() for c in s) and any(c.isdigit() for c in s),
        ),
        _Recognizer(
            "MAC_ADDRESS",
            compiled(r"(?<![\w:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])"),
            0.9,
        ),
        _Recognizer("IP_ADDRESS", compiled(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)"), 0.9, check=_is_ip),
        _Recognizer(
            "IP_ADDRESS",
            compiled(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])"),
            0.9,
            check=_is_ip,
        ),
        _Recognizer(
            "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
            compiled(rf"{_EDGE}[A-Z]{{2}}\d{{2}}(?:[ ]?[A-Z0-9]{{4}}){{2,7}}(?:[ ]?[A-Z0-9]{{1,3}})?{_END}"),
            0.95,
            check=iban.is_valid,
        ),
        _Recognizer(
            "CREDIT_DEBIT_NUMBER",
            compiled(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])"),
            0.95,
            check=digits(luhn.is_valid),
        ),
        _Recognizer(
            "CREDIT_DEBIT_NUMBER", compiled(r"(?<![\d-])\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?(?![\d-])"), 0.8, card_cue
        ),
        _Recognizer(
            "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
            compiled(r"(?<![\d-])9\d{2}[- ]?[7-9]\d[- ]?\d{4}(?![\d-])"),
            0.85,
            check=itin.is_valid,
        ),
        _Recognizer("SSN", compiled(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"), 0.9, check=ssn.is_valid),
        _Recognizer(
            "SSN",
            compiled(r"(?<![\d-])\d{3}[ ]?\d{2}[ ]?\d{4}(?![\d-])"),
            0.85,
            _cue(r"SSN|social security|seguro social"),
            ssn.is_valid,
        ),
        _Recognizer(
            "CA_SOCIAL_INSURANCE_NUMBER",
            compiled(r"(?<![\d-])\d{3}[- ]?\d{3}[- ]?\d{3}(?![\d-])"),
            0.85,
            _cue(r"SIN|social insurance|seguro social"),
            digits(sin.is_valid),
        ),
        _Recognizer(
            "IN_AADHAAR", compiled(r"(?<![\d-])[2-9]\d{3}[ -]\d{4}[ -]\d{4}(?![\d-])"), 0.85, check=aadhaar.is_valid
        ),
        _Recognizer(
            "IN_PERMANENT_ACCOUNT_NUMBER", compiled(rf"{_EDGE}[A-Z]{{5}}\d{{4}}[A-Z]{_END}"), 0.85, check=pan.is_valid
        ),
        _Recognizer(
            "UK_NATIONAL_INSURANCE_NUMBER",
            compiled(
                rf"{_EDGE}(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
                rf"[ -]?\d{{2}}[ -]?\d{{2}}[ -]?\d{{2}}[ -]?[A-D]{_END}"
            ),
            0.85,
        ),
        _Recognizer(
            "UK_NATIONAL_HEALTH_SERVICE_NUMBER",
            compiled(r"(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-])"),
            0.85,
            _cue("NHS"),
        ),
        _Recognizer(
            "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
            compiled(r"(?<![\d-])\d{5}[ ]?\d{5}(?![\d-])"),
            0.8,
            _cue(r"UTR|taxpayer reference"),
            digits(utr.is_valid),
        ),
        _Recognizer("ADDRESS", compiled(english_address), 0.85),
        _Recognizer("ADDRESS", compiled(spanish_address), 0.85),
    )
    cued = (
        _Recognizer(
            "BANK_ROUTING", compiled(r"(?<![\d-])\d{9}(?![\d-])"), 0.85, _cue(r"routing|ABA|RTN|ruta"), rtn.is_valid
        ),
        _Recognizer(
            "BANK_ACCOUNT_NUMBER", compiled(r"(?<![\d-])\d{8,17}(?![\d-])"), 0.75, _cue(r"account|acct|cuenta|IBAN")
        ),
        _Recognizer(
            "CA_HEALTH_NUMBER",
            compiled(r"(?<![\d-])\d{4}[ -]?\d{3}[ -]?\d{3}(?:[ -]?[A-Z]{2})?(?![\d-])"),
            0.75,
            _cue(r"health card|health number|OHIP|tarjeta sanitaria"),
        ),
        _Recognizer("IN_NREGA", compiled(rf"{_EDGE}[A-Z]{{2}}[- ]?\d{{14}}{_END}"), 0.7),
        _Recognizer("IN_VOTER_NUMBER", compiled(rf"{_EDGE}[A-Z]{{3}}\d{{7}}{_END}"), 0.75, _cue(r"voter|EPIC|elector")),
        _Recognizer(
            "SWIFT_CODE",
            compiled(rf"{_EDGE}[A-Z]{{6}}[A-Z0-9]{{2}}(?:[A-Z0-9]{{3}})?{_END}"),
            0.85,
            _cue(r"SWIFT|BIC"),
            bic.is_valid,
        ),
        _Recognizer(
            "PASSPORT_NUMBER", compiled(rf"{_EDGE}(?=[A-Z]*\d)[A-Z0-9]{{6,9}}{_END}"), 0.8, _cue(r"passport|pasaporte")
        ),
        _Recognizer(
            "DRIVER_ID",
            compiled(rf"{_EDGE}(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{{4,15}}{_END}"),
            0.75,
            _cue(
                r"driver'?s? licen[cs]e|driving licen[cs]e|licencia de conducir|permiso de conducir|"
                r"carnet de conducir|DL"
            ),
        ),
        _Recognizer(
            "VEHICLE_IDENTIFICATION_NUMBER",
            compiled(rf"{_EDGE}(?=[A-HJ-NPR-Z]*\d)(?=\d*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{{17}}{_END}"),
            0.8,
        ),
        _Recognizer(
            "LICENSE_PLATE",
            compiled(rf"{_EDGE}(?=[A-Z -]*\d)(?=[\d -]*[A-Z])[A-Z0-9]{{1,4}}[ -]?[A-Z0-9]{{1,4}}{_END}"),
            0.75,
            _cue(r"licen[cs]e plate|plate|matrícula|placa"),
        ),
        _Recognizer(
            "CREDIT_DEBIT_CVV",
            compiled(r"(?<![\d-])\d{3,4}(?![\d-])"),
            0.85,
            _cue(r"CVV|CVC|CSC|CVV2|security code|código de seguridad"),
        ),
        _Recognizer(
            "CREDIT_DEBIT_EXPIRY",
            compiled(r"(?<![\d/])(?:0[1-9]|1[0-2])/(?:\d{4}|\d{2})(?![\d/])"),
            0.85,
            _cue(r"exp|expires|expiry|expiration|valid thru|valid through|vence|vencimiento|caduca|caducidad"),
        ),
        _Recognizer(
            "PIN",
            compiled(r"(?<![\d-])\d{4,6}(?![\d-])"),
            0.85,
            regex.compile(rf"{_EDGE}(?:PIN|NIP|(?i:pin code|código pin)){_END}"),
        ),
        _Recognizer(
            "PASSWORD",
            compiled(
                r"(?i:password|passwd|pwd|contraseña|clave)(?:[ \t]+(?:is|es|was|era))?[ \t]*[:=]?[ \t]*"
                r"(?P<pii>\S+?)(?=[.,;!?]?(?:\s|$))"
            ),
            0.8,
        ),
        _Recognizer(
            "USERNAME",
            compiled(
                r"(?i:username|user name|user id|login|usuario|nombre de usuario)(?:[ \t]+(?:is|es))?[ \t]*[:=]?[ \t]*"
                r"(?P<pii>[\w.@-]+?)(?=[.,;!?]?(?:\s|$))"
            ),
            0.8,
        ),
        _Recognizer("USERNAME", compiled(r"(?<![\w.@])@[A-Za-z0-9_]{2,30}(?![\w@])"), 0.75),
        _Recognizer(
            "AGE",
            compiled(
                r"(?i)(?<!\d)(?P<pii>\d{1,3}[ \t-]*(?:years?|yrs?))[ \t-]+old(?!\w)"
                r"|(?<!\w)aged?[ \t:]+(?P<pii>\d{1,3})(?!\d)"
            ),
            0.85,
        ),
        _Recognizer(
            "AGE",
            compiled(
                r"(?i)(?<!\w)(?:tengo|tiene|tenía|de)[ \t]+(?P<pii>\d{1,3}[ \t]+años)(?!\w)"
                r"|(?<!\d)(?P<pii>\d{1,3}[ \t]+años)[ \t]+de[ \t]+edad"
            ),
            0.85,
        ),
        _Recognizer(
            "URL",
            compiled(
                r"(?<![\w.@/-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|es|co|uk|de|fr|info|biz|mx|ar)(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?(?![\w@-])"
            ),
            0.8,
        ),
    )
    return strong, cued


def _is_ip(found: str) -> bool:
    try:
        ipaddress.ip_address(found)
    except ValueError:
        return False
    return True
