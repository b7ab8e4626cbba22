"""PII: recognizers with checksums and cues in English and Spanish, and both redaction modes."""

from __future__ import annotations

import pytest

from comprehend_contract.reference.analysis import Redaction, Settings, redact
from comprehend_contract.reference.analysis.pii_entities import PII_ENTITY_TYPES, detect_pii_entities
from tests.reference.analysis.records import service_enum

ENGLISH = Settings("en", pii_mode="ONLY_OFFSETS")
SPANISH = Settings("es", pii_mode="ONLY_OFFSETS")
GUIDE_EXAMPLE = (
    "Hello Paulo Santos. The latest statement for your credit card account 1111-0000-1111-0000 was mailed to "
    "123 Any Street, Seattle, WA 98109."
)


def pii(text: str, settings: Settings = ENGLISH) -> list[tuple[str, str]]:
    return [
        (text[e["BeginOffset"] : e["EndOffset"]], e["Type"]) for e in detect_pii_entities(text, settings)["Entities"]
    ]


def test_the_types_are_the_service_models_without_all() -> None:
    assert set(PII_ENTITY_TYPES) == service_enum("PiiEntityType") - {"ALL"}


def test_the_developer_guides_example() -> None:
    """The guide: "Paulo Santos" is a NAME, the card number a CREDIT_DEBIT_NUMBER, the rest an ADDRESS."""
    assert pii(GUIDE_EXAMPLE) == [
        ("Paulo Santos", "NAME"),
        ("1111-0000-1111-0000", "CREDIT_DEBIT_NUMBER"),
        ("123 Any Street, Seattle, WA 98109", "ADDRESS"),
    ]
    entity = detect_pii_entities(GUIDE_EXAMPLE, ENGLISH)["Entities"][0]
    assert entity == {"Type": "NAME", "Score": entity["Score"], "BeginOffset": 6, "EndOffset": 18}


def test_an_email_and_a_card_number_in_english() -> None:
    text = "Email jane.doe@example.com or pay with 4111 1111 1111 1111, exp 01/27, CVV 123."
    assert pii(text) == [
        ("jane.doe@example.com", "EMAIL"),
        ("4111 1111 1111 1111", "CREDIT_DEBIT_NUMBER"),
        ("01/27", "CREDIT_DEBIT_EXPIRY"),
        ("123", "CREDIT_DEBIT_CVV"),
    ]


def test_an_email_a_card_number_an_iban_and_a_phone_in_spanish() -> None:
    text = (
        "Me llamo Juan García, mi correo es juan.garcia@ejemplo.es y mi tarjeta es 4111-1111-1111-1111. "
        "IBAN ES91 2100 0418 4502 0005 1332, teléfono 912 345 678. Tengo 35 años."
    )
    assert pii(text, SPANISH) == [
        ("Juan García", "NAME"),
        ("juan.garcia@ejemplo.es", "EMAIL"),
        ("4111-1111-1111-1111", "CREDIT_DEBIT_NUMBER"),
        ("ES91 2100 0418 4502 0005 1332", "INTERNATIONAL_BANK_ACCOUNT_NUMBER"),
        ("912 345 678", "PHONE"),
        ("35 años", "AGE"),
    ]


def test_an_address_with_a_compass_suffix_and_a_name_after_an_honorific() -> None:
    assert pii("Dr. Jane Roe lives at 1600 Pennsylvania Avenue NW, Washington, DC 20500.") == [
        ("Jane Roe", "NAME"),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500", "ADDRESS"),
    ]


def test_a_number_that_fails_its_checksum_is_not_a_card_or_an_iban() -> None:
    assert pii("Reference 4111 1111 1111 1112 and ES91 2100 0418 4502 0005 1333.") == []


def test_network_and_cloud_identifiers() -> None:
    text = (
        "Host 192.168.1.20 (fe80::1ff:fe23:4567:890a), MAC 00:1A:2B:3C:4D:5E, key AKIAIOSFODNN7EXAMPLE, "
        "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, see https://example.com/docs."
    )
    assert pii(text) == [
        ("192.168.1.20", "IP_ADDRESS"),
        ("fe80::1ff:fe23:4567:890a", "IP_ADDRESS"),
        ("00:1A:2B:3C:4D:5E", "MAC_ADDRESS"),
        ("AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY"),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_KEY"),
        ("https://example.com/docs", "URL"),
    ]


def test_identifiers_known_only_by_their_cue_need_it() -> None:
    cued = "My password: hunter2, username jdoe42, passport X1234567, PIN 4321, SSN 123-45-6789, I am 40 years old."
    assert pii(cued) == [
        ("hunter2", "PASSWORD"),
        ("jdoe42", "USERNAME"),
        ("X1234567", "PASSPORT_NUMBER"),
        ("4321", "PIN"),
        ("123-45-6789", "SSN"),
        ("40 years", "AGE"),
    ]
    assert pii("Order X1234567 has 4321 items.") == []


@pytest.mark.parametrize("text", ["The box is brown.", "", "😀 İstanbul ß"])
def test_a_document_without_pii_has_no_entities(text: str) -> None:
    assert pii(text) == []


def test_mask_replaces_every_character_of_each_entity() -> None:
    """API reference: MaskCharacter is "A character that replaces each character in the redacted PII entity"."""
    settings = Settings("en", pii_mode="ONLY_REDACTION", redaction=Redaction(("ALL",), "MASK", "#"))
    assert redact(GUIDE_EXAMPLE, settings) == (
        "Hello ############. The latest statement for your credit card account ################### was mailed to "
        "#################################."
    )


def test_replace_with_type_names_only_the_types_asked_for() -> None:
    """The guide: with REPLACE_WITH_PII_ENTITY_TYPE "the PII entity "Jane Doe" is replaced with "[NAME]"."""
    settings = Settings(
        "en",
        pii_mode="ONLY_REDACTION",
        redaction=Redaction(("NAME", "CREDIT_DEBIT_NUMBER"), "REPLACE_WITH_PII_ENTITY_TYPE"),
    )
    assert redact(GUIDE_EXAMPLE, settings) == (
        "Hello [NAME]. The latest statement for your credit card account [CREDIT_DEBIT_NUMBER] was mailed to "
        "123 Any Street, Seattle, WA 98109."
    )


def test_redaction_of_a_document_without_pii_is_the_document() -> None:
    settings = Settings("es", redaction=Redaction(("ALL",), "MASK"))
    assert redact("La caja es marrón.", settings) == "La caja es marrón."
