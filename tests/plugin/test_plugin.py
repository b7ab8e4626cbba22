"""The pytest plugin end to end, with pytester: options, clause markers, verdicts, exit status, xdist."""

from __future__ import annotations

import json
import re
import socket
import sys
import textwrap

import pytest

from comprehend_contract.plugin import EXIT_TARGET_UNREACHABLE

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def one_job_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """These self-tests are about the plugin's mechanics: each sample contract test once, for the seed type."""
    monkeypatch.setenv("COMPREHEND_CONTRACT_JOB_TYPE", "Sentiment")


def test_each_contract_test_is_made_once_per_job_type_the_run_selects(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_contract_tests(pytester, "import pytest\n\n@pytest.mark.clause('STOP-NOT-FOUND')\ndef test_x(job_type):\n"
                         "    assert job_type.stop.startswith('Stop')\n")  # fmt: skip
    monkeypatch.delenv("COMPREHEND_CONTRACT_JOB_TYPE")
    result = pytester.runpytest("contract_tests", "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if "::test_x[" in line]
    assert ids[0].endswith("test_x[StopSentimentDetectionJob]"), "the seed operation first"
    assert len(ids) == 7
    result = pytester.runpytest("contract_tests", "--collect-only", "-q", "--job-type", "events,PiiEntities")
    ids = [line.rpartition("[")[2] for line in result.stdout.lines if "::test_x[" in line]
    assert ids == ["StopPiiEntitiesDetectionJob]", "StopEventsDetectionJob]"], "in the family's order"
    result = pytester.runpytest("contract_tests", "--job-type", "Sentimnt")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown job type 'Sentimnt'; did you mean Sentiment*"])


def write_contract_tests(pytester: pytest.Pytester, source: str) -> None:
    pytester.mkpydir("contract_tests")
    (pytester.path / "contract_tests" / "test_sample.py").write_text(textwrap.dedent(source), encoding="utf-8")


def test_contract_test_without_clause_marker_is_a_collection_error(pytester: pytest.Pytester) -> None:
    write_contract_tests(pytester, "def test_unmarked():\n    assert True\n")
    result = pytester.runpytest("contract_tests")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_unmarked*: a contract test must name its clauses*"])


def test_unknown_clause_id_is_a_collection_error_with_a_suggestion(pytester: pytest.Pytester) -> None:
    write_contract_tests(
        pytester,
        """
        import pytest

        @pytest.mark.clause("STOP-OUTPT")
        def test_typo():
            assert True
        """,
    )
    result = pytester.runpytest("contract_tests")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown clause id 'STOP-OUTPT'; did you mean STOP-OUTPUT*"])


def test_tests_outside_contract_tests_need_no_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "clause verdicts" not in result.stdout.str()


SAMPLE = """
import pytest

@pytest.mark.clause("STOP-NOT-FOUND")
def test_passes(checks):
    with checks.clause("STOP-NOT-FOUND"):
        assert 1 + 1 == 2

@pytest.mark.clause("AUTH-ISOLATION")
def test_not_exercised():
    pytest.skip("not exercised: the target profile has no second account")

@pytest.mark.clause("STOP-COMPLETED", "STOP-FAILED")
def test_attributed_failure(checks):
    with checks.clause("STOP-COMPLETED"):
        assert False, "answered 200 instead of 400"
    with checks.clause("STOP-FAILED"):
        assert True

@pytest.mark.clause("RESP-SCHEMA")
def test_incidental_failure_fails_the_run(checks):
    with checks.clause("PROTO-REQUEST-ID"):
        assert False, "no x-amzn-RequestId header"

@pytest.mark.clause("STOP-OUTPUT")
def test_error_in_a_fixture(broken):
    pass

@pytest.fixture
def broken():
    raise RuntimeError("fixture blew up")
"""


ROLLED_UP = {"PASS": "PASS", "FAIL": "FAIL", "n/e": "NOT_EXERCISED", "xfail": "EXPECTED_FAIL"}


def _verdict_lines(output: str) -> dict[str, str]:
    """Each clause's rolled-up verdict (the table's last column) and then every reason the summary gives for it."""
    verdicts: dict[str, str] = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in ("MUST", "SHOULD") and parts[-1] in ROLLED_UP:
            verdicts[parts[0]] = ROLLED_UP[parts[-1]]
        elif len(parts) >= 3 and parts[0] in ROLLED_UP and parts[1] in verdicts and parts[2] == "on":
            verdicts[parts[1]] += " " + line.strip()
    return verdicts


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_verdicts_per_clause(pytester: pytest.Pytester, workers: list[str]) -> None:
    write_contract_tests(pytester, SAMPLE)
    result = pytester.runpytest_subprocess("contract_tests", *workers)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    verdicts = _verdict_lines(result.stdout.str())
    assert verdicts["STOP-NOT-FOUND"].split()[0] == "PASS"
    assert verdicts["AUTH-ISOLATION"].split()[0] == "NOT_EXERCISED"
    assert "no second account" in verdicts["AUTH-ISOLATION"]
    assert verdicts["STOP-COMPLETED"].split()[0] == "FAIL"
    assert "answered 200 instead of 400" in verdicts["STOP-COMPLETED"]
    assert verdicts["STOP-FAILED"].split()[0] == "PASS", "an attributed failure blames only its clause"
    assert verdicts["RESP-SCHEMA"].split()[0] == "PASS"
    assert verdicts["PROTO-REQUEST-ID"].split()[0] == "FAIL"
    assert verdicts["STOP-OUTPUT"].split()[0] == "FAIL", "an error in a fixture is never a pass"
    assert verdicts["STOP-OUTCOME"].split()[0] == "NOT_EXERCISED"
    unnamed = [line for line in result.stdout.str().splitlines() if line.startswith("  n/e   ")]
    assert any("no test of this run names this clause: " in line for line in unnamed)
    assert "STOP-OUTCOME," in " ".join(unnamed)


def test_incidental_failure_alone_fails_the_run(pytester: pytest.Pytester) -> None:
    write_contract_tests(
        pytester,
        """
        import pytest

        @pytest.mark.clause("RESP-SCHEMA")
        def test_only_incidental(checks):
            with checks.clause("ERR-SHAPE"):
                assert False, "error body is HTML"
        """,
    )
    result = pytester.runpytest("contract_tests")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert _verdict_lines(result.stdout.str())["ERR-SHAPE"].split()[0] == "FAIL"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "nonsense"], "option --target: 'nonsense' is not reference, moto, aws or a .toml profile path"),
        (["--job-timeout", "soon"], "option --job-timeout: 'soon' is not a number of seconds"),
        (["--endpoint-url", "http://127.0.0.1:9"], "option --access-key-id (or COMPREHEND_CONTRACT_ACCESS_KEY_ID)"),
        (["--endpoint-url", "ftp://x"], "option --endpoint-url: 'ftp://x' is not an http(s) URL"),
        (
            ["--target", "moto", "--bucket", "b"],
            "option --bucket does not apply to --target moto: the embedded moto provides its own",
        ),
        (["--target", "missing.toml"], "target profile missing.toml does not exist"),
    ],
)
def test_bad_option_is_one_clear_error_before_any_test(
    pytester: pytest.Pytester, args: list[str], message: str
) -> None:
    write_contract_tests(pytester, "import pytest\n\n@pytest.mark.clause('STOP-NOT-FOUND')\ndef test_x():\n    pass\n")
    result = pytester.runpytest("contract_tests", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert "passed" not in result.stdout.str()


def test_options_come_from_the_environment(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    write_contract_tests(pytester, "import pytest\n\n@pytest.mark.clause('STOP-NOT-FOUND')\ndef test_x():\n    pass\n")
    monkeypatch.setenv("COMPREHEND_CONTRACT_TARGET", "nonsense-from-env")
    result = pytester.runpytest("contract_tests")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "'nonsense-from-env'" in result.stderr.str()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_endpoint_is_one_error_with_a_distinct_exit_code(pytester: pytest.Pytester) -> None:
    write_contract_tests(
        pytester,
        "import pytest\n\n"
        + "".join(f"@pytest.mark.clause('STOP-NOT-FOUND')\ndef test_{n}(target):\n    pass\n\n" for n in range(20)),
    )
    port = _closed_port()
    pytester.makefile(
        ".toml",
        unreachable=f"""
        endpoint_url = "http://127.0.0.1:{port}"
        region = "us-east-1"
        [credentials]
        access_key_id = "AKIAEXAMPLE"
        secret_access_key = "secret"
        [s3]
        bucket = "some-bucket"
        role_arn = "arn:aws:iam::123456789012:role/x"
        """,
    )
    result = pytester.runpytest_subprocess("contract_tests", "--target", "unreachable.toml")
    assert result.ret == EXIT_TARGET_UNREACHABLE
    message = f"is unreachable: no answer from http://127.0.0.1:{port} within 5 s"
    assert result.stdout.str() == "", "no session header, no verdicts, no summary"
    assert len(result.stderr.lines) == 1, result.stderr.str()
    assert result.stderr.lines[0].startswith("comprehend-contract: error: target 'unreachable' ")
    assert message in result.stderr.lines[0]
    assert "Check that the implementation is running" in result.stderr.lines[0]


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ('endpoint_url = "http://127.0.0.1:1"\n', "field (top level): 'region' is a required property"),
        ("this is = not toml = at all", "is not valid TOML"),
        (
            'endpoint_url = "http://127.0.0.1:1"\nregion = "us-east-1"\nregoin = "x"\n'
            '[credentials]\naccess_key_id = "A"\nsecret_access_key = "S"\n'
            '[s3]\nbucket = "bucket-name"\nrole_arn = "arn:aws:iam::123456789012:role/x"\n',
            "'regoin' was unexpected",
        ),
        (
            'endpoint_url = "http://127.0.0.1:1"\nregion = "us-east-1"\n'
            '[credentials]\naccess_key_id = "A"\nsecret_access_key = "S"\n'
            '[s3]\nbucket = "Bad_Bucket"\nrole_arn = "arn:aws:iam::123456789012:role/x"\n',
            "field s3.bucket: 'Bad_Bucket' does not match",
        ),
    ],
    ids=["missing-region", "not-toml", "unknown-key", "bad-bucket"],
)
def test_bad_profile_names_the_field(pytester: pytest.Pytester, profile: str, message: str) -> None:
    write_contract_tests(pytester, "import pytest\n\n@pytest.mark.clause('STOP-NOT-FOUND')\ndef test_x():\n    pass\n")
    (pytester.path / "target.toml").write_text(profile, encoding="utf-8")
    result = pytester.runpytest("contract_tests", "--target", "target.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


GATED = """
import pytest

@pytest.mark.clause("STOP-NOT-FOUND")
def test_passes():
    pass

@pytest.mark.clause("REQ-JOBID-PATTERN")
def test_fails():
    assert False, "rejects CJK letters"
"""


@pytest.mark.parametrize(
    ("deviations", "exit_code"),
    [
        (None, pytest.ExitCode.TESTS_FAILED),
        (["REQ-JOBID-PATTERN"], pytest.ExitCode.OK),
        (["REQ-JOBID-PATTERN", "STOP-NOT-FOUND"], pytest.ExitCode.TESTS_FAILED),
    ],
    ids=["no-expectations", "failure-expected", "unexpected-pass"],
)
@pytest.mark.slow
def test_expectations_gate_the_exit_status_both_ways(
    pytester: pytest.Pytester, deviations: list[str] | None, exit_code: int
) -> None:
    write_contract_tests(pytester, GATED)
    args = ["contract_tests", "--report-dir", "out"]
    if deviations is not None:
        entries = "".join(f'[[deviation]]\nclause = "{c}"\nreason = "known"\n' for c in deviations)
        (pytester.path / "expected.toml").write_text(entries, encoding="utf-8")
        args += ["--expectations", "expected.toml"]
    result = pytester.runpytest(*args)
    assert result.ret == exit_code
    report = json.loads((pytester.path / "out" / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] is (exit_code == pytest.ExitCode.OK)


def test_expectations_command_writes_a_file_that_passes_the_same_run(pytester: pytest.Pytester) -> None:
    write_contract_tests(pytester, GATED)
    pytester.runpytest("contract_tests", "--report-dir", "out")
    written = pytester.run(
        sys.executable,
        "-m",
        "comprehend_contract",
        "expectations",
        "--from",
        "out/latest/report.json",
        "--output",
        "expected.toml",
    )
    assert written.ret == 0
    again = pytester.runpytest("contract_tests", "--report-dir", "out", "--expectations", "expected.toml")
    assert again.ret == pytest.ExitCode.OK


def test_bad_expectations_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    write_contract_tests(pytester, GATED)
    (pytester.path / "expected.toml").write_text('[[deviation]]\nclause = "NOPE-1"\nreason = "x"\n', encoding="utf-8")
    result = pytester.runpytest("contract_tests", "--expectations", "expected.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown clause id 'NOPE-1'" in result.stderr.str()


UNRELATED_TEST = """
import sys


def test_the_kit_stayed_out_of_the_way():
    assert "boto3" not in sys.modules, "the kit imported boto3"
    assert "botocore" not in sys.modules, "the kit imported botocore"
    assert "jsonschema" not in sys.modules, "the kit imported jsonschema"
    assert "comprehend_contract.plugin.session" not in sys.modules, "the kit's session plugin was loaded"
"""


def test_plugin_is_inert_in_a_session_without_contract_tests(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another project's pytest: no kit imports, nothing created, and COMPREHEND_CONTRACT_* ignored."""
    pytester.makepyfile(test_unrelated=UNRELATED_TEST)
    temp = pytester.mkdir("tmp")
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("COMPREHEND_CONTRACT_TARGET", "nonsense")
    monkeypatch.setenv("COMPREHEND_CONTRACT_MAX_JOBS", "many")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--basetemp", str(pytester.path / "base"))
    assert result.ret == pytest.ExitCode.OK, result.stdout.str() + result.stderr.str()
    result.assert_outcomes(passed=1)
    assert "comprehend-contract plan" not in result.stdout.str()
    assert "clause verdicts" not in result.stdout.str()
    assert list(temp.iterdir()) == [], "the plugin created files"


def test_plugin_wakes_up_for_a_named_option(pytester: pytest.Pytester) -> None:
    """Naming a kit option is asking for the kit: a bad value is then a usage error."""
    pytester.makepyfile(test_unrelated="def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--max-jobs", "many")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "option --max-jobs: 'many' is not a whole number" in result.stderr.str()


def test_an_expected_failure_tells_one_story_in_pytest_the_report_and_junit(pytester: pytest.Pytester) -> None:
    """The gate passes, so pytest says xfailed (not failed), the table EXPECTED_FAIL, JUnit skipped, exit 0."""
    import xml.etree.ElementTree as ET

    write_contract_tests(pytester, GATED)
    (pytester.path / "expected.toml").write_text(
        '[[deviation]]\nclause = "REQ-JOBID-PATTERN"\nreason = "rejects CJK letters"\n', encoding="utf-8"
    )
    result = pytester.runpytest("contract_tests", "--report-dir", "out", "--expectations", "expected.toml")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, xfailed=1)
    assert "REQ-JOBID-PATTERN MUST xfail xfail" in " ".join(result.stdout.str().split())
    report = json.loads((pytester.path / "out" / "latest" / "report.json").read_text(encoding="utf-8"))
    outcomes = {test["nodeid"].rpartition("::")[2]: test["outcome"] for test in report["tests"]}
    assert outcomes == {
        "test_passes[StopSentimentDetectionJob]": "passed",
        "test_fails[StopSentimentDetectionJob]": "xfailed",
    }
    junit = ET.parse(pytester.path / "out" / "latest" / "junit.xml").getroot()
    suite = next(s for s in junit.iter("testsuite") if s.get("name") == "StopSentimentDetectionJob: tests")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("2", "0", "1")
    skipped = next(iter(junit.iter("skipped")))
    assert "REQ-JOBID-PATTERN: rejects CJK letters" in (skipped.get("message") or "")


def test_a_pass_the_expectations_name_as_failing_is_a_strict_xpass(pytester: pytest.Pytester) -> None:
    write_contract_tests(pytester, GATED)
    (pytester.path / "expected.toml").write_text(
        '[[deviation]]\nclause = "STOP-NOT-FOUND"\nreason = "fixed since"\n'
        'tests = ["contract_tests/test_sample.py::test_passes"]\n',
        encoding="utf-8",
    )
    result = pytester.runpytest("contract_tests", "--report-dir", "out", "--expectations", "expected.toml")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "[XPASS(strict)] expected to fail (STOP-NOT-FOUND on StopSentimentDetectionJob)" in result.stdout.str()
    report = json.loads((pytester.path / "out" / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["gate"]["passed"] is False


def test_report_directory_names_are_safe_for_artifacts(pytester: pytest.Pytester) -> None:
    """A URL target is named after its host and port: the directory must not carry the ':'."""
    from comprehend_contract.core.context import safe_name

    assert safe_name("127.0.0.1:4599-20261129T000000Z-abc123") == "127.0.0.1-4599-20261129T000000Z-abc123"
    assert safe_name("my clone/v2") == "my-clone-v2"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", safe_name("ü:/\\*?")) or safe_name("ü:/\\*?") == "run"


ORDERED = """
import pytest
from hypothesis import given, settings, strategies as st


@pytest.mark.clause("STOP-NOT-FOUND")
@pytest.mark.scenario("completed")
def test_judges_a_job():
    pass


@pytest.mark.clause("STOP-NOT-FOUND")
def test_plain():
    pass


@pytest.mark.clause("STOP-NOT-FOUND")
@settings(max_examples=1)
@given(st.none())
def test_property(value):
    pass
"""


def test_property_tests_run_first_and_tests_that_judge_a_job_last(pytester: pytest.Pytester) -> None:
    """A property test sends dozens of requests: started last, it would hold one xdist worker while the rest idle."""
    write_contract_tests(pytester, ORDERED)
    result = pytester.runpytest("contract_tests", "--collect-only", "-q")
    names = [line.rpartition("::")[2].partition("[")[0] for line in result.stdout.lines if "::" in line]
    assert names == ["test_property", "test_plain", "test_judges_a_job"], result.stdout.str()


REWRITING = """
import sys

import pytest

from _pytest.assertion.rewrite import AssertionRewritingHook


@pytest.mark.clause("STOP-NOT-FOUND")
def test_only_tests_are_rewritten():
    import hypothesis.core

    assert isinstance(__loader__, AssertionRewritingHook), "the contract test's asserts were not rewritten"
    library = [name for name in ("hypothesis.core", "comprehend_contract.core.checks")
               if isinstance(sys.modules[name].__loader__, AssertionRewritingHook)]
    assert library == [], "library modules were rewritten"
"""


def test_library_modules_are_not_assertion_rewritten_in_a_contract_session(pytester: pytest.Pytester) -> None:
    """pytest would rewrite every module of the kit's and hypothesis's distributions, anew in each process when
    bytecode is not written: about 0.7 s of CPU per pytest process, for modules that hold no test."""
    write_contract_tests(pytester, REWRITING)
    result = pytester.runpytest_subprocess("contract_tests", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


DIST_MODE = """
import pytest


@pytest.mark.clause("STOP-NOT-FOUND")
def test_passes():
    pass
"""

RECORD_DIST_MODE = """
def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):
        with open("dist-mode.txt", "w", encoding="utf-8") as record:
            record.write(session.config.option.dist)
"""


@pytest.mark.parametrize(("given", "expected"), [([], "worksteal"), (["--dist", "load"], "load")])
def test_xdist_steals_work_unless_a_distribution_mode_is_given(
    pytester: pytest.Pytester, given: list[str], expected: str
) -> None:
    """Tests queued behind a long one are taken by idle workers; an explicit --dist is obeyed."""
    write_contract_tests(pytester, DIST_MODE)
    pytester.makeconftest(RECORD_DIST_MODE)
    # collect only: the choice is made before any worker starts, and is all this test needs to see
    result = pytester.runpytest("contract_tests", "-p", "no:cacheprovider", "-n", "2", "--co", *given)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str() + result.stderr.str()
    assert (pytester.path / "dist-mode.txt").read_text(encoding="utf-8") == expected
