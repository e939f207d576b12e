"""Real browsers against real servers: Debian's chromium driven by Playwright.

- `chromium`: skips (with the reason) where /usr/bin/chromium is absent; .ci/run
  installs it. Playwright's own browser download is never used.
- `only_loopback`: a page that may reach nothing but this machine; the app's pages
  load every file from the app itself (static/vendor/), so they must work so.
- `start_server`: `python main.py serve` in a subprocess on 127.0.0.1.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from bench.processes import stop_process
from tests import databases
from tests.servers import free_port

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS_DIR = PROJECT_DIR / "test-artifacts"  # git-ignored
PORTS = range(18600, 18700)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


# Module scope: Playwright's sync API runs its own event loop, which should not
# outlive the browser tests while pytest-asyncio runs the others.
@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class OutsideRequests:
    """Requests a page tried to make beyond this machine (all refused)."""

    urls: list[str] = field(default_factory=list)

    def refuse(self, route: Any) -> None:
        url = route.request.url
        parsed = urlsplit(url)
        if parsed.scheme == "data" or parsed.hostname in LOOPBACK_HOSTS:
            route.fallback()
            return
        self.urls.append(url)
        route.abort()


def only_loopback(page: Any) -> OutsideRequests:
    """Every request to another machine aborted, and noted."""
    outside = OutsideRequests()
    page.route("**/*", outside.refuse)
    return outside


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path  # the server's stdout and stderr


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(**env: str) -> Server:
        port = free_port(PORTS)
        database_url = databases.sqlite_url(tmp_path / f"planner-{port}.db")
        databases.migrate(database_url)  # as `make run` does before serving
        environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BCRYPT_ROUNDS": "4",
            "SECRET_KEY": "browser-test-key-made-for-this-run-only-2b7e1f9d4c",
            # Production refuses to start without a mail server unless mail is off.
            "MAIL_ENABLED": "false",
            **env,
        }
        log = (tmp_path / f"server-{port}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            [sys.executable, "main.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://127.0.0.1:{port}", process, tmp_path / f"server-{port}.log")
        started.append(server)
        _wait_until_ready(server)
        return server

    yield start
    for server in started:
        stop_process(server.process, grace_seconds=10)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not start in 30 s:\n{server.log.read_text()}")
