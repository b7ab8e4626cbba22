"""Every option of a run, in one table: a command-line flag that can also be set from ``COMPREHEND_CONTRACT_<NAME>``.

Standard library only, so that the pytest plugin can declare its options without importing the kit. The table says,
for each option, which kinds of target it applies to (``applies_to``): the CLI, the plugin, the targets and the
report all read that one answer. ``Settings`` is the values of one run with where each came from (command line,
environment, default); ``add_arguments`` is the one place that turns the table into command-line flags.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "COMPREHEND_CONTRACT_"
PARENT_PID_VARIABLE = "COMPREHEND_CONTRACT_PARENT_PID"
"""Set for the suite's pytest process by ``comprehend-contract run``: the suite stops if that process dies."""
TERMINAL_FD_VARIABLE = "COMPREHEND_CONTRACT_TERMINAL_FD"
"""Set by ``comprehend-contract run``: the descriptor of its standard error, which the suite's pytest process takes
back as its own once pytest has parsed its arguments (until then ``run`` reads it, to word pytest's usage errors)."""
METAVARS = {
    "bool": "true/false",
    "seconds": "SECONDS",
    "number": "N",
    "count": "N",
    "share": "FRACTION",
    "path": "PATH",
    "clauses": "ID",
    "job_types": "TYPE",
    "prices": "[TYPE=]USD",
}
REPEATABLE = frozenset({"clauses", "job_types", "prices"})
"""Kinds given any number of times (and comma-separated): their values add up."""

TARGET_KINDS: Mapping[str, str] = {
    "reference": "--target reference",
    "moto": "--target moto",
    "aws": "--target aws",
    "profile": "a target profile (--target PATH.toml)",
    "url": "an --endpoint-url target",
}
"""Every kind of target, and how a message names it."""
WHY_NOT: Mapping[str, str] = {
    "reference": "the embedded reference provides its own",
    "moto": "the embedded moto provides its own",
    "aws": "--target aws takes it from boto3's own configuration",
    "profile": "set it in the profile instead",
    "url": "it does not apply to an endpoint URL",
}
"""Why an option that a kind of target does not take is refused for it (given on the command line)."""
EVERY_KIND = frozenset(TARGET_KINDS)
EMBEDDED_KINDS = frozenset({"reference", "moto"})
EXTERNAL_KINDS = frozenset({"aws", "url"})
"""The external targets configured by options (a profile holds its own settings)."""


class OptionError(ValueError):
    """An option value that cannot be used; the message names the option (flag or environment variable)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a run.

    ``kind`` is ``text``, ``bool``, ``seconds`` or ``number`` (a finite number > 0), ``count`` (a whole number
    >= 0), ``path``, ``choice`` (one of ``choices``), ``clauses`` (clause ids) or ``job_types`` (job type names),
    both repeatable and comma-separated, or ``prices`` (``USD`` for every type, or ``TYPE=USD``; repeatable).
    ``target`` options describe the implementation under test; the others shape the run. ``applies_to`` is the
    kinds of target that take it.
    """

    name: str
    help: str
    kind: str = "text"
    default: Any = None
    secret: bool = False
    target: bool = True
    applies_to: frozenset[str] = EVERY_KIND
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def metavar(self) -> str:
        return "|".join(self.choices) if self.choices else METAVARS.get(self.kind, "VALUE")

    def applies(self, target_kind: str) -> bool:
        return target_kind in self.applies_to

    def refused_for(self, target_kind: str) -> str:
        """The one-line error for this option given to a kind of target it does not apply to."""
        takers = ", ".join(TARGET_KINDS[kind] for kind in TARGET_KINDS if kind in self.applies_to)
        return (
            f"option {self.flag} does not apply to {TARGET_KINDS[target_kind]}: {WHY_NOT[target_kind]} "
            f"(it applies to {takers})"
        )


