"""Real uvicorn servers for tests: `python main.py serve` in a child process on a port
in 18400-18499, ready once /healthz says so, always stopped afterwards."""

import os
import random
import signal
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

from main import PROJECT_DIR
from tests.conftest import TEST_SECRET

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


def free_port() -> int:
    for port in random.sample(PORTS, len(PORTS)):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18400-18499")


def server_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONUNBUFFERED": "1",
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "BCRYPT_ROUNDS": "4",
        "GRAPHIQL": "false",
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
            if _wait_ready(server):
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


def _wait_ready(server: LiveServer) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.running:
        with suppress(httpx.TransportError):
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return True
        time.sleep(0.1)
    return False


def _stop(server: LiveServer) -> None:
    try:
        if server.running:
            os.killpg(server.process.pid, signal.SIGTERM)
            try:
                server.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait()
    finally:
        with suppress(ProcessLookupError):  # stray workers of a killed parent
            os.killpg(server.process.pid, signal.SIGKILL)
        server.log.unlink(missing_ok=True)
