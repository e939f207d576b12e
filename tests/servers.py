"""Real uvicorn servers for tests: `python main.py serve` in a child process on a port
in 18400-18499, ready once /healthz says so, always stopped afterwards."""

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.processes import stop_process
from main import PROJECT_DIR
from tests.settings import TEST_SECRET

PORTS = range(18400, 18500)
START_SECONDS = 60.0
STOP_SECONDS = 15.0


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def worker_count(self) -> int | None:
        """Children started by multiprocessing's spawn (uvicorn's `--workers`); None
        where /proc cannot tell."""
        proc = Path("/proc")
        if not proc.is_dir():
            return None
        workers = 0
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:  # exited meanwhile
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid and b"spawn_main" in command:
                workers += 1
        return workers


def free_port(ports: range = PORTS) -> int:
    """A free loopback port from `ports` (each test family keeps to its own range)."""
    for port in random.sample(ports, len(ports)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports}")


def server_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONUNBUFFERED": "1",
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "BCRYPT_ROUNDS": "4",
        "GRAPHIQL": "false",
        # Mails are enqueued, not sent (tests/mail runs senders against its own server).
        "MAIL_SENDER": "false",
        **(extra or {}),
    }


@contextmanager
def live_server(
    database_url: str, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    # Another run may take the port between the probe and uvicorn's bind: try again.
    for attempt in range(3):
        server = _start(database_url, workers, env)
        try:
            if _wait_ready(server, workers):
                yield server
                return
            if attempt == 2 or "address already in use" not in server.output().lower():
                raise RuntimeError(f"server did not start:\n{server.output()}")
        finally:
            _stop(server)


def _start(database_url: str, workers: int, env: dict[str, str] | None) -> LiveServer:
    port = free_port()
    handle, name = tempfile.mkstemp(prefix="planner-server-", suffix=".log")
    command = [sys.executable, "main.py", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and main.py)
        [*command, "--workers", str(workers)],
        cwd=PROJECT_DIR,
        env=server_env(database_url, env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: workers are stopped with it
    )
    os.close(handle)
    return LiveServer(url=f"http://127.0.0.1:{port}", process=process, log=Path(name))


def _wait_ready(server: LiveServer, workers: int) -> bool:
    """/healthz answers, and with several workers all of them have started (the first
    one up answers before the others exist)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.running:
        with suppress(httpx.TransportError):
            healthy = httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200
            if healthy and server.worker_count() in (None, 0 if workers == 1 else workers):
                return True
        time.sleep(0.1)
    return False


def _stop(server: LiveServer) -> None:
    try:
        stop_process(server.process, STOP_SECONDS, group=True)
    finally:
        server.log.unlink(missing_ok=True)
