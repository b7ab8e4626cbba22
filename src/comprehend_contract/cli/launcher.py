"""Runs the contract suite in a fresh pytest interpreter and stands between it and the terminal's signals.

The suite runs in a session of its own, so that a terminal's Ctrl-C reaches it once, through this process: the
first SIGINT or SIGTERM is forwarded (the suite then stops its jobs, removes its objects and writes a report marked
interrupted), the third kills it. The suite watches this process through ``PARENT_PID_VARIABLE`` and does the same
if this process dies (SIGKILL, a lost CI runner).

Until pytest has parsed its arguments, the suite's standard error comes here through a pipe (its terminal is handed
over as ``TERMINAL_FD_VARIABLE``, which the plugin takes back once parsing is done): pytest's own usage error, which
names pytest and its usage line, is then returned to ``run`` to say in the kit's words; anything else is passed on.
"""

from __future__ import annotations

import codecs
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import FrameType

from comprehend_contract.options import PARENT_PID_VARIABLE, TERMINAL_FD_VARIABLE

USAGE_ERROR_START = b"ERROR: "
"""How pytest begins a usage error (``ERROR: usage: python -m pytest [options] ...`` from its argument parser,
``ERROR: Error importing plugin ...``)."""
PARSER_ERROR_REASON = re.compile(r"^\S.*?: error: (?P<reason>.+)$", re.MULTILINE)
"""argparse's line after the usage line: ``python -m pytest: error: unrecognized arguments: --bogus``."""
EARLY_OUTPUT_WAIT_SECONDS = 5.0
"""How long, after the suite ended, its early output may take to arrive (a grandchild could hold the pipe open)."""


@dataclass(frozen=True, slots=True)
class SuiteExit:
    """How the suite's pytest ended: its exit status, the first signal this process received (if any), and the
    reason of pytest's usage error (``unrecognized arguments: --bogus``) if its argument parser refused the run."""

    code: int
    signalled: int | None = None
    usage_error: str | None = None


class EarlyOutput:
    """The suite's standard error until the plugin takes the terminal back: passed on as it comes, unless it starts
    as pytest's usage errors do (``ERROR: ``), which is held until the suite ends."""

    def __init__(self, descriptor: int) -> None:
        self._stream = os.fdopen(descriptor, "rb", buffering=0)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._held = b""
        self._passing = False
        self._thread = threading.Thread(target=self._read, name="comprehend-contract-early-output", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with self._stream:
            while chunk := self._stream.read(65536):
                if self._passing:
                    self._pass_on(chunk)
                    continue
                self._held += chunk
                if not self._held.startswith(USAGE_ERROR_START[: len(self._held)]):
                    self._passing = True  # not a usage error: the rest goes straight on
                    held, self._held = self._held, b""
                    self._pass_on(held)

    def _pass_on(self, data: bytes) -> None:
        sys.stderr.write(self._decoder.decode(data))
        sys.stderr.flush()

    def usage_error(self, code: int) -> str | None:
        """Once the suite ended with ``code``: the reason of pytest's usage error, if it was one (nothing passed
        on); else None, with whatever was held passed on."""
        self._thread.join(EARLY_OUTPUT_WAIT_SECONDS)
        held, self._held = self._held, b""
        reason = usage_error_reason(held.decode("utf-8", "replace")) if code == 4 else None
        if reason is None and held:
            self._pass_on(held)
        return reason


def usage_error_reason(text: str) -> str | None:
    """What pytest's usage error ``text`` says in one line: argparse's reason (``unrecognized arguments: --bogus``)
    or a one-line ``ERROR: ...``; None for anything else (a traceback is passed on as it is)."""
    if not text.startswith(USAGE_ERROR_START.decode()):
        return None
    if text.startswith("ERROR: usage: "):
        found = PARSER_ERROR_REASON.search(text)
        return found.group("reason").strip() if found is not None else None
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0].removeprefix("ERROR: ").strip() if len(lines) == 1 else None


def run_suite(arguments: Sequence[str]) -> SuiteExit:
    """Run ``python -m pytest ARGUMENTS``: its exit status, the first signal this process received, and pytest's
    usage error if its argument parser refused the arguments."""
    terminal = os.dup(2)
    reading, writing = os.pipe()
    environment = {**os.environ, PARENT_PID_VARIABLE: str(os.getpid()), TERMINAL_FD_VARIABLE: str(terminal)}
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "pytest", *arguments],
            env=environment,
            start_new_session=True,
            stderr=writing,
            pass_fds=(terminal,),
        )
    finally:
        os.close(writing)
        os.close(terminal)
    early = EarlyOutput(reading)
    received: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        if len(received) == 1:
            child.send_signal(signum)
            print(f"comprehend-contract: {signal.Signals(signum).name}: stopping the run's jobs and cleaning up "
                  "(again twice to kill it at once)", file=sys.stderr)  # fmt: skip
        elif len(received) >= 3:
            child.kill()

    previous = {signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return SuiteExit(code, received[0] if received else None, early.usage_error(code))
