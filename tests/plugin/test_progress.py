"""The progress display: live on a terminal (a region under pytest's line, redrawn in place, gone at the end, pytest's
lines unbroken), plain lines in a log (no control characters, a line per status change, a summary at most every
30 s); and a paced run of the suite, on a pseudo-terminal and into a pipe, showing each job's status and the time
left while its jobs run.

A terminal's screen is what pyte, a VT100 emulator, makes of the bytes written to a pseudo-terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyte
import pytest
from _pytest._io import TerminalWriter

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.plan import Plan
from comprehend_contract.core.progress import ProgressLog
from comprehend_contract.plugin.progress import ProgressDisplay, chosen_mode, region, wrap
from comprehend_contract.targets import Budgets

BEGAN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
"""Any control character but the newline."""


class Terminal:
    """A pseudo-terminal of ``columns`` x ``rows`` and the screen its output makes (with the lines scrolled off)."""

    def __init__(self, columns: int = 72, rows: int = 12) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.screen = pyte.HistoryScreen(columns, rows, history=5000)
        self.stream = pyte.ByteStream(self.screen)

    def read(self, wait: float = 0.05) -> None:
        while select.select([self.master], [], [], wait)[0]:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the other side is closed
                return
            if not data:
                return
            self.stream.feed(data)

    def visible(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def everything(self) -> list[str]:
        """Every line the screen has shown, those scrolled off first (trailing blank lines dropped)."""
        columns = self.screen.columns
        scrolled = ["".join(line[x].data for x in range(columns)).rstrip() for line in self.screen.history.top]
        lines = scrolled + self.visible()
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def close(self) -> None:
        for descriptor in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(descriptor)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    opened = Terminal()
    yield opened
    opened.close()


def plan_of(*scenarios: str) -> Plan:
    return Plan.of(
        {"Sentiment": list(scenarios)},
        dict.fromkeys(scenarios, (1, 3)),
        {name: ([10], [10]) for name in scenarios},
        {"Sentiment": (0.0001, True)},
        Budgets(job_timeout_seconds=60, leave_submitted_seconds=10),
        attempts=3,
        quotas={"Sentiment": 10},
    )


class Clock:
    def __init__(self) -> None:
        self.now = BEGAN.timestamp()

    def __call__(self) -> float:
        return self.now


def display_on(
    descriptor: int, writer: TerminalWriter, coordination: Coordination, mode: str, clock: Clock, *scenarios: str
) -> ProgressDisplay:
    """A display in ``mode`` on ``descriptor`` beside pytest's ``writer``, driven by hand (no thread of its own)."""
    reporter = SimpleNamespace(showlongtestinfo=False, currentfspath="contract_tests/test_stop_by_state.py")
    plugins = {"terminalreporter": reporter}
    config: Any = SimpleNamespace(
        get_terminal_writer=lambda: writer, pluginmanager=SimpleNamespace(get_plugin=plugins.get)
    )
    context: Any = SimpleNamespace(started=BEGAN, coordination=coordination)
    display = ProgressDisplay(config, context, mode, descriptor, clock=clock, threaded=False)
    display.start(plan_of(*scenarios))
    return display


def as_pytest(display: ProgressDisplay, write: Callable[[], None]) -> None:
    """What pytest does in a hook the display wraps (``pytest_runtest_logreport``): ``write``."""
    hook = display.pytest_runtest_logreport()
    next(hook)
    write()
    with pytest.raises(StopIteration):
        hook.send(None)


def test_auto_is_live_on_a_terminal_and_plain_in_a_pipe_or_on_a_dumb_terminal(terminal: Terminal) -> None:
    reading, writing = os.pipe()
    try:
        assert chosen_mode("auto", terminal.slave, {"TERM": "xterm"}) == "live"
        assert chosen_mode("auto", terminal.slave, {"TERM": "dumb"}) == "plain"
        assert chosen_mode("auto", writing, {"TERM": "xterm"}) == "plain"
        assert chosen_mode("plain", terminal.slave, {}) == "plain"
        assert chosen_mode("none", terminal.slave, {}) == "none"
    finally:
        os.close(reading)
        os.close(writing)


def test_a_line_too_wide_is_broken_after_a_semicolon_and_never_wraps() -> None:
    line = "comprehend-contract: 54s elapsed, at most 2m54s left (plan); scenarios 35/42 over; jobs 49 done"
    assert wrap(line, 64) == [
        "comprehend-contract: 54s elapsed, at most 2m54s left (plan);",
        "    scenarios 35/42 over; jobs 49 done",
    ]
    assert wrap("x" * 30, 10) == ["xxxxxxx..."]
    assert region(["one", "two", "three"], 40, 4) == region(["one", "two"], 40, 4), "a screen's height at most"