OPTIONS: tuple[Option, ...] = (
    Option("target", "reference (default), moto, aws, or the path of a target profile (.toml)", default="reference"),
    Option(
        "endpoint_url",
        "Comprehend endpoint of any implementation (with --access-key-id/--secret-access-key)",
        applies_to=frozenset({"url"}),
    ),
    Option(
        "s3_endpoint_url",
        "S3 endpoint for --endpoint-url targets (default: the same URL)",
        applies_to=frozenset({"url"}),
    ),
    Option(
        "region",
        "region to sign for (default: us-east-1; for aws, boto3's configured region)",
        applies_to=EXTERNAL_KINDS,
    ),
    Option("access_key_id", "access key id for --endpoint-url targets", applies_to=frozenset({"url"})),
    Option(
        "secret_access_key",
        "secret access key for --endpoint-url targets (prefer the environment variable)",
        secret=True,
        applies_to=frozenset({"url"}),
    ),
    Option(
        "second_access_key_id", "a second account's access key id (enables AUTH-ISOLATION)", applies_to=EXTERNAL_KINDS
    ),
    Option(
        "second_secret_access_key", "the second account's secret access key", secret=True, applies_to=EXTERNAL_KINDS
    ),
    Option(
        "bucket",
        "S3 bucket for the run's inputs and outputs (required for aws and --endpoint-url)",
        applies_to=EXTERNAL_KINDS,
    ),
    Option(
        "prefix", "S3 key prefix under which the run writes (default: comprehend-contract/)", applies_to=EXTERNAL_KINDS
    ),
    Option("role_arn", "IAM role the implementation assumes to read input and write output", applies_to=EXTERNAL_KINDS),
    Option(
        "create_bucket", "create the bucket if it does not exist (true/false)", kind="bool", applies_to=EXTERNAL_KINDS
    ),
    Option("job_timeout", "seconds a job may take to reach an end state", kind="seconds"),
    Option(
        "requests_per_second",
        "the run's request rate across all its processes (default: none for local targets, 5 for aws)",
        kind="number",
    ),
    Option(
        "quota_share",
        "the share (0 to 1) of each operation's request quota (per job type and verb, from the family) the run "
        "may use across all its processes (default: no per-operation pacing for local targets, 0.5 for aws)",
        kind="share",
    ),
    Option(
        "reference_pace",
        "embedded reference only: job timing preset, fast (default) or aws-like",
        applies_to=frozenset({"reference"}),
    ),
    Option(
        "reference_time_scale",
        "embedded reference only: multiply the pace's durations by this factor",
        kind="seconds",
        applies_to=frozenset({"reference"}),
    ),
    Option(
        "max_jobs",
        "start at most N jobs in this run (clauses that needed more are NOT_EXERCISED)",
        kind="count",
        target=False,
    ),
    Option(
        "report_dir",
        "write report.json, report.md, junit.xml and report.html to DIR/<target>-<run id>/",
        kind="path",
        default="reports",
        target=False,
    ),
    Option(
        "expectations",
        "a TOML file of the target's known deviations: the run passes only if every outcome matches it",
        kind="path",
        target=False,
    ),
    Option(
        "keep_artifacts",
        "keep the run's S3 objects (inputs and outputs) instead of removing them at the end (true/false)",
        kind="bool",
        default=False,
        target=False,
    ),
    Option(
        "deadline",
        "stop the run, as interrupted, after this many seconds (default: 3 x the plan's worst-case wait + 600)",
        kind="seconds",
        target=False,
    ),
    Option(
        "max_cost",
        "refuse to start a run whose jobs could cost more than this many US dollars (worst case, with retries)",
        kind="number",
        target=False,
    ),
    Option(
        "price_per_unit",
        "US dollars per billed unit of 100 characters, for the plan's estimate: USD for every job type, or TYPE=USD "
        "(repeatable; defaults per type from the family: 0.0001, AWS's list price, where one is known)",
        kind="prices",
        default=(),
        target=False,
    ),
    Option(
        "record_snapshot",
        "write a parity snapshot of the target's answers to PATH (comprehend-contract snapshot diff compares two)",
        kind="path",
        target=False,
    ),
    Option(
        "parity_snapshot",
        "compare the target's answers with a recorded snapshot (e.g. of AWS): differences go in their own section",
        kind="path",
        target=False,
    ),
    Option(
        "parity_gate",
        "parity differences from --parity-snapshot fail the gate (true/false; default false: they are reported)",
        kind="bool",
        default=False,
        target=False,
    ),
    Option(
        "clause",
        "run only the contract tests that name this clause (repeatable; comma-separated ids too)",
        kind="clauses",
        default=(),
        target=False,
    ),
    Option(
        "progress",
        "how the run shows its jobs while they run: auto (default: live on a terminal, else plain), plain (a line "
        "per job status change and a summary at most every 30 s), none",
        kind="choice",
        default="auto",
        target=False,
        choices=("auto", "plain", "none"),
    ),
    Option(
        "job_type",
        "judge only this job type's Stop operation (repeatable, comma-separated; default: all seven, e.g. Sentiment, "
        "KeyPhrases, Entities, DominantLanguage, PiiEntities, Events, TargetedSentiment)",
        kind="job_types",
        default=(),
        target=False,
    ),
)
OPTION_NAMES = frozenset(option.name for option in OPTIONS)
BY_NAME = {option.name: option for option in OPTIONS}
SECRET_NAMES = frozenset(option.name for option in OPTIONS if option.secret)
"""The options whose value is a secret: redacted by name wherever a value of theirs could be shown."""
HIDDEN = "***"


