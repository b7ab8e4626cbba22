"""The JobId boundary cases are derived from the schema and cover both sides of every constraint."""

from __future__ import annotations

import unicodedata

from comprehend_contract.harness.boundaries import (
    CHARACTER_SAMPLES,
    job_id_rules,
    length_cases,
    pattern_cases,
    schema_accepts,
)


def test_samples_cover_every_category_the_pattern_decides_on() -> None:
    accepted = {unicodedata.category(c) for c in CHARACTER_SAMPLES if schema_accepts(f"x{c}x")}
    rejected = {unicodedata.category(c) for c in CHARACTER_SAMPLES if not schema_accepts(f"x{c}x")}
    assert {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "No", "Zs", "Zl", "Zp"} <= accepted
    assert {"Cc", "Cf", "Co", "Mn", "Me", "Po", "Ps", "Pe", "Sm", "Sc", "Sk", "So"} <= rejected


def test_length_cases_sit_on_both_sides_of_the_schema_bounds() -> None:
    rules = job_id_rules()
    valid = {len(case.job_id) for case in length_cases() if case.valid}
    invalid = {len(case.job_id) for case in length_cases() if not case.valid}
    assert {rules["minLength"], rules["maxLength"]} <= valid
    assert {rules["minLength"] - 1, rules["maxLength"] + 1} <= invalid


def test_cases_say_what_the_schema_says() -> None:
    for case in length_cases() + pattern_cases():
        assert case.valid is schema_accepts(case.job_id), case
    assert any(case.valid for case in pattern_cases())
    assert any(not case.valid for case in pattern_cases())
