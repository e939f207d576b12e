"""Stopping a server process we started: SIGTERM, a grace period, then SIGKILL.

Used by the bench (bench/servers.py) and by the tests that run real servers
(tests/servers.py, tests/browser/conftest.py). It lives here rather than in tests/
because tests already import bench/ (tests/bench) while bench/ imports nothing of the
test suite, and should not start to for this.
"""

import os
import signal
import subprocess
from contextlib import suppress


def stop_process(
    process: subprocess.Popen[bytes], grace_seconds: float, *, group: bool = False
) -> None:
    """Ask `process` to exit, wait up to `grace_seconds`, then kill it; always reaped.

    `group`: the process leads its own process group (started with
    `start_new_session=True`), and the whole group gets the signals, so uvicorn's
    workers stop with it, also those a killed parent left behind.
    """

    def send(sig: signal.Signals) -> None:
        if group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)

    try:
        if process.poll() is None:
            send(signal.SIGTERM)
            try:
                process.wait(grace_seconds)
            except subprocess.TimeoutExpired:
                send(signal.SIGKILL)
                process.wait()
    finally:
        if group:
            with suppress(ProcessLookupError):  # no stray worker left: nothing to do
                os.killpg(process.pid, signal.SIGKILL)
