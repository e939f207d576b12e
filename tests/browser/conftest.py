"""Real browsers against real servers: Debian's chromium driven by Playwright.

- `chromium`: skips (with the reason) where /usr/bin/chromium is absent; .ci/run
  installs it. Playwright's own browser download is never used.
- `cdn_assets`: the files Strawberry's GraphiQL page loads from a public CDN,
  taken from the same packages and versions on the npm registry (`npm pack`), to be
  served by `page.route`, so the page runs unchanged on a machine without that CDN.
- `start_server`: `python main.py serve` in a subprocess on 127.0.0.1.
"""

import os
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from shutil import which

import httpx
import pytest
import strawberry

from bench.processes import stop_process
from tests import databases
from tests.servers import free_port

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ASSETS_DIR = PROJECT_DIR / ".browser-assets"  # git-ignored
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
GRAPHIQL_PAGE = Path(strawberry.__file__).parent / "static" / "graphiql.html"
CDN = "https://unpkg.com/"
# https://unpkg.com/<package>@<exact version>/<file>, the package possibly scoped.
_CDN_URL = re.compile(r"https://unpkg\.com/((?:@[\w.-]+/)?[\w.-]+)@(\d[\w.+-]*)/([^\"'?#\s]+)")


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


def cdn_urls() -> list[str]:
    return sorted(set(match.group(0) for match in _CDN_URL.finditer(GRAPHIQL_PAGE.read_text())))


def _package_dir(name: str, version: str) -> Path:
    return ASSETS_DIR / f"{name.replace('/', '__')}@{version}"


def _fetch_package(name: str, version: str) -> None:
    """`npm pack` downloads only the package's own tarball (no dependencies, no lock
    file); it is unpacked to .browser-assets/<name>@<version>/."""
    target = _package_dir(name, version)
    if target.exists():
        return
    ASSETS_DIR.mkdir(exist_ok=True)
    npm = which("npm") or "npm"
    done = subprocess.run(  # noqa: S603 (fixed arguments: package names from the page)
        [npm, "pack", "--silent", f"{name}@{version}", "--pack-destination", str(ASSETS_DIR)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm pack {name}@{version} failed: {done.stderr.strip()}")
    tarball = ASSETS_DIR / done.stdout.strip().splitlines()[-1]
    partial = target.with_suffix(".partial")
    with tarfile.open(tarball) as archive:
        archive.extractall(partial, filter="data")
    (partial / "package").rename(target)
    partial.rmdir()
    tarball.unlink()


@dataclass  # not frozen: Playwright keeps a note on the route handler's object
class CdnAssets:
    files: dict[str, Path]  # CDN URL -> local file

    def serve(self, route: object) -> None:
        """A Playwright route handler: the CDN's file from disk, or abort."""
        url = route.request.url  # type: ignore[attr-defined]
        path = self.files.get(url.split("?")[0])
        if path is None:
            route.abort()  # type: ignore[attr-defined]
            return
        kind = "text/css" if path.suffix == ".css" else "application/javascript"
        # The page loads them with `crossorigin` and SRI: CORS must allow it.
        route.fulfill(  # type: ignore[attr-defined]
            status=200,
            body=path.read_bytes(),
            headers={"Content-Type": kind, "Access-Control-Allow-Origin": "*"},
        )


@pytest.fixture(scope="session")
def cdn_assets() -> CdnAssets:
    if not which("npm"):
        pytest.skip("npm is missing: it fetches GraphiQL's files from the npm registry")
    files: dict[str, Path] = {}
    for url in cdn_urls():
        match = _CDN_URL.fullmatch(url)
        assert match, url
        name, version, file = match.groups()
        try:
            _fetch_package(name, version)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"cannot fetch GraphiQL's files from the npm registry: {error}")
        files[url] = _package_dir(name, version) / file
        assert files[url].is_file(), f"{url}: {file} is not in {name}@{version}"
    return CdnAssets(files)


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
