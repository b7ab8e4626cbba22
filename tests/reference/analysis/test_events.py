"""Events: triggers of the asked-for types, arguments that point into the record's Entities."""

from __future__ import annotations

from typing import Any

from comprehend_contract.reference.analysis import Settings
from comprehend_contract.reference.analysis.events import EVENT_ENTITY_TYPES, ROLES, detect_events
from comprehend_contract.spec.family import family

EVERY_TYPE = Settings("en", target_event_types=family().get("Events").event_types)


def arguments(record: dict[str, Any], event: dict[str, Any]) -> list[tuple[str, str]]:
    """(the entity's first mention's text, role) of each argument of ``event``."""
    return [(record["Entities"][a["EntityIndex"]]["Mentions"][0]["Text"], a["Role"]) for a in event["Arguments"]]


def test_an_acquisition_with_its_trigger_and_arguments() -> None:
    text = "Amazon acquired Whole Foods for $13.7 billion in Austin on August 28, 2017."
    record = detect_events(text, EVERY_TYPE)
    [event] = record["Events"]
    assert event["Type"] == "CORPORATE_ACQUISITION"
    [trigger] = event["Triggers"]
    assert (trigger["Text"], trigger["BeginOffset"], trigger["EndOffset"], trigger["Type"]) == (
        "acquired",
        7,
        15,
        "CORPORATE_ACQUISITION",
    )
    assert arguments(record, event) == [
        ("Amazon", "INVESTOR"),
        ("Whole Foods", "INVESTEE"),
        ("$13.7 billion", "AMOUNT"),
        ("August 28, 2017", "DATE"),
        ("Austin", "PLACE"),
    ]
    mentions = [(m["Text"], m["Type"]) for e in record["Entities"] for m in e["Mentions"]]
    assert ("$13.7 billion", "MONETARY_VALUE") in mentions


def test_the_passive_voice_swaps_investor_and_investee() -> None:
    record = detect_events("Zappos was acquired by Amazon.", EVERY_TYPE)
    assert arguments(record, record["Events"][0]) == [("Amazon", "INVESTOR"), ("Zappos", "INVESTEE")]


def test_only_the_target_event_types_are_reported() -> None:
    text = "Amazon acquired Whole Foods. Later Amazon hired John Smith as CEO."
    only_employment = detect_events(text, Settings("en", target_event_types=("EMPLOYMENT",)))
    assert [e["Type"] for e in only_employment["Events"]] == ["EMPLOYMENT"]
    assert arguments(only_employment, only_employment["Events"][0]) == [
        ("John Smith", "EMPLOYEE"),
        ("Amazon", "EMPLOYER"),
        ("CEO", "EMPLOYEE_TITLE"),
    ]
    assert detect_events(text, Settings("en"))["Events"] == []


def test_mentions_of_one_entity_are_grouped() -> None:
    record = detect_events("Amazon bought Zappos. Amazon then bought Whole Foods.", EVERY_TYPE)
    amazon = [e for e in record["Entities"] if e["Mentions"][0]["Text"] == "Amazon"]
    assert len(amazon) == 1
    assert [m["BeginOffset"] for m in amazon[0]["Mentions"]] == [0, 22]
    assert [e["Type"] for e in record["Events"]] == ["CORPORATE_ACQUISITION", "CORPORATE_ACQUISITION"]


def test_a_surname_after_the_full_name_is_the_same_person() -> None:
    record = detect_events("Acme Corp hired John Smith in 2020. Later Smith resigned from Acme Corp.", EVERY_TYPE)
    [smith] = [e for e in record["Entities"] if e["Mentions"][0]["Text"] == "John Smith"]
    assert [(m["Text"], m["Type"]) for m in smith["Mentions"]] == [("John Smith", "PERSON"), ("Smith", "PERSON")]
    hired, resigned = record["Events"]
    assert ("John Smith", "EMPLOYEE") in arguments(record, hired)
    assert ("John Smith", "EMPLOYEE") in arguments(record, resigned)
    assert ("2020", "START_DATE") in arguments(record, hired)


def test_splits_mergers_bankruptcies_and_offerings() -> None:
    text = (
        "Acme Inc. announced a 2-for-1 stock split on Monday. Acme Corp and Beta Holdings agreed to merge. "
        "Example Corp filed for bankruptcy in Delaware. Zeta Inc (NASDAQ: ZETA) priced its IPO of 10 million "
        "shares at $17 per share."
    )
    record = detect_events(text, EVERY_TYPE)
    found = {event["Type"]: arguments(record, event) for event in record["Events"]}
    assert found == {
        "STOCK_SPLIT": [("Acme Inc.", "COMPANY"), ("Monday", "DATE"), ("2-for-1", "SPLIT_RATIO")],
        "CORPORATE_MERGER": [("Acme Corp", "PARTICIPANT"), ("Beta Holdings", "PARTICIPANT")],
        "BANKRUPTCY": [("Example Corp", "FILER"), ("Delaware", "PLACE")],
        "IPO": [("Zeta Inc", "OFFEROR"), ("10 million shares", "SHARE_QUANTITY"), ("$17", "SHARE_PRICE")],
    }
    assert ("ZETA", "STOCK_CODE") in [(m["Text"], m["Type"]) for e in record["Entities"] for m in e["Mentions"]]


def test_roles_and_types_are_the_guides() -> None:
    assert set(ROLES) == set(family().get("Events").event_types)
    record = detect_events("Amazon acquired Whole Foods for $13.7 billion on August 28, 2017.", EVERY_TYPE)
    for event in record["Events"]:
        assert {a["Role"] for a in event["Arguments"]} <= set(ROLES[event["Type"]])
    for entity in record["Entities"]:
        assert {m["Type"] for m in entity["Mentions"]} <= set(EVENT_ENTITY_TYPES)


def test_a_document_without_triggers_has_no_events() -> None:
    assert detect_events("The box is brown.", EVERY_TYPE) == {"Entities": [], "Events": []}
