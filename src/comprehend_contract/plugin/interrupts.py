"""How a run ends early and still cleans up: signals, the death of ``comprehend-contract run``, the run deadline.

Each turns into one ``KeyboardInterrupt`` in the main thread, so that pytest ends the session the way Ctrl-C does:
session fixtures stop the jobs and remove the objects, and the report says the run was interrupted (its gate
does not pass). Further signals while it cleans up are ignored; ``comprehend-contract run`` kills it on the third.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from comprehend_contract.core.context import RunContext
from comprehend_contract.options import PARENT_PID_VARIABLE

WATCH_INTERVAL_SECONDS = 0.5


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

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
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
                self._interrupt("comprehend-contract run, which started this run, has gone away")
                return
            if self.deadline is not None and time.monotonic() > self.deadline:
                self._interrupt(f"the run passed its deadline of {self.deadline_seconds:g} s")
                return
