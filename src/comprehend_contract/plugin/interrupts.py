"""How a run ends early and still cleans up: signals, the death of ``comprehend-contract run``, the run deadline.

Each turns into one ``KeyboardInterrupt`` in the main thread, so that pytest ends the session the way Ctrl-C does:
session fixtures stop the jobs and remove the objects, and the report says the run was interrupted (its gate
does not pass). Further signals while it cleans up are ignored; ``comprehend-contract run`` kills it on the third.

A suite whose ``comprehend-contract run`` died is an orphan: the shell that started it has its prompt back, so from
then on everything the suite writes to the terminal (its standard output and error, wherever pytest keeps copies of
them) goes to ``run.log`` in the run's report directory instead, with the kit's log lines of its cleanup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from comprehend_contract.core.context import RunContext
from comprehend_contract.options import PARENT_PID_VARIABLE

WATCH_INTERVAL_SECONDS = 0.5
ORPHAN_LOG = "run.log"
"""Where an orphaned suite writes, in its run's report directory (beside the reports it is about to write)."""


class Interrupts:
    """Installed once per run in the controller (or the only) process."""

    def __init__(self, context: RunContext) -> None:
        self.context = context
        self.deadline: float | None = None
        """When the run must end (monotonic clock), and its length in seconds, once the plan is known."""
        self.deadline_seconds = 0.0
        self._stopping = False
        self._parent = int(os.environ.get(PARENT_PID_VARIABLE, "0") or 0)
        self._done = threading.Event()
        self._previous: dict[int, Any] = {}
        self._terminal: set[tuple[int, int]] = set()
        """What standard output and error are (device, inode) when the run starts: the terminal, a pipe, a file."""
        self.orphaned: Callable[[], None] = lambda: None
        """Called first when the run becomes an orphan (the progress display then stops, writing nothing more)."""

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        self._terminal = {identity for identity in map(_identity, (1, 2)) if identity is not None}
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._on_signal)
        threading.Thread(target=self._watch, name="comprehend-contract-watch", daemon=True).start()

    def set_deadline(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.deadline_seconds = seconds

    def close(self) -> None:
        """Stop watching, and give the signals back to whoever had them (the session is over)."""
        self._done.set()
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._stopping:
            print("comprehend-contract: already stopping: cleaning up the run's jobs and objects", file=sys.stderr)
            return
        self._stopping = True
        if self.context.stop_reason is None:
            self.context.stop_reason = f"interrupted by {signal.Signals(signum).name} before every test ran"
        raise KeyboardInterrupt

    def _interrupt(self, reason: str) -> None:
        if self.context.stop_reason is None:
            self.context.stop_reason = reason
        os.kill(os.getpid(), signal.SIGINT)

    def _watch(self) -> None:
        while not self._done.wait(WATCH_INTERVAL_SECONDS):
            if self._parent and os.getppid() != self._parent:
                self.orphaned()
                self.write_to_log_from_now()
                self._interrupt("comprehend-contract run, which started this run, has gone away")
                return
            if self.deadline is not None and time.monotonic() > self.deadline:
                self._interrupt(f"the run passed its deadline of {self.deadline_seconds:g} s")
                return

    def write_to_log_from_now(self) -> Path:
        """Send everything this process writes to the terminal to the run's ``run.log`` from now on (every descriptor
        that is what standard output or error was at the start, pytest's saved copies included), and the kit's log
        lines of the cleanup too; the log file."""
        log_path = self.context.run_directory / ORPHAN_LOG
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.write(
            log_fd,
            f"comprehend-contract: {now}: comprehend-contract run (pid {self._parent}) has gone away: the run is "
            "interrupted; stopping its jobs, removing its objects and writing its report, with this log instead of "
            "the terminal\n".encode(),
        )
        for fd in _open_descriptors():
            if fd > 0 and fd != log_fd and _identity(fd) in self._terminal:
                with contextlib.suppress(OSError):
                    os.dup2(log_fd, fd)
        for stream in (sys.stdout, sys.stderr):  # what was written but not yet flushed goes to the log too
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        handler = logging.StreamHandler(os.fdopen(log_fd, "a", buffering=1, encoding="utf-8"))
        handler.setFormatter(logging.Formatter("comprehend-contract: %(levelname)s %(name)s: %(message)s"))
        kit = logging.getLogger("comprehend_contract")
        kit.addHandler(handler)
        kit.setLevel(logging.INFO)
        return log_path


def _identity(fd: int) -> tuple[int, int] | None:
    """What descriptor ``fd`` is open on (device, inode), or None if it is not open."""
    try:
        status = os.fstat(fd)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _open_descriptors() -> list[int]:
    """This process's open file descriptors."""
    for listing in ("/proc/self/fd", "/dev/fd"):
        try:
            return sorted(int(name) for name in os.listdir(listing) if name.isdigit())
        except OSError:
            continue
    return list(range(1, 1024))
