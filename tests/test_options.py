"""The one option table: command line over environment over default, each mistake one error naming the option."""

from __future__ import annotations

import pytest

from comprehend_contract.options import OPTIONS, OptionError, Settings


def test_environment_fills_what_the_command_line_leaves_out() -> None:
    found = Settings.read(lambda name: None, environ={"COMPREHEND_CONTRACT_TARGET": "moto"})
    assert found["target"] == "moto"
    assert found.sources["target"] == "environment"
    chosen = Settings.read(
        lambda name: "reference" if name == "target" else None, environ={"COMPREHEND_CONTRACT_TARGET": "moto"}
    )
    assert chosen["target"] == "reference", "the command line wins over the environment"


def test_every_run_option_is_in_the_table() -> None:
    """max-jobs, report-dir, expectations, keep-artifacts and clause come from the same table as target options."""
    names = {option.name for option in OPTIONS}
    assert {"max_jobs", "report_dir", "expectations", "keep_artifacts", "clause"} <= names
    assert len(names) == len(OPTIONS)


def test_run_options_are_typed_from_either_source() -> None:
    settings = Settings.read(
        lambda name: ["A-B,C-D", "E-F"] if name == "clause" else None,
        environ={"COMPREHEND_CONTRACT_MAX_JOBS": "3", "COMPREHEND_CONTRACT_KEEP_ARTIFACTS": "yes"},
    )
    assert settings["max_jobs"] == 3
    assert settings["keep_artifacts"] is True
    assert settings.sources["keep_artifacts"] == "environment"
    assert settings["clause"] == ("A-B", "C-D", "E-F")
    assert settings["report_dir"] == "reports"


def test_keep_artifacts_from_the_environment_is_what_the_report_records() -> None:
    settings = Settings.read(lambda name: None, environ={"COMPREHEND_CONTRACT_KEEP_ARTIFACTS": "true"})
    assert settings.given() == {"keep_artifacts": True}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"COMPREHEND_CONTRACT_MAX_JOBS": "many"}, "COMPREHEND_CONTRACT_MAX_JOBS: 'many' is not a whole number"),
        ({"COMPREHEND_CONTRACT_MAX_JOBS": "-1"}, "COMPREHEND_CONTRACT_MAX_JOBS: '-1' is negative"),
        ({"COMPREHEND_CONTRACT_JOB_TIMEOUT": "0"}, "'0' is not a positive number of seconds"),
        ({"COMPREHEND_CONTRACT_CREATE_BUCKET": "maybe"}, "'maybe' is not true or false"),
        ({"COMPREHEND_CONTRACT_PROGRESS": "loud"}, "PROGRESS: 'loud' is not one of auto, plain, none"),
    ],
)
def test_a_bad_value_names_its_option(environ: dict[str, str], message: str) -> None:
    with pytest.raises(OptionError, match=message):
        Settings.read(lambda name: None, environ=environ)


def test_progress_is_auto_unless_chosen_and_takes_any_case() -> None:
    assert Settings.read(lambda name: None, environ={})["progress"] == "auto"
    assert Settings.read(lambda name: None, environ={"COMPREHEND_CONTRACT_PROGRESS": "Plain"})["progress"] == "plain"
