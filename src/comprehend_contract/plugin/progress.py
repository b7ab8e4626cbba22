"""The progress of a run's jobs, shown by the process that shows the run (the only one, or the xdist controller):
live on a terminal, plain lines in a log (``--progress``). It reads what the scenarios published
(``core.progress``) and sends no request of its own.

On a terminal, a region of a few lines sits under pytest's current line and is redrawn in place twice a second.
pytest writes its own progress (a file name, dots, ``[ 45%]``) from the hooks wrapped here: under one lock with the
thread that redraws the region, the region is erased before pytest writes and drawn again after, so pytest's lines
are never broken and the screen ends as pytest left it. Drawing first makes room by scrolling (index, which keeps
the column), then saves the cursor, draws under pytest's line and restores the cursor, so pytest's line of dots
goes on where it was.

In a log (not a terminal, or ``--progress plain``) a line is written when a job's status changes or a scenario
ends, and a summary at most every 30 s, with no control characters: pytest's partial line of dots is ended first,
and pytest carries on below.

Both write to a duplicate of standard output's descriptor taken when the session is configured: without xdist,
pytest captures descriptor 1 while a test waits for its evidence, and the progress must still get out. rich's
``Live`` is not used: it redraws from wherever the cursor is, the end of pytest's line of dots, and expects every
other write to go through its console (it replaces ``sys.stdout``), whereas pytest's terminal writer keeps the
original stream and pytest's capture swaps ``sys.stdout`` and descriptor 1 around every test.
"""

from __future__ import annotations

import io
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any

import pytest

from comprehend_contract.core.context import RunContext
from comprehend_contract.core.plan import Plan
from comprehend_contract.core.progress import Progress, ProgressFeed
from comprehend_contract.core.scenarios import SHAPES

LIVE_SECONDS = 0.5
"""How often the live region is redrawn (a job's time in its status counts in seconds)."""
PLAIN_SECONDS = 1.0
"""How often the plain mode reads the scenarios' events."""
SUMMARY_SECONDS = 30.0
"""At most how often the plain mode writes a summary line."""

INDEX = "\x1bD"
"""Cursor one line down, same column; at the bottom the screen scrolls up."""
SAVE_CURSOR = "\x1b7"
RESTORE_CURSOR = "\x1b8"
ERASE_BELOW = "\x1b[J"
"""Erase from the cursor to the end of the screen: the rest of pytest's line (blank) and the region under it."""


def cursor_up(lines: int) -> str:
    return f"\x1b[{lines}A"


def chosen_mode(setting: str, descriptor: int, environ: Mapping[str, str]) -> str:
    """``live``, ``plain`` or ``none``: ``auto`` is live on a terminal (not a dumb one), plain anywhere else."""
    if setting != "auto":
        return setting
    return "live" if os.isatty(descriptor) and environ.get("TERM", "") != "dumb" else "plain"


def fit(line: str, width: int) -> str:
    """``line`` cut to ``width`` characters (``...`` where it was cut), so that it never wraps."""
    return line if len(line) <= width else line[: max(0, width - 3)] + "..."


def wrap(line: str, width: int) -> list[str]:
    """``line`` in pieces of at most ``width`` characters, broken after a ``;`` or ``,`` (continuations indented);
    a piece still too wide is cut."""
    if len(line) <= width:
        return [line]
    pieces: list[str] = []
    current = ""
    for word in re.split(r"(?<=[;,]) ", line):
        if current and len(current) + 1 + len(word) > width:
            pieces.append(current)
            current = "    " + word
        else:
            current = f"{current} {word}" if current else word
    return [fit(piece, width) for piece in [*pieces, current]]


def region(lines: list[str], columns: int, rows: int) -> str:
    """The escape sequence that draws ``lines`` under the cursor's line and puts the cursor back where it was.

    Room is made first (index down, scrolling at the bottom, and back up), so that drawing scrolls nothing and the
    saved cursor is still on pytest's line when restored; each line is broken or cut to the width so that none
    wraps, and there are never more lines than the screen has rows under pytest's."""
    shown = [piece for line in lines for piece in wrap(line, columns - 1)][: max(0, rows - 2)]
    if not shown:
        return ""
    room = INDEX * len(shown) + cursor_up(len(shown))
    return room + SAVE_CURSOR + "".join(f"{INDEX}\r{line}" for line in shown) + RESTORE_CURSOR