def test_the_live_region_sits_under_pytests_line_and_leaves_pytests_screen_as_it_was(tmp_path: Path) -> None:
    with_display, without = Terminal(columns=72, rows=12), Terminal(columns=72, rows=12)
    clock = Clock()
    coordination = Coordination(tmp_path)
    published = ProgressLog(coordination.progress_log("gw0"), clock)
    writers = [TerminalWriter(os.fdopen(os.dup(t.slave), "w", encoding="utf-8")) for t in (with_display, without)]
    display = display_on(with_display.slave, writers[0], coordination, "live", clock, "completed", "stop-submitted")

    def pytest_writes(text: str) -> None:
        for writer in writers:
            as_pytest(display, lambda writer=writer: writer.write(text, flush=True))  # type: ignore[misc]

    try:
        for writer in writers:
            writer.line("collected 3 items")
        pytest_writes("contract_tests/test_stop_by_state.py ")
        published.scenario_started("Sentiment/completed")
        published.status("Sentiment/completed", "job-1", "SUBMITTED")
        published.scenario_started("Sentiment/stop-submitted")
        published.status("Sentiment/stop-submitted", "job-2", "STOP_REQUESTED")
        clock.now += 12
        display.tick()
        with_display.read()
        assert with_display.visible()[:6] == [
            "collected 3 items",
            "contract_tests/test_stop_by_state.py",
            "comprehend-contract: 12s elapsed, at most 1m48s left (plan);",  # broken to the screen's width
            "    scenarios 0/2 over; jobs 0 done, 2 active, 0 to start",
            "  Sentiment: completed SUBMITTED 12s, stop-submitted STOP_REQUESTED 12s",
            "",
        ]
        assert (with_display.screen.cursor.y, with_display.screen.cursor.x) == (1, 37), "pytest's cursor, untouched"

        pytest_writes(".")
        pytest_writes(".")
        with_display.read()
        assert with_display.visible()[1] == "contract_tests/test_stop_by_state.py .."
        assert with_display.visible()[2].startswith("comprehend-contract: 12s elapsed"), "drawn again under it"

        for number in range(14):  # past the bottom: the screen scrolls, the region stays under pytest's line
            pytest_writes(f"[{number:3d}%]\ncontract_tests/test_{number}.py .")
        published.status("Sentiment/completed", "job-1", "IN_PROGRESS")
        clock.now += 3
        display.tick()
        with_display.read()
        assert with_display.visible()[-6:] == [
            "contract_tests/test_12.py .[ 13%]",
            "contract_tests/test_13.py .",
            "comprehend-contract: 15s elapsed, at most 1m45s left (plan);",
            "    scenarios 0/2 over; jobs 0 done, 2 active, 0 to start",
            "  Sentiment: completed IN_PROGRESS 3s,",
            "    stop-submitted STOP_REQUESTED 15s",
        ]

        display.stop()
        for terminal in (with_display, without):
            terminal.read()
        assert with_display.everything() == without.everything(), "after it: the screen pytest alone would leave"
        assert "contract_tests/test_12.py .[ 13%]" in without.everything()
    finally:
        for terminal in (with_display, without):
            terminal.close()


def test_the_live_region_is_gone_once_every_scenario_is_over(terminal: Terminal, tmp_path: Path) -> None:
    clock = Clock()
    coordination = Coordination(tmp_path)
    writer = TerminalWriter(os.fdopen(os.dup(terminal.slave), "w", encoding="utf-8"))
    display = display_on(terminal.slave, writer, coordination, "live", clock, "failed")
    published = ProgressLog(coordination.progress_log("main"), clock)
    as_pytest(display, lambda: writer.write("contract_tests/test_stop_by_state.py ", flush=True))
    published.status("Sentiment/failed", "job-1", "SUBMITTED")
    assert display.tick()
    terminal.read()
    assert any("failed SUBMITTED 0s" in line for line in terminal.visible())
    published.status("Sentiment/failed", "job-1", "FAILED")
    published.scenario_ended("Sentiment/failed")
    assert not display.tick(), "nothing more to show"
    terminal.read()
    assert terminal.everything() == ["contract_tests/test_stop_by_state.py"]


