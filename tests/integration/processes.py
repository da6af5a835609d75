"""Processes the integration tests start: none may outlive the test run."""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable

#: prctl(2): the signal a process gets when the thread that started it ends.
PR_SET_PDEATHSIG = 1


def ends_with_the_tests(parent: int) -> Callable[[], None]:
    """Runs in a child between fork and exec: should pytest die, even by
    SIGKILL, the kernel sends the child SIGTERM, so no worker or web server
    outlives a killed test run (and keeps a port or the database busy)."""

    prctl = ctypes.CDLL("libc.so.6").prctl  # looked up here: the child only calls it

    def arrange() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # pytest died before the line above
            os._exit(1)

    return arrange
