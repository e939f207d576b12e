"""static/vendor/ holds exactly the files its manifest records, byte for byte."""

import hashlib
import json

from graph.static_files import MANIFEST, STATIC_DIR

VENDOR_DIR = STATIC_DIR / "vendor"
BOOKKEEPING = {"manifest.json", "VENDORED.md"}


def recorded() -> dict[str, str]:
    """relative path -> SHA-256 of every vendored file, licences included."""
    files: dict[str, str] = {}
    for package in json.loads(MANIFEST.read_text())["packages"]:
        folder = f"{package['name']}@{package['version']}"
        assert package["licences"], f"{folder} has no licence file"
        for path, digest in {**package["licences"], **package["files"]}.items():
            files[f"{folder}/{path}"] = digest
    return files


def test_every_file_matches_its_recorded_digest() -> None:
    for path, digest in recorded().items():
        assert hashlib.sha256((VENDOR_DIR / path).read_bytes()).hexdigest() == digest, path


def test_nothing_unrecorded_is_vendored() -> None:
    on_disk = {
        str(path.relative_to(VENDOR_DIR))
        for path in VENDOR_DIR.rglob("*")
        if path.is_file() and path.name not in BOOKKEEPING
    }
    assert on_disk == set(recorded())


def test_the_notes_list_every_digest() -> None:
    notes = (VENDOR_DIR / "VENDORED.md").read_text()
    for path, digest in recorded().items():
        assert f"| {path} | `{digest}` |" in notes