def test_plain_lines_say_each_status_change_and_a_summary_at_most_every_30_s(tmp_path: Path) -> None:
    clock = Clock()
    coordination = Coordination(tmp_path / "run")
    coordination.directory.mkdir()
    log = tmp_path / "log"
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    writer = TerminalWriter(os.fdopen(os.dup(descriptor), "w", encoding="utf-8"))
    display = display_on(descriptor, writer, coordination, "plain", clock, "completed", "failed")
    published = ProgressLog(coordination.progress_log("gw1"), clock)
    try:
        as_pytest(display, lambda: writer.write("contract_tests/test_stop_by_state.py .", flush=True))
        published.status("Sentiment/completed", "job-1", "SUBMITTED")
        clock.now += 1
        display.tick()
        as_pytest(display, lambda: writer.write("..", flush=True))
        for seconds, status in ((10, "SUBMITTED"), (20, "IN_PROGRESS"), (25, "IN_PROGRESS")):
            clock.now = BEGAN.timestamp() + seconds
            published.status("Sentiment/completed", "job-1", status)
            display.tick()
        clock.now = BEGAN.timestamp() + 31
        display.tick()
        clock.now = BEGAN.timestamp() + 45
        published.status("Sentiment/failed", "job-2", "FAILED")
        published.scenario_ended("Sentiment/failed")
        display.tick()
        as_pytest(display, lambda: writer.write(".", flush=True))
        display.stop()
    finally:
        os.close(descriptor)
    text = log.read_text(encoding="utf-8")
    assert not CONTROL.search(text)
    assert text.splitlines() == [
        "contract_tests/test_stop_by_state.py .",
        "comprehend-contract: [0s] Sentiment/completed: job job-1 SUBMITTED",
        "comprehend-contract: [1s] 1s elapsed, at most 2m00s left (plan); scenarios 0/2 over; jobs 0 done, 1 active, "
        "1 to start; now: Sentiment/completed SUBMITTED 1s, 1 scenario(s) not started",
        "..",
        "comprehend-contract: [20s] Sentiment/completed: job job-1 SUBMITTED -> IN_PROGRESS after 20s",
        "comprehend-contract: [31s] 31s elapsed, at most 2m00s left (plan); scenarios 0/2 over; jobs 0 done, "
        "1 active, 1 to start; now: Sentiment/completed IN_PROGRESS 11s, 1 scenario(s) not started",
        "comprehend-contract: [45s] Sentiment/failed: job job-2 FAILED",
        "comprehend-contract: [45s] Sentiment/failed: scenario done (1 job(s), 0s)",
        ".",
    ]
    assert writer.width_of_current_line == 1, "pytest's writer knows where its line begins"


# --- a paced run of the suite ---------------------------------------------------------------------------------------

PACED = ["--job-type", "Sentiment", "--clause", "STOP-OUTCOME", "--clause", "STOP-COMPLETED"]
"""Three scenarios (completed, stop-in-progress, stop-submitted): about 15 s at this pace."""
SCENARIOS = ("completed", "stop-in-progress", "stop-submitted")
JOB_AT_WORK = re.compile(
    r"(?P<scenario>completed|stop-in-progress|stop-submitted)(?: \(job \d+\))? "
    r"(?P<status>SUBMITTED|IN_PROGRESS|STOP_REQUESTED|STOPPED|COMPLETED|FAILED) \d+s"
)


def paced_run(tmp_path: Path, *pytest_args: str, progress: str | None = None, scale: float = 0.02) -> list[str]:
    """The run at AWS-like pace times ``scale`` (0.02: SUBMITTED for 4.8 s, a job of the suite about 9 s)."""
    command = [sys.executable, "-m", "comprehend_contract", "run", *PACED, "--reference-pace", "aws-like"]
    command += ["--reference-time-scale", str(scale), "--report-dir", str(tmp_path / "reports")]
    if progress is not None:
        command += ["--progress", progress]
    return [*command, "--", "-p", "no:cacheprovider", *pytest_args]


def environment() -> dict[str, str]:
    """This environment, without a terminal size (pytest would believe it) or a choice of progress."""
    ignored = ("COLUMNS", "LINES", "COMPREHEND_CONTRACT_PROGRESS", "NO_COLOR")
    return {**{k: v for k, v in os.environ.items() if k not in ignored}, "TERM": "xterm"}


def region_of(lines: list[str]) -> list[str]:
    """The live region's lines on a screen: from its first line (the run's counts) on."""
    start = next(
        (n for n, line in enumerate(lines) if line.startswith("comprehend-contract: ") and "elapsed" in line), None
    )
    return [] if start is None else [line for line in lines[start:] if line]


