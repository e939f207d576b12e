"""bench/processes.py: a started process is stopped and reaped, however it behaves."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.processes import stop_process

# Each child prints one line once it is ready (its pid), then waits to be stopped.
WAITS = "import os, time; print(os.getpid(), flush=True); time.sleep(600)"
IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(600)"
)
# A parent that leaves its child (in the same process group) behind on SIGTERM; the
# line is the child's.
LEAVES_A_CHILD = (
    "import subprocess, sys, time; "
    f"child = subprocess.Popen([sys.executable, '-c', {WAITS!r}], stdout=sys.stdout); "
    "time.sleep(600)"
)


def start(code: str, *, new_session: bool = False) -> tuple[subprocess.Popen[bytes], bytes]:
    """The process, and the line it printed when ready."""
    process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], stdout=subprocess.PIPE, start_new_session=new_session
    )
    assert process.stdout is not None
    return process, process.stdout.readline()


def is_gone(pid: int) -> bool:
    """Exited (a zombie counts: it runs no more)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def test_a_process_that_exits_on_sigterm_is_stopped_by_it() -> None:
    process, _ = start(WAITS)
    stop_process(process, grace_seconds=30)
    assert process.returncode == -signal.SIGTERM


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    process, _ = start(IGNORES_SIGTERM)
    stop_process(process, grace_seconds=0.5)
    assert process.returncode == -signal.SIGKILL


def test_an_exited_process_is_left_alone() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    stop_process(process, grace_seconds=30)
    assert process.returncode == 0


def test_with_group_the_children_left_behind_are_stopped_too() -> None:
    parent, line = start(LEAVES_A_CHILD, new_session=True)
    child_pid = int(line)
    stop_process(parent, grace_seconds=30, group=True)
    assert parent.returncode == -signal.SIGTERM
    deadline = time.monotonic() + 10  # a killed process needs a moment to be scheduled out
    while not is_gone(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert is_gone(child_pid)