def target_kind(values: Mapping[str, Any]) -> str:
    """The kind of target the options name: reference, moto, aws, profile or url."""
    target = str(values.get("target") or "reference")
    if values.get("endpoint_url") and target in ("reference", "url"):
        return "url"
    return "profile" if target.endswith(".toml") else target


def add_arguments(add: Callable[..., Any], options: Iterable[Option] = OPTIONS) -> None:
    """Declare ``options`` as command-line flags through ``add`` (argparse's ``add_argument`` or pytest's
    ``addoption``, which take the same arguments): the one place the option table becomes flags."""
    for option in options:
        how: dict[str, Any] = {
            "dest": f"cc_{option.name}",
            "default": [] if option.kind in REPEATABLE else None,
            "help": f"{option.help} [env: {option.env}]",
            "metavar": option.metavar,
        }
        if option.kind in REPEATABLE:
            how["action"] = "append"
        elif option.kind == "bool":
            how.update(nargs="?", const="true")
        add(option.flag, **how)


def _bool(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    lowered = str(text).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("is not true or false")


def _convert(option: Option, value: Any) -> Any:
    if option.kind == "bool":
        return _bool(value)
    if option.kind in ("seconds", "number"):
        what = "number of seconds" if option.kind == "seconds" else "number"
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"is not a {what}") from None
        if not math.isfinite(number) or number <= 0:
            raise ValueError(f"is not a positive {what}")
        return number
    if option.kind == "share":
        try:
            share = float(value)
        except (TypeError, ValueError):
            raise ValueError("is not a number") from None
        if not 0 < share <= 1:
            raise ValueError("is not a share above 0 and at most 1")
        return share
    if option.kind == "count":
        try:
            count = int(str(value).strip())
        except ValueError:
            raise ValueError("is not a whole number") from None
        if count < 0:
            raise ValueError("is negative")
        return count
    if option.kind == "choice":
        chosen = str(value).strip().lower()
        if chosen not in option.choices:
            raise ValueError(f"is not one of {', '.join(option.choices)}")
        return chosen
    if option.kind in REPEATABLE:
        items = value if isinstance(value, list | tuple) else [value]
        parts = tuple(dict.fromkeys(part.strip() for item in items for part in str(item).split(",") if part.strip()))
        return _prices(parts) if option.kind == "prices" else parts
    return str(value)


def _prices(parts: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """``USD`` (every type: ``("*", USD)``) and ``TYPE=USD`` pairs, each price a finite number >= 0."""
    prices = []
    for part in parts:
        name, _, text = part.rpartition("=")
        try:
            price = float(text)
        except ValueError:
            raise ValueError(f"is not USD or TYPE=USD ({part!r})") from None
        if not math.isfinite(price) or price < 0:
            raise ValueError(f"is not a price >= 0 ({part!r})")
        prices.append((name.strip() or "*", price))
    return tuple(prices)


@dataclass(frozen=True, slots=True)
class Settings:
    """The options of one run: each value, and where it came from (``command line``, ``environment``, ``default``)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str]

    @classmethod
    def read(cls, given: Callable[[str], Any], environ: Mapping[str, str] | None = None) -> Settings:
        """Each option's value: the command line's if given, else its environment variable's, else the default."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for option in OPTIONS:
            value, source, where = given(option.name), "command line", option.flag
            if value in (None, [], ()) and environ.get(option.env, "") != "":
                value, source, where = environ[option.env], "environment", option.env
            if value in (None, [], ()):
                values[option.name], sources[option.name] = option.default, "default"
                continue
            try:
                values[option.name] = _convert(option, value)
            except ValueError as error:
                raise OptionError(f"option {where}: {str(value)!r} {error}") from None
            sources[option.name] = source
        return cls(values, sources)

    @classmethod
    def of(cls, **values: Any) -> Settings:
        """Settings from keyword values alone (tests and tools): no environment."""
        unknown = set(values) - OPTION_NAMES
        if unknown:
            raise OptionError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return cls.read(values.get, environ={})

    def __repr__(self) -> str:
        """Every value, secret options' as ``***`` (a ``-l`` traceback shows the run's settings)."""
        shown = {name: HIDDEN if name in SECRET_NAMES and value else value for name, value in self.values.items()}
        return f"Settings(values={shown!r}, sources={dict(self.sources)!r})"

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def given(self) -> dict[str, Any]:
        """The options set on the command line or in the environment, secrets included (``report_options`` in the
        core hides them)."""
        return {name: value for name, value in self.values.items() if self.sources[name] != "default"}

    def target_values(self) -> dict[str, Any]:
        """The options that describe the implementation under test."""
        return {option.name: self.values[option.name] for option in OPTIONS if option.target}
