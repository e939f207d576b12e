"""Real uvicorn servers (`python -m bench.serve`: the app as `main.py serve` runs it,
composed by bench/apps.py) on 127.0.0.1, started and stopped by the bench."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.processes import stop_process

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORTS = range(18500, 18600)  # the bench's share of loopback ports
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    workers: int = 1
    _stopped: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the children of a multi-worker master."""
        if self.workers == 1:
            return [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        # multiprocessing also starts a resource tracker; workers are the spawned ones
        return [pid for pid in pids if b"spawn_main" in _cmdline(pid)]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the serving processes have used so far."""
        return sum(_cpu_seconds(pid) for pid in self.worker_pids())

    def rss_mb(self) -> list[float]:
        return [_rss_mb(pid) for pid in self.worker_pids()]

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        stop_process(self.process, STOP_TIMEOUT_SECONDS)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_server(
    name: str,
    port: int,
    env: dict[str, str],
    log_dir: Path,
    workers: int = 1,
    module: str = "bench.serve",
) -> Server:
    """`python -m module --host --port --workers`: bench.serve, or bench.plain_app."""
    if port not in PORTS:
        raise ValueError(f"bench ports are {PORTS.start}-{PORTS.stop - 1}")
    log_path = log_dir / f"server-{name}.log"
    command = [sys.executable, "-m", module, "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            command, cwd=PROJECT_DIR, env={**os.environ, **env}, stdout=log, stderr=log
        )
    server = Server(name, port, process, log_path, workers)
    _wait_healthy(server)
    return server


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server {server.name} exited; see {server.log_path}")
        try:
            healthy = httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200
            if healthy and (server.workers == 1 or len(server.worker_pids()) == server.workers):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server {server.name} did not become healthy; see {server.log_path}")