@pytest.mark.slow
def test_a_paced_run_on_a_terminal_shows_each_jobs_status_and_the_time_left_then_a_clean_screen(tmp_path: Path) -> None:
    """Without xdist: pytest captures descriptor 1 while the test waits for its evidence, and the region still shows
    (under ``-n`` the controller draws the same region from its workers' events; the piped run below is under -n)."""
    terminal = Terminal(columns=120, rows=30)
    run = subprocess.Popen(
        paced_run(tmp_path),
        stdin=terminal.slave,
        stdout=terminal.slave,
        stderr=terminal.slave,
        cwd=tmp_path,
        env=environment(),
        start_new_session=True,
    )
    try:
        mid_run: list[str] = []
        deadline = time.monotonic() + 90
        while run.poll() is None and time.monotonic() < deadline:
            terminal.read(0.2)
            shown = region_of(terminal.visible())
            doing = [found.group("scenario") for line in shown[1:] for found in JOB_AT_WORK.finditer(line)]
            over = re.search(r"scenarios (\d)/3 over", shown[0]) if shown else None
            if over and doing and int(over.group(1)) + len(doing) == 3 and int(over.group(1)) < 2:
                mid_run = shown  # every scenario not over shows its job's status and time in it
                break
        assert mid_run, f"no live region showed the jobs at work:\n{chr(10).join(terminal.visible())}"
        assert re.search(r"^comprehend-contract: \d+s elapsed, at most \d+m\d\ds left \(plan\);", mid_run[0])
        assert re.search(r"jobs \d done, \d active, \d to start", " ".join(mid_run[:2]))
        assert any(line.startswith("  Sentiment: ") for line in mid_run)
        assert run.wait(120) == 0
    finally:
        if run.poll() is None:
            run.kill()
        terminal.read(0.5)
        terminal.close()
    final = terminal.everything()
    assert not [line for line in final if "elapsed" in line or JOB_AT_WORK.search(line)], "the region is gone"
    assert not any("random" in line.lower() for line in final[:8]), "nothing of a random-order plugin in the header"
    assert any(line.startswith("comprehend-contract plan: 3 job(s)") for line in final), "the plan on a line of its own"
    verdicts = final.index(next(line for line in final if "comprehend-contract: clause verdicts" in line))
    progress = [line for line in final[:verdicts] if re.search(r"test_\w+\.py |^[.sxX]+ *\[", line)]
    assert progress, "pytest's own progress lines"
    assert all(re.fullmatch(r"(\S+\.py )?[.sxX]+ *\[\s*\d+%\]", line) for line in progress), progress
    assert any(line.startswith("gate: passed") for line in final[verdicts:]), "the verdicts follow, as ever"


@pytest.mark.slow
def test_a_paced_run_into_a_pipe_writes_a_plain_line_per_status_change_and_summaries(tmp_path: Path) -> None:
    """Under xdist: the controller writes what every worker's scenarios saw (at half the pace above: a pipe is
    read at the end, nothing has to be caught mid-run)."""
    run = subprocess.run(
        paced_run(tmp_path, "-n", "2", scale=0.01),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=180,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert not CONTROL.search(run.stdout)
    assert not any("random" in line.lower() for line in lines[:8])
    changes = [
        re.fullmatch(
            r"comprehend-contract: \[\S+\] Sentiment/(\S+): job (\w+) (?:(\w+) -> )?(\w+)(?: after \S+)?", line
        )
        for line in lines
    ]
    seen: dict[str, list[str]] = {}
    for change in filter(None, changes):
        scenario, job, before, after = change.groups()
        assert scenario in SCENARIOS
        statuses = seen.setdefault(job, [])
        assert before == (statuses[-1] if statuses else None), f"job {job}: a change from its last status: {change[0]}"
        statuses.append(after)
    started = re.search(r"^jobs the run started: (\d+) \(all by the state drivers\)$", run.stdout, re.M)
    assert started is not None
    assert len(seen) == int(started.group(1)), "a line for every job the scenarios started"
    assert all(statuses[0] == "SUBMITTED" for statuses in seen.values()), run.stdout
    summaries = [
        line for line in lines if re.match(r"comprehend-contract: \[\S+\] \S+ elapsed, at most \S+ left", line)
    ]
    assert summaries
    assert "now: " in summaries[0]
    ended = [re.search(r"Sentiment/(\S+): scenario (done|did not reach its state)", line) for line in lines]
    assert sorted(found.group(1) for found in ended if found) == sorted(SCENARIOS), "a line as each scenario ends"
    assert any(
        re.fullmatch(r"comprehend-contract: \[\S+\] all 3 scenario\(s\) are over; \d+ job\(s\) started", line)
        for line in lines
    )
