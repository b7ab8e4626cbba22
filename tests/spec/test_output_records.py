"""The output record schemas of the seven types (clause LIFE-OUTPUT-RECORD): each accepts its type's documented
record or an error record, never a mix, and refuses what FAMILY.md's "Output records" table rules out.

The valid records are taken from the documented output files of the AWS CLI examples (start-<type>-detection-job),
shortened to one or two entities; see tests/fixtures/aws_examples/README.md.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from comprehend_contract.spec import validator_for
from comprehend_contract.spec.family import family

SCORES = {"Mixed": 0.001729, "Negative": 0.000001, "Neutral": 0.000318, "Positive": 0.997952}
DOCUMENTED: dict[str, dict[str, Any]] = {
    "Sentiment": {
        "File": "SampleMovieReview1.txt",
        "Line": 0,
        "Sentiment": "MIXED",
        "SentimentScore": {
            "Mixed": 0.6591159105300903,
            "Negative": 0.26492202281951904,
            "Neutral": 0.035430654883384705,
            "Positive": 0.04053137078881264,
        },
    },
    "KeyPhrases": {
        "File": "SampleText1.txt",
        "KeyPhrases": [{"BeginOffset": 6, "EndOffset": 15, "Score": 0.9748965572679326, "Text": "Zhang Wei"}],
        "Line": 0,
    },
    "Entities": {
        "Entities": [
            {"BeginOffset": 6, "EndOffset": 15, "Score": 0.9994006636420306, "Text": "Zhang Wei", "Type": "PERSON"},
            {"BeginOffset": 155, "EndOffset": 164, "Score": 0.9993039263159287, "Text": "July 31st", "Type": "DATE"},
        ],
        "File": "SampleText1.txt",
        "Line": 0,
    },
    "DominantLanguage": {"File": "Sampletext1.txt", "Languages": [{"LanguageCode": "en", "Score": 0.9913753867149353}]},
    "PiiEntities": {
        "Entities": [
            {"BeginOffset": 6, "EndOffset": 15, "Type": "NAME", "Score": 0.9998490510222595},
            {"BeginOffset": 88, "EndOffset": 107, "Type": "CREDIT_DEBIT_NUMBER", "Score": 0.9554297245278491},
        ],
        "File": "SampleText1.txt",
        "Line": 0,
    },
    "Events": {
        "Entities": [
            {
                "Mentions": [
                    {
                        "BeginOffset": 81,
                        "EndOffset": 91,
                        "Score": 0.999774,
                        "Text": "AnyCompany",
                        "Type": "ORGANIZATION",
                        "GroupScore": 1,
                    }
                ]
            },
            {
                "Mentions": [
                    {
                        "BeginOffset": 50,
                        "EndOffset": 65,
                        "Score": 0.999656,
                        "Text": "later that year",
                        "Type": "DATE",
                        "GroupScore": 1,
                    }
                ]
            },
        ],
        "Events": [
            {
                "Type": "BANKRUPTCY",
                "Arguments": [
                    {"EntityIndex": 1, "Role": "DATE", "Score": 0.999656},
                    {"EntityIndex": 0, "Role": "FILER", "Score": 0.995717},
                ],
                "Triggers": [
                    {
                        "BeginOffset": 81,
                        "EndOffset": 91,
                        "Score": 0.999936,
                        "Text": "bankruptcy",
                        "Type": "BANKRUPTCY",
                        "GroupScore": 1,
                    }
                ],
            }
        ],
        "File": "SampleText3.txt",
        "Line": 0,
    },
    "TargetedSentiment": {
        "Entities": [
            {
                "DescriptiveMentionIndex": [0],
                "Mentions": [
                    {
                        "BeginOffset": 10,
                        "EndOffset": 18,
                        "Score": 0.631368,
                        "GroupScore": 1,
                        "Text": "AnyMovie",
                        "Type": "ORGANIZATION",
                        "MentionSentiment": {"Sentiment": "POSITIVE", "SentimentScore": SCORES},
                    }
                ],
            }
        ],
        "File": "SampleMovieReview1.txt",
        "Line": 0,
    },
}
ERROR = {"File": "doc.txt", "Line": 3, "ErrorCode": "DOCUMENT_SIZE_EXCEEDED", "ErrorMessage": "Document size too big"}
TYPES = family().names


def _schema(type_name: str) -> str:
    return family().get(type_name).record_schema


def _changed(type_name: str, path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    record = copy.deepcopy(DOCUMENTED[type_name])
    node: Any = record
    for step in path[:-1]:
        node = node[step]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return record


def test_every_type_has_a_record_schema_and_a_documented_record() -> None:
    assert set(DOCUMENTED) == set(TYPES)


@pytest.mark.parametrize("type_name", TYPES)
def test_documented_record_is_accepted(type_name: str) -> None:
    errors = [e.message for e in validator_for(_schema(type_name)).iter_errors(DOCUMENTED[type_name])]
    assert errors == []


@pytest.mark.parametrize("type_name", TYPES)
def test_error_record_is_accepted_by_every_type(type_name: str) -> None:
    assert validator_for(_schema(type_name)).is_valid(ERROR)
    assert validator_for("error-output-record").is_valid(ERROR)


@pytest.mark.parametrize("type_name", TYPES)
def test_a_mix_of_record_and_error_is_refused(type_name: str) -> None:
    assert not validator_for(_schema(type_name)).is_valid({**DOCUMENTED[type_name], **ERROR})


@pytest.mark.parametrize("type_name", TYPES)
def test_a_record_of_another_type_is_refused(type_name: str) -> None:
    """A KeyPhrases record is no Sentiment record, and so on (PiiEntities and Entities differ by Text and Type)."""
    for other in TYPES:
        if other != type_name:
            assert not validator_for(_schema(type_name)).is_valid(DOCUMENTED[other]), (type_name, other)


@pytest.mark.parametrize(
    ("type_name", "path", "value"),
    [
        ("Sentiment", ("Line",), -1),
        ("Sentiment", ("File",), ""),
        ("KeyPhrases", ("KeyPhrases", 0, "BeginOffset"), -1),
        ("KeyPhrases", ("KeyPhrases", 0, "EndOffset"), 1.5),
        ("KeyPhrases", ("KeyPhrases", 0, "Score"), 1.2),
        ("KeyPhrases", ("KeyPhrases", 0, "Text"), KeyError),
        ("Entities", ("Entities", 0, "Type"), "DEVICE"),
        ("Entities", ("Entities", 1, "Score"), -0.1),
        ("DominantLanguage", ("Languages", 0, "Score"), KeyError),
        ("DominantLanguage", ("Languages",), KeyError),
        ("PiiEntities", ("Entities", 0, "Type"), "PERSON"),
        ("PiiEntities", ("Entities", 1, "EndOffset"), KeyError),
        ("Events", ("Events", 0, "Arguments", 0, "EntityIndex"), -1),
        ("Events", ("Entities", 0, "Mentions", 0, "Type"), "MOVIE"),
        ("Events", ("Entities", 1, "Mentions", 0, "GroupScore"), 2),
        ("Events", ("Events", 0, "Triggers", 0, "Type"), ""),
        ("Events", ("Events", 0, "Type"), "X" * 41),
        ("Events", ("Events",), KeyError),
        ("TargetedSentiment", ("Entities", 0, "Mentions", 0, "MentionSentiment", "Sentiment"), "HAPPY"),
        ("TargetedSentiment", ("Entities", 0, "Mentions", 0, "MentionSentiment", "SentimentScore", "Mixed"), KeyError),
        ("TargetedSentiment", ("Entities", 0, "DescriptiveMentionIndex", 0), -1),
        ("TargetedSentiment", ("Entities", 0, "Mentions", 0, "Type"), "BANKRUPTCY"),
    ],
)
def test_what_family_md_rules_out_is_refused(type_name: str, path: tuple[str | int, ...], value: object) -> None:
    """Offsets and indexes are integers >= 0, scores lie in [0, 1], types are their documented enums (an event type
    is the model's EventTypeString: 1..40 characters; its pattern, unanchored like the model's, allows any), every
    member of FAMILY.md's row is present."""
    assert not validator_for(_schema(type_name)).is_valid(_changed(type_name, path, value))


@pytest.mark.parametrize(
    ("type_name", "path", "value"),
    [
        ("TargetedSentiment", ("Entities",), []),
        ("KeyPhrases", ("Line",), KeyError),
        ("Entities", ("Entities", 0, "BlockReferences"), []),
        ("DominantLanguage", ("Languages", 0, "LanguageCode"), "sw"),
    ],
)
def test_what_family_md_allows_is_accepted(type_name: str, path: tuple[str | int, ...], value: object) -> None:
    """Entities may be empty (targeted sentiment); Line is absent for ONE_DOC_PER_FILE; unknown members pass; a
    dominant language is any language code, not only the LanguageCode enum."""
    assert validator_for(_schema(type_name)).is_valid(_changed(type_name, path, value))
