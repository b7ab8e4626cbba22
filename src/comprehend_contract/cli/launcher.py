"""Runs the contract suite in a fresh pytest interpreter and stands between it and the terminal's signals.

The suite runs in a session of its own, so that a terminal's Ctrl-C reaches it once, through this process: the
first SIGINT or SIGTERM is forwarded (the suite then stops its jobs, removes its objects and writes a report marked
interrupted), the third kills it. The suite watches this process through ``PARENT_PID_VARIABLE`` and does the same
if this process dies (SIGKILL, a lost CI runner).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

from comprehend_contract.options import PARENT_PID_VARIABLE


def run_suite(arguments: Sequence[str]) -> tuple[int, int | None]:
    """Run ``python -m pytest ARGUMENTS``; its exit status, and the first signal this process received, if any."""
    environment = {**os.environ, PARENT_PID_VARIABLE: str(os.getpid())}
    child = subprocess.Popen([sys.executable, "-m", "pytest", *arguments], env=environment, start_new_session=True)
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
    return code, received[0] if received else None
