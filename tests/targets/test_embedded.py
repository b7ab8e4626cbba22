"""The embedded reference runs as a child of the suite's process, and never outlives it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from comprehend_contract.clients import comprehend_client
from comprehend_contract.targets.embedded import CHILD_MODULE, ReferenceTarget


def _children_serving(parent: int) -> list[int]:
    """The pids of ``reference.child`` processes whose parent is ``parent`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent_line = next((line for line in status.splitlines() if line.startswith("PPid:")), "PPid: 0")
        if CHILD_MODULE.encode() in command and int(parent_line.split()[1]) == parent:
            found.append(int(entry.name))
    return found


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            status = Path(f"/proc/{pid}/status").read_text()
            if "State:\tZ" in status:
                return True
        except (ProcessLookupError, FileNotFoundError):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads processes from /proc (Linux)")
def test_the_reference_child_serves_and_ends_when_closed() -> None:
    target = ReferenceTarget({})
    profile = target.start()
    try:
        (child,) = _children_serving(os.getpid())
        client = comprehend_client(profile.endpoint_url, profile.region, profile.credentials, max_attempts=1)
        assert client.list_sentiment_detection_jobs()["SentimentDetectionJobPropertiesList"] == []
        assert profile.internal_error_job_id_prefix, "the fault rehearsal's prefix comes from the child"
    finally:
        target.close()
    assert _gone(child, 15), "the child still runs after close()"
    assert _children_serving(os.getpid()) == []


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads processes from /proc (Linux)")
def test_the_reference_child_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves no cleanup to the parent: the child sees its standard input end and exits."""
    ready = tmp_path / "ready.json"
    script = (
        "import json, sys, time\n"
        "from comprehend_contract.targets.embedded import ReferenceTarget\n"
        "profile = ReferenceTarget({}).start()\n"
        f"open({str(ready)!r}, 'w').write(json.dumps(profile.endpoint_url))\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert parent.poll() is None, "the parent ended before its reference was ready"
            assert time.monotonic() < deadline, "the reference was not ready within 60 s"
            time.sleep(0.05)
        (child,) = _children_serving(parent.pid)
        assert json.loads(ready.read_text()).startswith("http://127.0.0.1:")
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert _gone(child, 15), "the reference child outlived its killed parent"


def test_a_reference_child_that_cannot_start_is_one_error_with_its_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from comprehend_contract.targets import TargetError, embedded

    monkeypatch.setattr(embedded, "CHILD_MODULE", "comprehend_contract.no_such_module")
    target = ReferenceTarget({})
    with pytest.raises(TargetError, match=r"the embedded reference did not start.*No module named"):
        target.start()
