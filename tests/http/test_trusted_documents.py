"""Trusted documents: only the manifest's operations run, decided before parsing."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.media_types import GRAPHQL_RESPONSE_JSON as GR
from graph.media_types import JSON
from graph.trusted_documents import ManifestError, read_manifest
from main import PROJECT_DIR, Settings, create_app
from tests.http.conftest import ClientFactory

TYPENAME = "query Typename { __typename }"
ME = "query Me { me { email } }"
INTROSPECTION = "query Schema { __schema { queryType { name } } }"


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def apollo_manifest(*documents: str) -> dict[str, Any]:
    """What @apollo/generate-persisted-query-manifest writes."""
    return {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256(body), "name": body.split()[1], "type": "query", "body": body}
            for body in documents
        ],
    }


def write(path: Path, manifest: object) -> Path:
    path.write_text(json.dumps(manifest))
    return path


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return write(tmp_path / "manifest.json", apollo_manifest(TYPENAME, ME))


def by_hash(document: str) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(document)}}}


async def post(http: httpx.AsyncClient, body: dict[str, Any], accept: str = GR) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"accept": accept})


def code(response: httpx.Response) -> str:
    value: str = response.json()["errors"][0]["extensions"]["code"]
    return value


async def test_a_known_id_runs_however_it_is_sent(
    client_for: ClientFactory, manifest: Path
) -> None:
    expected = {"data": {"__typename": "Query"}}
    async with client_for(trusted_documents=manifest) as http:
        assert (await post(http, by_hash(TYPENAME))).json() == expected
        assert (await post(http, {"documentId": sha256(TYPENAME)})).json() == expected
        assert (await post(http, {"documentId": f"sha256:{sha256(TYPENAME)}"})).json() == expected
        get = await http.get(
            "/graphql", params={"documentId": sha256(TYPENAME)}, headers={"accept": GR}
        )
        assert get.json() == expected
        # With its own text too (as Apollo's link sends a retry).
        assert (await post(http, {"query": TYPENAME, **by_hash(TYPENAME)})).json() == expected


@pytest.mark.parametrize("accept", [GR, JSON])
@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"query": "{ me { id } }"}, id="a document not in the manifest"),
        pytest.param({"query": "{ me { id "}, id="one that does not even parse"),
        pytest.param({"query": ME}, id="a trusted text without its id"),
        pytest.param(by_hash("{ __typename }"), id="an unknown hash"),
        pytest.param({"documentId": "nope"}, id="an unknown id"),
        pytest.param({"query": "{ me { id } }", **by_hash(ME)}, id="a known id, other text"),
        pytest.param({"documentId": "x" * 300}, id="an id longer than any stored"),
    ],
)
async def test_anything_else_is_refused_before_parsing(
    client_for: ClientFactory, manifest: Path, accept: str, body: dict[str, Any]
) -> None:
    async with client_for(trusted_documents=manifest) as http:
        response = await post(http, body, accept=accept)
        assert response.status_code == 400
        assert response.headers["content-type"].startswith(accept)
        assert "data" not in response.json()
        assert code(response) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_a_trusted_operation_still_checks_the_token(
    client_for: ClientFactory, manifest: Path
) -> None:
    async with client_for(trusted_documents=manifest) as http:
        assert code(await post(http, by_hash(ME))) == "UNAUTHENTICATED"


@pytest.mark.parametrize(("introspection", "expected"), [(True, "Query"), (False, None)])
async def test_introspection_follows_its_own_switch(
    client_for: ClientFactory, manifest: Path, introspection: bool, expected: str | None
) -> None:
    async with client_for(trusted_documents=manifest, introspection=introspection) as http:
        response = await post(http, {"query": INTROSPECTION})
        if expected is None:
            assert code(response) == "PERSISTED_QUERY_NOT_ALLOWED"
        else:
            assert response.json()["data"]["__schema"]["queryType"]["name"] == expected
        # Introspection next to data is not introspection only.
        mixed = await post(http, {"query": "{ __schema { queryType { name } } me { email } }"})
        assert code(mixed) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_graphiql_follows_its_own_switch(client_for: ClientFactory, manifest: Path) -> None:
    async with client_for(trusted_documents=manifest, graphiql=True) as http:
        page = await http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
    async with client_for(trusted_documents=manifest, graphiql=False) as http:
        page = await http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code != 200


async def test_codegen_client_preset_manifests_are_read(
    client_for: ClientFactory, tmp_path: Path
) -> None:
    # GraphQL Codegen's persisted-documents.json: hash -> document (sha1 by default).
    sha1 = hashlib.sha1(TYPENAME.encode()).hexdigest()  # noqa: S324 (an id, not security)
    path = write(tmp_path / "persisted-documents.json", {sha1: TYPENAME})
    async with client_for(trusted_documents=path) as http:
        response = await post(http, {"documentId": sha1})
        assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("not json", "cannot read"),
        ([1, 2], "not a manifest"),
        ({"a": 1}, "not a manifest"),
        ({"format": "apollo-persisted-query-manifest", "version": 2}, "version"),
        ({"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{}]}, "id"),
        ({"": "{ __typename }"}, "1 to 256"),
    ],
)
def test_malformed_manifests_are_refused(tmp_path: Path, manifest: object, message: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    with pytest.raises(ManifestError, match=message):
        read_manifest(path)


@pytest.mark.parametrize(
    "document", ["{ nonsense }", "{ __typename ", "{ " + "a: __typename " * 20 + "}"]
)
def test_a_manifest_the_schema_refuses_stops_the_start(
    settings: Settings, tmp_path: Path, document: str
) -> None:
    path = write(tmp_path / "m.json", {"bad": document, "good": TYPENAME})
    with pytest.raises(ManifestError, match="bad: "):
        create_app(settings.model_copy(update={"trusted_documents": path}))


def run_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"DATABASE_URL": settings.database_url, "PATH": "", "ENVIRONMENT": "test"}
    return subprocess.run(  # noqa: S603 (our own interpreter and main.py)
        [sys.executable, "main.py", "load-trusted-documents", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_documents_loaded_by_the_command_run_without_a_restart(
    client_for: ClientFactory, settings: Settings, manifest: Path, tmp_path: Path
) -> None:
    release = write(tmp_path / "release-2.json", apollo_manifest(TYPENAME, INTROSPECTION))
    async with client_for(trusted_documents=manifest, introspection=False) as http:
        before = await post(http, by_hash(INTROSPECTION))
        assert code(before) == "PERSISTED_QUERY_NOT_ALLOWED"
        done = run_cli(settings, str(release))
        assert done.returncode == 0, done.stderr
        assert "2 documents, 2 new" in done.stdout
        after = await post(http, by_hash(INTROSPECTION))
        # Trusted, so it runs; the introspection switch (off) still refuses it.
        assert code(after) == "GRAPHQL_VALIDATION_FAILED"
    again = run_cli(settings, str(release))
    assert "2 documents, 0 new" in again.stdout


def test_the_command_checks_before_it_stores(settings: Settings, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.json", {"id-1": "{ nonsense }"})
    done = run_cli(settings, "--check", str(bad))
    assert done.returncode != 0
    assert "id-1: Cannot query field 'nonsense'" in done.stderr
    good = write(tmp_path / "good.json", apollo_manifest(TYPENAME))
    checked = run_cli(settings, "--check", str(good))
    assert checked.returncode == 0
    assert "1 documents, all valid" in checked.stdout
