"""Real GraphQL clients in Node (Apollo Client 4 and Apollo's manifest generator)
against real servers.

`node_clients` installs the packages pinned by tests/clients/package-lock.json into
.node-clients/ (git-ignored) with `npm ci`, once per lock file, and copies the
scripts of tests/clients/js next to them (Node resolves packages from a script's own
folder). Where node or npm is missing, or the npm registry cannot be reached outside
CI, the tests skip with the reason.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from main import PROJECT_DIR

HERE = Path(__file__).resolve().parent
INSTALL_DIR = PROJECT_DIR / ".node-clients"
OPERATIONS = HERE / "operations"
STAMP = ".installed-lock-sha256"


@dataclass(frozen=True)
class NodeClients:
    node: str
    folder: Path

    def run(self, script: str, *args: str, timeout: float = 120) -> dict[str, Any]:
        done = subprocess.run(  # noqa: S603 (node and our own scripts)
            [self.node, str(self.folder / script), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def generate_manifest(self, operations: Path, output: Path) -> dict[str, Any]:
        """@apollo/generate-persisted-query-manifest on `operations`/*.graphql."""
        config = output.with_name("persisted-query-manifest.config.json")
        config.write_text(
            json.dumps({"documents": [f"{operations}/*.graphql"], "output": str(output)})
        )
        cli = self.folder / "node_modules" / ".bin" / "generate-persisted-query-manifest"
        done = subprocess.run(  # noqa: S603 (the pinned package's own command)
            [str(cli), "--config", str(config)],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"manifest generation failed:\n{done.stdout}\n{done.stderr}"
        manifest: dict[str, Any] = json.loads(output.read_text())
        return manifest


def _install(npm: str) -> None:
    lock = (HERE / "package-lock.json").read_bytes()
    digest = hashlib.sha256(lock).hexdigest()
    stamp = INSTALL_DIR / STAMP
    if stamp.exists() and stamp.read_text() == digest:
        return
    INSTALL_DIR.mkdir(exist_ok=True)
    stamp.unlink(missing_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, INSTALL_DIR / name)
    done = subprocess.run(  # noqa: S603 (npm ci of our own lock file)
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=INSTALL_DIR,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm ci failed: {done.stderr.strip()[-2000:]}")
    stamp.write_text(digest)


@pytest.fixture(scope="session")
def node_clients() -> NodeClients:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip(
            "node and npm are needed for the Apollo Client tests (apt-get install nodejs npm)"
        )
    try:
        _install(npm)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"cannot install the Node clients from the npm registry: {error}")
    for script in (HERE / "js").glob("*.mjs"):
        shutil.copyfile(script, INSTALL_DIR / script.name)
    return NodeClients(node, INSTALL_DIR)
