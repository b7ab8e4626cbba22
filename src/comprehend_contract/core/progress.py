"""Where a run is while its jobs run: what the scenarios observed, as events, and the one fold of them that the
progress display shows.

Every process that drives scenarios appends events to its own file in the coordination directory
(``ProgressLog``): a scenario started or ended, a job's status as a live response showed it (when it differs from
the last one that process saw for the job), a transient answer (a throttle, a 503, a reset) that the retry policy
met. The process that shows the run (the only one, or the xdist controller) reads every process's file as it grows
(``ProgressFeed``) and folds the events into the plan (``Progress``): per job type and scenario, each job's last
status and since when it has been seen in it, the jobs done, active and still to start, the transient answers, and
the plan's worst-case time left. Nothing here sends a request: the display shows only what the scenarios saw.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from comprehend_contract.core.plan import Plan
from comprehend_contract.spec.lifecycle import END_STATES

PREFIX = "comprehend-contract:"
"""How every progress line begins."""


class EventKind(StrEnum):
    SCENARIO_STARTED = "scenario-started"
    STATUS = "status"
    """A job's status, as a live response (Start, Describe, Stop) showed it."""
    SCENARIO_ENDED = "scenario-ended"
    TRANSIENT = "transient"
    """A transient answer the retry policy met (it retries while attempts remain)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a process of the run observed, at ``at`` (wall clock, seconds)."""

    kind: EventKind
    at: float
    drive: str = ""
    """The scenario's ``<type>/<scenario>`` (``Sentiment/completed``); empty for a transient answer."""
    job: str = ""
    status: str = ""
    detail: str = ""
    """A transient answer's operation and reason; a scenario's end: empty if it reached its state, else why not."""
    throttled: bool = False

    def to_json(self) -> str:
        data: dict[str, Any] = {"kind": str(self.kind), "at": self.at}
        for name in ("drive", "job", "status", "detail"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.throttled:
            data["throttled"] = True
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Event | None:
        """The event of one line, or None for a line that is not one (written by another version, or cut)."""
        try:
            data = json.loads(text)
            return cls(
                EventKind(data["kind"]),
                float(data["at"]),
                str(data.get("drive", "")),
                str(data.get("job", "")),
                str(data.get("status", "")),
                str(data.get("detail", "")),
                bool(data.get("throttled", False)),
            )
        except (ValueError, KeyError, TypeError):
            return None


class ProgressLog:
    """This process's events, one JSON line each appended to its own file (``None``: kept nowhere).

    A job's status is published only when it differs from the last one this process published for that job: the
    display needs the changes, not every poll."""

    def __init__(self, path: Path | None, clock: Callable[[], float]) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, str] = {}

    def publish(self, event: Event) -> None:
        if self.path is None:
            return
        with self._lock:
            try:
                with self.path.open("a", encoding="utf-8") as log:
                    log.write(event.to_json() + "\n")
            except OSError:
                pass  # the run's directory is gone (the run is ending): nobody is reading any more

    def scenario_started(self, drive: str) -> None:
        self.publish(Event(EventKind.SCENARIO_STARTED, self.clock(), drive))

    def scenario_ended(self, drive: str, why_not: str = "") -> None:
        """The scenario is over: it reached its state (``why_not`` empty) or not, and why."""
        self.publish(Event(EventKind.SCENARIO_ENDED, self.clock(), drive, detail=why_not))

    def status(self, drive: str, job: str, status: str) -> None:
        with self._lock:
            if self._last.get(job) == status:
                return
            self._last[job] = status
        self.publish(Event(EventKind.STATUS, self.clock(), drive, job, status))

    def transient(self, operation: str, why: str, throttled: bool) -> None:
        self.publish(Event(EventKind.TRANSIENT, self.clock(), detail=f"{operation}: {why}", throttled=throttled))


