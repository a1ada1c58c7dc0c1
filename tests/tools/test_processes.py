"""tools/processes.py: the processes make run, the e2e tests and the scaled stack start."""

from __future__ import annotations

import sys
import time

from tools.processes import ManagedProcess


def _niceness_of_child(tmp_path, nice: int) -> int:
    process = ManagedProcess(
        name="probe",
        argv=[sys.executable, "-c", "import os; print('niceness', os.nice(0), flush=True)"],
        env={},
        health_url="",
        log_path=tmp_path / f"probe-{nice}.log",
        nice=nice,
    )
    process.start()
    assert process.process is not None
    process.process.wait(30)
    for _ in range(50):
        text = process.log_path.read_text()
        if "niceness" in text:
            return int(text.split()[-1])
        time.sleep(0.1)
    raise AssertionError(f"no output: {process.log_path.read_text()!r}")


def test_a_background_process_runs_at_its_niceness_and_the_default_is_unchanged(tmp_path):
    import os

    own = os.nice(0)
    assert _niceness_of_child(tmp_path, 7) == own + 7
    assert _niceness_of_child(tmp_path, 0) == own
