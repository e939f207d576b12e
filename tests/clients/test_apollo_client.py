"""Apollo Client 4 against a real `python main.py serve`: automatic persisted
queries over POST and GET, and trusted documents from a manifest made by Apollo's
own generator."""

from pathlib import Path
from typing import Any

from tests.clients.conftest import OPERATIONS, NodeClients
from tests.servers import live_server

GR = "application/graphql-response+json"


def wire(exchanges: list[dict[str, Any]]) -> list[tuple[str, bool, bool, int, list[str]]]:
    """(method, query sent, hash sent, status, error codes) of each HTTP exchange."""
    return [
        (e["method"], e["sentQuery"], e["sentHash"] is not None, e["status"], e["codes"])
        for e in exchanges
    ]


NOT_FOUND = ["PERSISTED_QUERY_NOT_FOUND"]


def test_apollo_client_persisted_queries(node_clients: NodeClients, database_url: str) -> None:
    with live_server(database_url) as server:
        result = node_clients.run("apq.mjs", f"{server.url}/graphql", str(OPERATIONS))
    steps = {step["name"]: step for step in result["steps"]}
    for step in steps.values():
        assert step["error"] is None, step
    assert steps["me over POST again"]["data"] == steps["me over POST"]["data"]
    titles = {e["node"]["title"] for e in steps["events over GET again"]["data"]["events"]["edges"]}
    assert titles == {"First", "Second"}
    assert steps["me over GET"]["data"]["me"]["email"].startswith("apq-")

    assert wire(result["exchanges"]) == [
        # signUp: by hash, unknown; again with the document, stored.
        ("POST", False, True, 404, NOT_FOUND),
        ("POST", True, True, 200, []),
        # createEvent: the same, then by hash only for the second event.
        ("POST", False, True, 404, NOT_FOUND),
        ("POST", True, True, 200, []),
        ("POST", False, True, 200, []),
        # me: the same over POST.
        ("POST", False, True, 404, NOT_FOUND),
        ("POST", True, True, 200, []),
        ("POST", False, True, 200, []),
        # events over GET: the link retries a miss with a POST, then GETs by hash.
        ("GET", False, True, 404, NOT_FOUND),
        ("POST", True, True, 200, []),
        ("GET", False, True, 200, []),
        # me, stored over POST, found by a GET.
        ("GET", False, True, 200, []),
    ]
    for exchange in result["exchanges"]:
        assert exchange["accept"].startswith(GR)  # Apollo Client 4 prefers the new type
        assert exchange["contentType"].startswith(GR)


def test_apollo_client_with_trusted_documents(
    node_clients: NodeClients, database_url: str, tmp_path: Path
) -> None:
    manifest_path = tmp_path / "persisted-query-manifest.json"
    manifest = node_clients.generate_manifest(OPERATIONS, manifest_path)
    assert manifest["format"] == "apollo-persisted-query-manifest"
    assert {op["name"] for op in manifest["operations"]} == {
        "SignUp",
        "CreateEvent",
        "Me",
        "Events",
    }

    env = {"TRUSTED_DOCUMENTS": str(manifest_path)}
    with live_server(database_url, env=env) as server:
        result = node_clients.run(
            "trusted.mjs", f"{server.url}/graphql", str(manifest_path), str(OPERATIONS)
        )
    steps = {step["name"]: step for step in result["steps"]}
    for name in ("signUp", "create", "me by id over POST", "events by id over GET"):
        assert steps[name]["error"] is None, steps[name]
    events = steps["events by id over GET"]["data"]["events"]
    assert [edge["node"]["title"] for edge in events["edges"]] == ["Trusted"]
    for name in ("a document not in the manifest", "a manifest operation sent in full"):
        assert steps[name]["data"] is None
        assert steps[name]["error"]["codes"] == ["PERSISTED_QUERY_NOT_ALLOWED"], steps[name]

    assert wire(result["exchanges"]) == [
        ("POST", False, True, 200, []),  # signUp by id
        ("POST", False, True, 200, []),  # createEvent by id
        ("POST", False, True, 200, []),  # me by id
        ("GET", False, True, 200, []),  # events by id, over GET
        ("POST", True, False, 400, ["PERSISTED_QUERY_NOT_ALLOWED"]),
        ("POST", True, False, 400, ["PERSISTED_QUERY_NOT_ALLOWED"]),
    ]
