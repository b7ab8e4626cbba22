"""The schema generator: the committed schemas are its output, and it notices every way they can fall out of step."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from comprehend_contract.resources import schemas_dir
from comprehend_contract.spec.family import family, parse_family
from comprehend_contract.spec.generate import GENERATED, generate, main, out_of_step, render, write
from comprehend_contract.spec.schemas import load_schema

FAMILY_TOML = Path(__file__).resolve().parents[2] / "src" / "comprehend_contract" / "spec" / "family.toml"


def test_committed_schemas_are_the_generators_output() -> None:
    """Fails when family.toml or the generator changed and `python -m comprehend_contract.spec.generate` was not run
    (or a generated file was edited by hand)."""
    differing = out_of_step()
    assert not differing, "out of step with spec/family.toml, run python -m comprehend_contract.spec.generate: " + (
        ", ".join(differing)
    )


def test_generator_writes_56_operation_schemas_and_the_job_properties() -> None:
    documents = generate()
    operations = {f"{op}.{direction}.json" for op in family().operations() for direction in ("request", "response")}
    assert len(operations) == 56
    assert set(documents) == operations | {"job-properties.json"}
    assert all(document["$comment"] == GENERATED for document in documents.values())


def test_seed_schemas_keep_their_names_and_ids() -> None:
    """The four sentiment schemas existing callers load by name keep their $ids."""
    for operation in family().seed.operations:
        for direction in ("request", "response"):
            name = f"{operation}.{direction}"
            assert load_schema(name)["$id"] == f"https://comprehend-contract.example/schemas/{name}.json"


def test_each_types_differences_reach_its_schemas() -> None:
    """Entities adds recognizer ARNs; DominantLanguage has no LanguageCode; PiiEntities has Mode and a
    PiiOutputDataConfig and no VPC; Events requires TargetEventTypes."""
    documents = generate()
    properties = documents["job-properties.json"]["$defs"]

    def members(name: str) -> set[str]:
        return set(documents[name]["properties"])

    assert {"EntityRecognizerArn", "FlywheelArn"} <= members("StartEntitiesDetectionJob.request.json")
    assert "EntityRecognizerArn" in members("StartEntitiesDetectionJob.response.json")
    assert "EntityRecognizerArn" not in members("StartSentimentDetectionJob.response.json")
    assert "LanguageCode" not in members("StartDominantLanguageDetectionJob.request.json")
    assert "LanguageCode" not in properties["DominantLanguageDetectionJobProperties"]["properties"]
    pii = properties["PiiEntitiesDetectionJobProperties"]["properties"]
    assert pii["OutputDataConfig"] == {"$ref": "definitions.json#/$defs/ResponsePiiOutputDataConfig"}
    assert {"Mode", "RedactionConfig"} <= set(pii)
    assert not {"VolumeKmsKeyId", "VpcConfig"} & set(pii)
    assert "Mode" in documents["StartPiiEntitiesDetectionJob.request.json"]["required"]
    assert "TargetEventTypes" in documents["StartEventsDetectionJob.request.json"]["required"]


def test_check_names_changed_missing_and_stale_files(tmp_path: Path) -> None:
    """--check's three ways to be out of step: a file edited, a file missing, a generated file no type writes."""
    folder = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), folder)
    assert out_of_step(folder) == []
    edited = folder / "StopEventsDetectionJob.request.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"JobId"]', '"JobId", "Force"]'), encoding="utf-8")
    (folder / "ListPiiEntitiesDetectionJobs.response.json").unlink()
    stale = {"$comment": GENERATED, "$id": "https://comprehend-contract.example/schemas/StopTopicsDetectionJob.json"}
    (folder / "StopTopicsDetectionJob.request.json").write_text(render(stale), encoding="utf-8")
    (folder / "hand-written.json").write_text("{}\n", encoding="utf-8")
    expected = [
        "ListPiiEntitiesDetectionJobs.response.json",
        "StopEventsDetectionJob.request.json",
        "StopTopicsDetectionJob.request.json",
    ]
    assert out_of_step(folder) == expected
    assert main(["--check", "--schemas-dir", str(folder)]) == 1
    assert write(folder) == expected
    assert out_of_step(folder) == []
    assert not (folder / "StopTopicsDetectionJob.request.json").exists()
    assert (folder / "hand-written.json").exists(), "a file the generator did not write is never removed"


def test_a_new_type_is_an_entry_in_the_family_file() -> None:
    """Adding a type to family.toml (here a copy of KeyPhrases named Syntax) yields its eight schemas."""
    text = FAMILY_TOML.read_text(encoding="utf-8")
    entry = text[text.index('[[type]]\nname = "KeyPhrases"') : text.index('[[type]]\nname = "Entities"')]
    syntax = entry.replace("KeyPhrases", "Syntax").replace("key-phrases", "syntax")
    documents = generate(parse_family(text + "\n" + syntax))
    assert "StopSyntaxDetectionJob.request.json" in documents
    assert "SyntaxDetectionJobProperties" in documents["job-properties.json"]["$defs"]
    listing = documents["ListSyntaxDetectionJobs.response.json"]["properties"]["SyntaxDetectionJobPropertiesList"]
    assert listing["items"] == {"$ref": "job-properties.json#/$defs/SyntaxDetectionJobProperties"}


def test_render_is_json_with_a_final_newline() -> None:
    document = generate()["StopSentimentDetectionJob.request.json"]
    text = render(document)
    assert json.loads(text) == document
    assert text.endswith("}\n")
    assert '"required": ["JobId"]' in text


@pytest.mark.parametrize("args", [["--check"], []])
def test_the_documented_command_runs(args: list[str], tmp_path: Path) -> None:
    """`python -m comprehend_contract.spec.generate [--check]` exits 0 on the committed schemas."""
    folder = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), folder)
    command = [sys.executable, "-m", "comprehend_contract.spec.generate", *args, "--schemas-dir", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "in step" in result.stdout or "0 of" in result.stdout
