"""Fetch the browser files GraphiQL and /docs use from the npm registry into static/vendor/.

    python tools/vendor_assets.py                      # the versions in the manifest again
    python tools/vendor_assets.py graphiql@3.8.3 swagger-ui-dist@latest   # change versions

static/vendor/manifest.json lists each package, its version and the files the pages
need; this script downloads each package's own tarball with `npm pack` (npm checks it
against the registry's integrity digest), copies those files and the package's licence
files to static/vendor/<name>@<version>/, and records the tarball's integrity and every
file's SHA-256 in the manifest and in static/vendor/VENDORED.md. tests/test_vendored.py
checks the digests, so an edited or truncated file fails the tests.
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

VENDOR_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"
MANIFEST = VENDOR_DIR / "manifest.json"
NOTES = VENDOR_DIR / "VENDORED.md"
LICENCE_PREFIXES = ("license", "licence", "copying", "notice")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def npm(*args: str, cwd: Path | None = None) -> str:
    npm_path = shutil.which("npm")
    if npm_path is None:
        raise SystemExit("npm is missing: it downloads the packages from the npm registry")
    done = subprocess.run(  # noqa: S603 (npm with package names from our manifest)
        [npm_path, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"npm {' '.join(args)} failed:\n{done.stderr.strip()}")
    return done.stdout


def resolve(name: str, wanted: str) -> str:
    """An exact version for a version, range or tag ("latest", "5")."""
    versions = json.loads(npm("view", f"{name}@{wanted}", "version", "--json"))
    return str(versions[-1] if isinstance(versions, list) else versions)


def licence_names(folder: Path) -> list[str]:
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.is_file() and path.name.lower().startswith(LICENCE_PREFIXES)
    )


def borrowed_licences(package: dict[str, Any], versions: dict[str, str], source: Path) -> list[str]:
    """For a package published without its licence file: the licence files of the
    package named by `licence_from` in the manifest (published from the same
    repository, vendored before it), copied in so they are vendored alongside."""
    donor_name = package.get("licence_from")
    donor = VENDOR_DIR / f"{donor_name}@{versions.get(str(donor_name))}"
    if donor_name is None or not donor.is_dir():
        raise SystemExit(f"{package['name']} ships no licence file and names no licence_from")
    names = licence_names(donor)
    for licence in names:
        shutil.copyfile(donor / licence, source / licence)
    return names


def vendor_package(package: dict[str, Any], versions: dict[str, str], work: Path) -> None:
    name, version = package["name"], package["version"]
    packed = json.loads(npm("pack", "--json", f"{name}@{version}", cwd=work))[0]
    unpacked = work / f"{packed['filename']}.d"
    with tarfile.open(work / packed["filename"]) as archive:
        archive.extractall(unpacked, filter="data")
    source = unpacked / "package"
    target = VENDOR_DIR / f"{name}@{version}"
    shutil.rmtree(target, ignore_errors=True)
    licences = licence_names(source) or borrowed_licences(package, versions, source)
    files: dict[str, str] = {}
    for relative in [*licences, *sorted(package["files"])]:
        if not (source / relative).is_file():
            raise SystemExit(f"{name}@{version} has no {relative}")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target / relative)
        files[relative] = sha256(target / relative)
    package_json = json.loads((source / "package.json").read_text())
    package.update(
        licence=package_json.get("license", "see the licence files"),
        licences={path: files[path] for path in licences},
        files={path: digest for path, digest in files.items() if path not in licences},
        tarball_integrity=packed["integrity"],
    )


def write_notes(packages: list[dict[str, Any]]) -> None:
    lines = [
        "# Vendored browser files",
        "",
        "GraphiQL (at /graphql) and Swagger UI (at /docs) load only these files, served",
        "by the app itself from /static/vendor/: the pages work offline and under a",
        "Content-Security-Policy that allows only the app's own origin.",
        "",
        "Written by `make vendor` (tools/vendor_assets.py) from the npm registry; do not",
        "edit by hand. To change a version: `make vendor PACKAGES=graphiql@<version>`.",
        "tests/test_vendored.py checks every digest below.",
        "",
    ]
    for package in packages:
        folder = f"{package['name']}@{package['version']}"
        lines += [
            f"## {folder}",
            "",
            f"- licence: {package['licence']} ({', '.join(package['licences'])})",
            *([f"- {package['licence_note']}"] if "licence_note" in package else []),
            f"- npm tarball integrity: `{package['tarball_integrity']}`",
            "",
            "| file | SHA-256 |",
            "| --- | --- |",
        ]
        digests = {**package["licences"], **package["files"]}
        lines += [f"| {folder}/{path} | `{digest}` |" for path, digest in digests.items()]
        lines.append("")
    NOTES.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="NAME@VERSION (a range or tag resolves)")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text())
    packages: list[dict[str, Any]] = manifest["packages"]
    by_name = {package["name"]: package for package in packages}
    for spec in args.packages:
        name, _, wanted = spec.rpartition("@") if spec.rfind("@") > 0 else (spec, "", "latest")
        if name not in by_name:
            raise SystemExit(f"{name} is not in {MANIFEST.name}; add it there with its files")
        old = VENDOR_DIR / f"{name}@{by_name[name]['version']}"
        by_name[name]["version"] = resolve(name, wanted)
        if old != VENDOR_DIR / f"{name}@{by_name[name]['version']}":
            shutil.rmtree(old, ignore_errors=True)
    versions = {package["name"]: package["version"] for package in packages}
    with tempfile.TemporaryDirectory() as work:
        for package in packages:
            print(f"{package['name']}@{package['version']}", file=sys.stderr)
            vendor_package(package, versions, Path(work))
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n")
    write_notes(packages)


if __name__ == "__main__":
    main()