class ProgressFeed:
    """Every process's events, read as the files grow: each call returns the complete lines added since the last."""

    def __init__(self, files: Callable[[], Iterable[Path]]) -> None:
        self.files = files
        self._read: dict[Path, int] = {}

    def read(self) -> list[Event]:
        events: list[Event] = []
        for path in self.files():
            offset = self._read.get(path, 0)
            try:
                with path.open("rb") as log:
                    log.seek(offset)
                    data = log.read()
            except OSError:
                continue
            complete = data[: data.rfind(b"\n") + 1]  # a line still being written is read next time
            self._read[path] = offset + len(complete)
            for line in complete.decode("utf-8", "replace").splitlines():
                event = Event.from_json(line)
                if event is not None:
                    events.append(event)
        return sorted(events, key=lambda event: event.at)


def duration(seconds: float) -> str:
    """``8s``, ``4m05s``, ``1h02m``: short enough for a status line."""
    whole = max(0, math.floor(seconds))
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


@dataclass
class JobSeen:
    """One job of a scenario: its last status seen, and when it was first seen in it."""

    job: str
    status: str
    since: float


@dataclass
class DriveSeen:
    """One scenario of one job type, as its events tell it."""

    job_type: str
    scenario: str
    planned_jobs: int
    started: float | None = None
    ended: float | None = None
    why_not: str = ""
    jobs: list[JobSeen] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.job_type}/{self.scenario}"

    def job(self, job_id: str) -> JobSeen | None:
        return next((seen for seen in self.jobs if seen.job == job_id), None)

    @property
    def jobs_done(self) -> int:
        """Jobs the run is done with: seen in an end state, or every job of a scenario that is over."""
        return len(self.jobs) if self.ended is not None else sum(seen.status in END_STATES for seen in self.jobs)

    @property
    def jobs_to_start(self) -> int:
        """Jobs the plan still expects it to start (none once it is over; a lost race may add one)."""
        return 0 if self.ended is not None else max(0, self.planned_jobs - len(self.jobs))

    def now(self, now: float) -> str:
        """What the scenario is doing (once started): its current job's status and for how long it has been seen
        in it."""
        if not self.jobs:
            return f"{self.scenario} starting its job"
        current = self.jobs[-1]
        nth = f" (job {len(self.jobs)})" if len(self.jobs) > 1 else ""
        return f"{self.scenario}{nth} {current.status} {duration(now - current.since)}"


@dataclass(frozen=True, slots=True)
class TypeNow:
    """One job type's scenarios at one moment: what each started one not over is doing, and how many are waiting
    to start or over."""

    job_type: str
    doing: tuple[str, ...]
    waiting: int
    over: int

    def counted(self) -> str:
        """``2 not started; 4 over`` (empty when neither)."""
        parts = [f"{self.waiting} not started"] if self.waiting else []
        return "; ".join([*parts, f"{self.over} over"] if self.over else parts)


