"""The reference as a child of the suite's process: ``python -m comprehend_contract.reference.child PACE_JSON``.

The embedded target starts the reference here rather than in its own process, so that the reference's work (every
job's analysis, every answer) runs on another processor than the tests, outside their interpreter lock. The child
serves with the embedded target's configuration (the pace given, the fault rehearsal), writes its ready document as
one JSON line to standard output (its analyses warming up meanwhile, on a thread of their own), and serves until
its standard input ends: when the suite's process closes it, or exits in any way (a crash, SIGKILL), the child
stops its jobs and exits. It leaves the terminal's signals (Ctrl-C) to the suite, which ends it in its own time.
"""

from __future__ import annotations

import json
import sys
import threading

from comprehend_contract.reference.analysis import warm_up
from comprehend_contract.reference.faults import REHEARSAL_JOB_ID_PREFIX, FaultPlan
from comprehend_contract.reference.pacing import Pace
from comprehend_contract.reference.service import ReferenceService, ServiceConfig


def main(arguments: list[str]) -> int:
    pace = Pace(**json.loads(arguments[0])) if arguments else Pace.preset("fast")
    service = ReferenceService(ServiceConfig(pace=pace, faults=FaultPlan.rehearsal()))
    running = service.start()
    threading.Thread(target=warm_up, name="analyses-warm-up", daemon=True).start()
    try:
        ready = {**running.ready_document(), "internal_error_job_id_prefix": REHEARSAL_JOB_ID_PREFIX}
        sys.stdout.write(json.dumps(ready) + "\n")
        sys.stdout.flush()
        while sys.stdin.buffer.read(65536):  # nothing is sent: this returns when the parent closes the pipe
            pass
    finally:
        service.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
