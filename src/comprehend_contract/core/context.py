"""One run of the suite: its settings, id, shared directory, target and plan, in one object.

The pytest plugin makes one ``RunContext`` per process (xdist workers receive the controller's run id and
coordination directory) and hands it to fixtures; nothing else derives these values.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.plan import Plan
from comprehend_contract.core.progress import ProgressLog
from comprehend_contract.options import (
    BY_NAME,
    OPTIONS,
    SECRET_NAMES,
    TARGET_KINDS,
    OptionError,
    Settings,
    target_kind,
)
from comprehend_contract.reports import REDACTED, Expectations, ExpectationsError, load_expectations
from comprehend_contract.snapshots import Snapshot, SnapshotError
from comprehend_contract.spec import UnknownClause, catalogue
from comprehend_contract.spec.family import JobType, UnknownJobType, family
from comprehend_contract.targets import Budgets, Target, resolve_target


def _check_report_dir(directory: Path) -> None:
    """Fail now, not after the whole run, if the reports cannot be written, saying why and what to give instead."""
    blocking = next((path for path in (directory, *directory.parents) if path.exists() and not path.is_dir()), None)
    if blocking is not None:
        what = "is a file" if blocking == directory else f"is under {blocking}, which is a file"
        raise OptionError(
            f"option --report-dir: {directory} {what}, not a directory: give a directory (it is created if missing)"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / f".write-test-{uuid.uuid4().hex[:8]}"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as error:
        raise OptionError(
            f"option --report-dir: cannot write reports to {directory}: {error.strerror}: give a directory you can "
            "write to"
        ) from None


def _check_snapshot_path(path: Path) -> None:
    """``--record-snapshot`` is written at the end of the run: say now, not after it, if it cannot be."""
    folder = path.parent
    why = None
    if path.is_dir():
        why = "it is a directory"
    elif not folder.is_dir():
        why = f"{folder} is not a directory" if folder.exists() else f"{folder} does not exist"
    elif not os.access(folder, os.W_OK):
        why = f"{folder} is not writable"
    if why is not None:
        raise OptionError(f"option --record-snapshot: cannot write {path}: {why}: give a file in a writable directory")


def safe_name(name: str) -> str:
    """``name`` with every character but ``A-Za-z0-9._-`` replaced: fit for any file system and CI artifact."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "run"


def _job_types(names: tuple[str, ...]) -> tuple[JobType, ...]:
    """The named job types in the family's order (none named: every type); ``OptionError`` naming the choices."""
    try:
        chosen = {family().get(name).name for name in names}
    except UnknownJobType as error:
        raise OptionError(f"option --job-type: {error}") from None
    return tuple(job_type for job_type in family() if not chosen or job_type.name in chosen)


def _check_prices(prices: tuple[tuple[str, float], ...]) -> None:
    for name, _ in prices:
        if name != "*":
            try:
                family().get(name)
            except UnknownJobType as error:
                raise OptionError(f"option --price-per-unit: {error}") from None