class Progress:
    """The fold of a run's events into its plan, in the process that shows the run; every line it says is built
    from what some process observed, and from the plan.

    ``began`` is when the run started (wall clock); ``jobs_per_scenario`` the jobs each scenario starts when no
    race is lost (``core.scenarios.SHAPES``)."""

    def __init__(self, plan: Plan, jobs_per_scenario: Mapping[str, int], began: float) -> None:
        self.plan = plan
        self.began = began
        self.drives = {
            f"{job_type}/{name}": DriveSeen(job_type, name, jobs_per_scenario.get(name, 1))
            for job_type, name in plan.scenarios
        }
        self.transients = 0
        self.throttled = 0
        self.last_transient: Event | None = None

    @property
    def finished(self) -> bool:
        """Every planned scenario is over."""
        return all(drive.ended is not None for drive in self.drives.values())

    def _stamp(self, at: float) -> str:
        return f"{PREFIX} [{duration(at - self.began)}]"

    def apply(self, event: Event) -> list[str]:
        """Fold ``event`` in; the plain lines it calls for (a job's status changed, a scenario ended)."""
        if event.kind is EventKind.TRANSIENT:
            self.transients += 1
            self.throttled += event.throttled
            self.last_transient = event
            return []
        drive = self.drives.get(event.drive)
        if drive is None:
            return []
        if event.kind is EventKind.SCENARIO_STARTED:
            drive.started = drive.started or event.at
            return []
        if event.kind is EventKind.SCENARIO_ENDED:
            drive.ended = event.at
            drive.why_not = event.detail
            lasted = duration(event.at - (drive.started or event.at))
            jobs = f"{len(drive.jobs)} job(s)"
            outcome = f"did not reach its state: {event.detail}" if event.detail else "done"
            lines = [f"{self._stamp(event.at)} {drive.name}: scenario {outcome} ({jobs}, {lasted})"]
            if self.finished:
                started = sum(len(d.jobs) for d in self.drives.values())
                lines.append(
                    f"{self._stamp(event.at)} all {len(self.drives)} scenario(s) are over; {started} job(s) started"
                )
            return lines
        drive.started = drive.started or event.at
        seen = drive.job(event.job)
        if seen is None:
            drive.jobs.append(JobSeen(event.job, event.status, event.at))
            return [f"{self._stamp(event.at)} {drive.name}: job {event.job} {event.status}"]
        if seen.status == event.status:
            return []
        before, lasted = seen.status, duration(event.at - seen.since)
        seen.status, seen.since = event.status, event.at
        return [f"{self._stamp(event.at)} {drive.name}: job {event.job} {before} -> {event.status} after {lasted}"]

    def time_left(self, now: float) -> float:
        """The plan's worst case for the scenarios not over yet: each may take the plan's worst-case wait from when
        it started (or from now, if it has not)."""
        ends = [(d.started or now) + self.plan.worst_wait for d in self.drives.values() if d.ended is None]
        return max(0.0, max(ends, default=now) - now)

    def counts(self, now: float) -> str:
        """The run in one clause: elapsed, worst case left, scenarios and jobs."""
        drives = list(self.drives.values())
        over = sum(d.ended is not None for d in drives)
        started = sum(len(d.jobs) for d in drives)
        done = sum(d.jobs_done for d in drives)
        to_start = sum(d.jobs_to_start for d in drives)
        left = "all scenarios over" if self.finished else f"at most {duration(self.time_left(now))} left (plan)"
        return (
            f"{duration(now - self.began)} elapsed, {left}; scenarios {over}/{len(drives)} over; jobs {done} done, "
            f"{started - done} active, {to_start} to start"
        )

    def transient_line(self, now: float) -> str:
        """The transient answers met so far, the last one with how long ago (empty if none)."""
        last = self.last_transient
        if last is None:
            return ""
        return (
            f"transient answers retried: {self.transients} ({self.throttled} throttling); last "
            f"{duration(now - last.at)} ago: {last.detail}"
        )

    def by_type(self, now: float) -> list[TypeNow]:
        """Each job type with a scenario not over, in the plan's order."""
        found: dict[str, list[DriveSeen]] = {}
        for drive in self.drives.values():
            found.setdefault(drive.job_type, []).append(drive)
        types = []
        for job_type, drives in found.items():
            doing = tuple(d.now(now) for d in drives if d.ended is None and d.started is not None)
            waiting = sum(d.started is None for d in drives)
            if doing or waiting:
                types.append(TypeNow(job_type, doing, waiting, sum(d.ended is not None for d in drives)))
        return types

    def live(self, now: float) -> list[str]:
        """The lines of the live display: the run, the transient answers if any, then one line per job type with
        a scenario not over (none once every scenario is over)."""
        if self.finished:
            return []
        lines = [f"{PREFIX} {self.counts(now)}"]
        transient = self.transient_line(now)
        if transient:
            lines.append(f"  {transient}")
        alike: dict[str, list[str]] = {}  # types whose scenarios are where another type's are share a line
        for entry in self.by_type(now):
            alike.setdefault("; ".join(part for part in (", ".join(entry.doing), entry.counted()) if part), []).append(
                entry.job_type
            )
        lines += [f"  {', '.join(types)}: {what}" for what, types in alike.items()]
        return lines

    def summary(self, now: float) -> str:
        """The plain summary line: the run, the transient answers, and every scenario not over."""
        parts = [self.counts(now)]
        transient = self.transient_line(now)
        if transient:
            parts.append(transient)
        types = self.by_type(now)
        doing = [f"{entry.job_type}/{what}" for entry in types for what in entry.doing]
        waiting = sum(entry.waiting for entry in types)
        if waiting:
            doing.append(f"{waiting} scenario(s) not started")
        if doing:
            parts.append("now: " + ", ".join(doing))
        return f"{self._stamp(now)} " + "; ".join(parts)
