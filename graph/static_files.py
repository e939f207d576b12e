"""The browser files shipped with the project (static/), served at /static.

static/vendor/ holds GraphiQL's and Swagger UI's files from the npm registry, each
package under <name>@<version>/ (tools/vendor_assets.py writes them and their
manifest); static/graphiql/ holds this project's own script and style for GraphiQL.
Pages ask for a vendored file by package and path, so a version bump is only
`make vendor`.
"""

import json
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
MANIFEST = STATIC_DIR / "vendor" / "manifest.json"
MOUNT_PATH = "/static"


@cache
def vendored_versions() -> dict[str, str]:
    """package name -> the version vendored, from the manifest."""
    packages = json.loads(MANIFEST.read_text())["packages"]
    return {package["name"]: package["version"] for package in packages}


def static_url(request: Request, path: str) -> str:
    """The URL of static/<path>, below the app's root path (behind a proxy prefix)."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return f"{root}{MOUNT_PATH}/{path}"


def vendored_url(request: Request, package: str, path: str) -> str:
    return static_url(request, f"vendor/{package}@{vendored_versions()[package]}/{path}")


def mount_static_files(app: FastAPI) -> None:
    app.mount(MOUNT_PATH, StaticFiles(directory=STATIC_DIR), name="static")