def new_run_id() -> str:
    """A sortable, unique run id: ``<UTC time>-<6 hex>``; job names and S3 prefixes carry it."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@dataclass
class RunContext:
    """Everything one run shares. ``worker`` is the xdist worker id in a worker process, else None."""

    settings: Settings
    run_id: str
    coordination: Coordination
    target: Target
    expectations: Expectations | None = None
    worker: str | None = None
    plan: Plan | None = None
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    stop_reason: str | None = None
    """Why the run ended before every test ran (a signal, the deadline...), once it has."""
    parity: Snapshot | None = None
    """The recorded snapshot this run's answers are compared with (``--parity-snapshot``)."""
    job_types: tuple[JobType, ...] = ()
    """The job types whose Stop operations the run judges, in the family's order (Sentiment first)."""

    @classmethod
    def create(
        cls, settings: Settings, *, run_id: str | None = None, directory: Path | None = None, worker: str | None = None
    ) -> RunContext:
        """Check every setting and resolve the target (not started); ``OptionError`` names what is wrong.

        An environment variable for an option that does not apply to the chosen target is ignored (a shell may
        export ``COMPREHEND_CONTRACT_SECRET_ACCESS_KEY`` for another target); on the command line it is an error.
        """
        values = settings.target_values()
        kind = target_kind(values)
        target = resolve_target(
            {
                name: value
                for name, value in values.items()
                if kind not in TARGET_KINDS or BY_NAME[name].applies(kind) or settings.sources[name] != "environment"
            }
        )
        if worker is None:  # only the controller (or the only process) writes the reports and the snapshot
            _check_report_dir(Path(settings["report_dir"]))
            if settings["record_snapshot"]:
                _check_snapshot_path(Path(settings["record_snapshot"]))
        for clause_id in settings["clause"]:
            try:
                catalogue().get(clause_id)
            except UnknownClause as error:
                raise OptionError(f"option --clause: {error}") from None
        expectations = None
        if settings["expectations"]:
            try:
                expectations = load_expectations(Path(settings["expectations"]))
            except ExpectationsError as error:
                raise OptionError(str(error)) from None
        parity = None
        if settings["parity_snapshot"] and worker is None:
            try:
                parity = Snapshot.load(settings["parity_snapshot"])
            except SnapshotError as error:
                raise OptionError(f"option --parity-snapshot: {error}") from None
        job_types = _job_types(settings["job_type"] or target.job_types)
        _check_prices(settings["price_per_unit"])
        coordination = Coordination(directory) if directory is not None else Coordination.create()
        return cls(
            settings, run_id or new_run_id(), coordination, target, expectations, worker, parity=parity,
            job_types=job_types,
        )  # fmt: skip

    @cached_property
    def progress(self) -> ProgressLog:
        """Where this process publishes what its scenarios observe, for the run's progress display."""
        return ProgressLog(self.coordination.progress_log(self.worker or "main"), time.time)

    @property
    def budgets(self) -> Budgets:
        return self.target.budgets

    @property
    def max_jobs(self) -> int | None:
        value = self.settings["max_jobs"]
        return int(value) if value is not None else None

    @property
    def keep_artifacts(self) -> bool:
        return bool(self.settings["keep_artifacts"])

    @property
    def clauses(self) -> frozenset[str]:
        """The clauses ``--clause`` selects (empty: every clause)."""
        return frozenset(self.settings["clause"])

    def price_of(self, job_type: JobType) -> tuple[float, bool]:
        """The price per billed unit of ``job_type``'s documents, and whether it is documented (a price the user set
        is; the family's placeholder for a type with no known price is not)."""
        chosen = dict(self.settings["price_per_unit"])
        for key in (job_type.name, "*"):
            if key in chosen:
                return chosen[key], True
        return job_type.price_per_unit, job_type.price_documented

    @property
    def deadline_seconds(self) -> float:
        """The whole run's deadline: ``--deadline``, else three times the plan's worst-case wait plus ten minutes."""
        if self.settings["deadline"]:
            return float(self.settings["deadline"])
        return 3 * (self.plan.worst_wait if self.plan else 0.0) + 600.0

    @property
    def report_dir(self) -> Path:
        return Path(self.settings["report_dir"])

    @property
    def run_directory(self) -> Path:
        """This run's own directory under the report directory, ``<target>-<run id>``: its reports and its log."""
        return self.report_dir / safe_name(f"{self.target.name}-{self.run_id}")

    def secrets(self) -> tuple[str, ...]:
        """Every secret value of the run (the target's keys and secret options), for redaction."""
        given = [str(self.settings[o.name]) for o in OPTIONS if o.secret and self.settings[o.name]]
        return (*self.target.secrets(), *given)

    def report_options(self) -> dict[str, Any]:
        """The options as the report records them: every value set, wherever it came from, secret ones redacted
        by name whatever their length."""
        options = {
            name: REDACTED if name in SECRET_NAMES and value else value for name, value in self.settings.given().items()
        }
        options.update(max_jobs=self.max_jobs, keep_artifacts=self.keep_artifacts)
        if options.get("clause") is not None:
            options["clause"] = list(options["clause"])
        return options