def standard_output() -> int | None:
    """The descriptor of this process's standard output, or None if it has none (an in-process test session)."""
    try:
        return sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return None


class ProgressDisplay:
    """The run's progress display; registered as a plugin (its hook wrappers) in the process that shows the run."""

    def __init__(
        self,
        config: pytest.Config,
        context: RunContext,
        mode: str,
        descriptor: int,
        clock: Callable[[], float] = time.time,
        threaded: bool = True,
    ) -> None:
        """``threaded``: a thread of its own calls ``tick`` (else whoever drives the display does)."""
        self.config = config
        self.context = context
        self.mode = mode
        self.clock = clock
        self.threaded = threaded
        self._out = os.dup(descriptor)
        self._lock = threading.RLock()
        self._progress: Progress | None = None
        self._feed: ProgressFeed | None = None
        self._active = False
        """pytest has begun reporting tests: the display may write (never between pytest's header lines)."""
        self._stopped = False
        self._depth = 0
        """How deep the wrapped hooks are nested (the region is drawn again only when the outermost ends)."""
        self._lines: list[str] = []
        self._shown = False
        """The live region is on the screen."""
        self._own_line = False
        """Plain mode: the cursor is at the start of a line after lines of ours, and pytest has not written since."""
        self._summarised = 0.0
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_run(cls, config: pytest.Config, context: RunContext) -> ProgressDisplay | None:
        """The display ``--progress`` asks for, or None (``none``, or no standard output to write to)."""
        descriptor = standard_output()
        if descriptor is None:
            return None
        mode = chosen_mode(str(context.settings["progress"]), descriptor, os.environ)
        return None if mode == "none" else cls(config, context, mode, descriptor)

    def start(self, plan: Plan) -> None:
        """The plan is known: the display begins with pytest's first test report, if the run drives scenarios."""
        with self._lock:
            if plan.scenarios and self._progress is None:
                jobs = {str(name): shape.jobs for name, shape in SHAPES.items()}
                self._progress = Progress(plan, jobs, self.context.started.timestamp())
                self._feed = ProgressFeed(self.context.coordination.progress_logs)

    # --- pytest's writes, wrapped ---------------------------------------------------------------------------------

    def _around_pytest(self) -> Generator[None, object, object]:
        """Around a hook in which pytest may write: the region erased before, drawn again after."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._activate()
                self._erase()
                self._own_line = False
            try:
                return (yield)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    writer = self._pytest_writer()
                    if writer is not None:
                        writer.flush()
                    self._draw()

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logstart(self) -> Generator[None, object, object]:
        return (yield from self._around_pytest())

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logreport(self) -> Generator[None, object, object]:
        return (yield from self._around_pytest())

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_logfinish(self) -> Generator[None, object, object]:
        return (yield from self._around_pytest())

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collectreport(self) -> Generator[None, object, object]:
        return (yield from self._around_pytest())

    @pytest.hookimpl(wrapper=True, tryfirst=True, optionalhook=True)
    def pytest_testnodedown(self) -> Generator[None, object, object]:
        """xdist says a worker went down (and names it) in this hook."""
        return (yield from self._around_pytest())

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self) -> None:
        """Before pytest's summary and the verdicts: the screen is left as pytest left it."""
        self.stop()

    @pytest.hookimpl(tryfirst=True)
    def pytest_keyboard_interrupt(self) -> None:
        self.stop()

    @pytest.hookimpl(tryfirst=True)
    def pytest_internalerror(self) -> None:
        self.stop()

    def pytest_enter_pdb(self) -> None:
        self.stop()

    def pytest_unconfigure(self) -> None:
        self.stop()
        os.close(self._out)

    # --- the display ----------------------------------------------------------------------------------------------

    def _activate(self) -> None:
        if self._active or self._stopped or self._progress is None:
            return
        self._active = True
        if not self.threaded:
            return
        self._thread = threading.Thread(target=self._run, name="comprehend-contract-progress", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        interval = LIVE_SECONDS if self.mode == "live" else PLAIN_SECONDS
        while self.tick() and not self._done.wait(interval):
            pass

    def tick(self) -> bool:
        """One update: the events published since the last one folded in and shown (the live region redrawn, or
        the plain lines they call for and a summary if one is due). False once there is nothing more to show."""
        with self._lock:
            if self._stopped or self._progress is None:
                return False
            self._update(self.clock(), summaries=True)
            if self._progress.finished:
                self._erase()
                return False
            return True

    def _update(self, now: float, *, summaries: bool) -> None:
        """Fold the events published since the last update; write what they call for (called with the lock)."""
        progress, feed = self._progress, self._feed
        if progress is None or feed is None:
            return
        changes = [line for event in feed.read() for line in progress.apply(event)]
        if self.mode == "live":
            self._lines = progress.live(now)
            self._erase()
            self._draw()
            return
        if summaries and not progress.finished and now - self._summarised >= SUMMARY_SECONDS:
            changes.append(progress.summary(now))
            self._summarised = now
        self._write_lines(changes)

    def _draw(self) -> None:
        if self.mode != "live" or not self._active or self._stopped or not self._lines:
            return
        try:
            columns, rows = os.get_terminal_size(self._out)
        except OSError:
            columns, rows = 80, 24
        drawn = region(self._lines, columns, rows)
        if drawn:
            self._write(drawn)
            self._shown = True

    def _erase(self) -> None:
        if self._shown:
            self._write(ERASE_BELOW)
            self._shown = False

    def _write_lines(self, lines: list[str]) -> None:
        """Plain lines, each whole on its own line: pytest's partial line (its dots so far) is ended first, and
        pytest's writer is told that its line is now empty, so that its ``[ 45%]`` stays aligned."""
        if not lines:
            return
        writer = self._pytest_writer()
        partial = writer is not None and not self._own_line and writer.width_of_current_line > 0
        self._write(("\n" if partial else "") + "".join(f"{line}\n" for line in lines))
        self._own_line = True
        if partial:
            _pytest_line_ended(self.config, writer)

    def _pytest_writer(self) -> Any:
        """pytest's terminal writer, or None in a session without pytest's terminal reporter (``-p no:terminal``)."""
        if self.config.pluginmanager.get_plugin("terminalreporter") is None:
            return None
        return self.config.get_terminal_writer()

    def _write(self, text: str) -> None:
        data = text.encode("utf-8", "replace")
        try:
            while data:
                data = data[os.write(self._out, data) :]
        except OSError:  # the terminal or the pipe has gone: nothing more to show
            self._stopped = True

    def stop(self) -> None:
        """Stop showing: the last events' plain lines written, the live region erased. Idempotent."""
        with self._lock:
            if self._stopped:
                return
            if self._active and self.mode == "plain":
                self._update(self.clock(), summaries=False)
            self._erase()
            self._stopped = True
        self._done.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2.0)

    def abandon(self) -> None:
        """Stop at once, writing nothing more (the terminal belongs to the shell again: ``run`` was killed)."""
        with self._lock:
            self._stopped = True
        self._done.set()


def _pytest_line_ended(config: pytest.Config, writer: Any) -> None:
    """Tell pytest's terminal writer that its line was ended under it: its width of the current line (what it
    aligns ``[ 45%]`` by) is then zero. Verbose pytest writes a test's outcome after its name, on the same line, and
    writes the name again if its reporter's ``currentfspath`` no longer names it. Only pytest's private current line
    offers this; without it the percentages are merely misaligned."""
    if isinstance(getattr(writer, "_current_line", None), str):
        writer._current_line = ""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and getattr(reporter, "showlongtestinfo", False):
        reporter.currentfspath = None
