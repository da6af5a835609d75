"""A process the integration tests start ends when the test run is killed,
even by SIGKILL, which gives pytest no chance to stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Stands in for pytest: starts a long sleeper the way the fixtures start
# workers and web servers, prints its pid, and waits to be killed.
TEST_RUN = """
import os, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from tests.integration.processes import ends_with_the_tests
sleeper = subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(120)"], preexec_fn=ends_with_the_tests(os.getpid())
)
print(sleeper.pid, flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_started_process_ends_when_the_test_run_is_killed():
    run = subprocess.Popen([sys.executable, "-c", TEST_RUN, str(ROOT)], stdout=subprocess.PIPE, text=True)
    try:
        sleeper = int(run.stdout.readline())
        assert alive(sleeper)

        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)

        deadline = time.monotonic() + 10
        while alive(sleeper) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(sleeper)
    finally:
        run.kill()
        run.stdout.close()
