"""Automatic persisted queries, Apollo's protocol, through the real app."""

import hashlib
import json
import logging
from typing import Any

import httpx
import pytest

from graph.media_types import GRAPHQL_RESPONSE_JSON as GR
from graph.media_types import JSON
from tests.client import GraphQLClient
from tests.http.conftest import ClientFactory
from tests.security.queries import nested_query

QUERY = "query Typename { __typename }"
EVENTS = "query Events($first: Int) { events(first: $first) { totalCount } }"


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def extensions(document: str | None = None, hash_: str | None = None) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hash_ or sha256(document or "")}}


async def post(
    http: httpx.AsyncClient, body: dict[str, Any], accept: str = GR, **headers: str
) -> httpx.Response:
    return await http.post("/graphql", json=body, headers={"accept": accept, **headers})


async def get(
    http: httpx.AsyncClient, body: dict[str, Any], accept: str = GR, **headers: str
) -> httpx.Response:
    params = {
        key: json.dumps(value) if isinstance(value, dict) else value for key, value in body.items()
    }
    return await http.get("/graphql", params=params, headers={"accept": accept, **headers})


def code(response: httpx.Response) -> str:
    codes: str = response.json()["errors"][0]["extensions"]["code"]
    return codes


@pytest.mark.parametrize(("accept", "status"), [(GR, 404), (JSON, 200)])
async def test_an_unknown_hash_is_persisted_query_not_found(
    http: httpx.AsyncClient, accept: str, status: int
) -> None:
    response = await post(http, {"extensions": extensions(QUERY)}, accept=accept)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(accept)
    body = response.json()
    assert "data" not in body
    assert body["errors"] == [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]


async def test_hash_then_document_then_hash_only(http: httpx.AsyncClient) -> None:
    assert code(await post(http, {"extensions": extensions(QUERY)})) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await post(http, {"query": QUERY, "extensions": extensions(QUERY)})
    assert registered.status_code == 200
    assert registered.json() == {"data": {"__typename": "Query"}}
    for send in (post, get):
        by_hash = await send(http, {"extensions": extensions(QUERY)})
        assert by_hash.status_code == 200, by_hash.text
        assert by_hash.json() == {"data": {"__typename": "Query"}}


async def test_variables_and_the_token_go_with_the_hash(http: httpx.AsyncClient) -> None:
    account = await GraphQLClient(http).sign_up()
    await GraphQLClient(http).create_event(account)
    body = {"query": EVENTS, "variables": {"first": 5}, "extensions": extensions(EVENTS)}
    assert (await post(http, body, **account.headers)).json()["data"]["events"]["totalCount"] == 1
    by_hash = {"variables": {"first": 5}, "extensions": extensions(EVENTS)}
    response = await get(http, by_hash, **account.headers)
    assert response.json() == {"data": {"events": {"totalCount": 1}}}
    signed_out = await get(http, by_hash)
    assert code(signed_out) == "UNAUTHENTICATED"


async def test_a_stored_mutation_is_refused_over_get(http: httpx.AsyncClient) -> None:
    mutation = 'mutation { signIn(email: "a@b.co", password: "wrong password") { accessToken } }'
    await post(http, {"query": mutation, "extensions": extensions(mutation)})
    response = await get(http, {"extensions": extensions(mutation)})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert code(response) == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("accept", [GR, JSON])
async def test_a_hash_that_is_not_the_documents_is_refused(
    http: httpx.AsyncClient, accept: str
) -> None:
    other = "{ __typename __schema { queryType { name } } }"
    body = {"query": other, "extensions": extensions(QUERY)}
    response = await post(http, body, accept=accept)
    assert response.status_code == 400
    assert "data" not in response.json()
    assert code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    # Nothing was stored under the hash: it cannot be hijacked.
    assert code(await post(http, {"extensions": extensions(QUERY)})) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "persisted",
    [
        {"version": 2, "sha256Hash": sha256(QUERY)},
        {"sha256Hash": sha256(QUERY)},
        {"version": 1, "sha256Hash": sha256(QUERY).upper()},
        {"version": 1, "sha256Hash": "abc"},
        {"version": 1, "sha256Hash": 42},
        {"version": 1},
        "yes",
    ],
)
async def test_a_malformed_persisted_query_is_400(
    http: httpx.AsyncClient, persisted: object
) -> None:
    response = await post(http, {"extensions": {"persistedQuery": persisted}})
    assert response.status_code == 400
    assert code(response) == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("document", "error"),
    [
        ("{ __typename ", "GRAPHQL_PARSE_FAILED"),
        ("{ nonsense }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ " + "a: __typename " * 20 + "}", "GRAPHQL_VALIDATION_FAILED"),  # aliases
        ("{ me { email " + "}" * 20, "GRAPHQL_PARSE_FAILED"),
        ("{ " + "__typename " * 2100 + "}", "GRAPHQL_VALIDATION_FAILED"),  # tokens
        (nested_query(11), "GRAPHQL_VALIDATION_FAILED"),  # depth
        ("{ me { email } }", "UNAUTHENTICATED"),
    ],
)
async def test_only_documents_within_every_limit_are_stored(
    http: httpx.AsyncClient, document: str, error: str
) -> None:
    response = await post(http, {"query": document, "extensions": extensions(document)})
    assert code(response) == error
    again = await post(http, {"extensions": extensions(document)})
    if error == "UNAUTHENTICATED":  # valid, ran, and failed in a resolver: stored
        assert code(again) == "UNAUTHENTICATED"
    else:
        assert code(again) == "PERSISTED_QUERY_NOT_FOUND"


async def test_instances_share_what_one_stored(client_for: ClientFactory) -> None:
    async with client_for() as first, client_for() as second:
        await post(first, {"query": QUERY, "extensions": extensions(QUERY)})
        response = await get(second, {"extensions": extensions(QUERY)})
        assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_worker_without_memory_reads_the_table(client_for: ClientFactory) -> None:
    async with client_for(apq_memory_chars=0) as http:
        await post(http, {"query": QUERY, "extensions": extensions(QUERY)})
        response = await post(http, {"extensions": extensions(QUERY)})
        assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", [GR, JSON])
async def test_with_apq_off_a_hash_is_not_supported(client_for: ClientFactory, accept: str) -> None:
    async with client_for(apq=False) as http:
        response = await post(http, {"extensions": extensions(QUERY)}, accept=accept)
        assert response.status_code == 400
        assert response.json()["errors"][0]["message"] == "PersistedQueryNotSupported"
        assert code(response) == "PERSISTED_QUERY_NOT_SUPPORTED"
        plain = await post(http, {"query": QUERY})
        assert plain.json() == {"data": {"__typename": "Query"}}


async def test_a_document_id_without_trusted_documents_is_not_supported(
    http: httpx.AsyncClient,
) -> None:
    response = await post(http, {"documentId": sha256(QUERY)})
    assert code(response) == "PERSISTED_QUERY_NOT_SUPPORTED"


async def test_the_request_log_names_the_refusal(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="planner.request"):
        await post(http, {"extensions": extensions(QUERY)}, accept=JSON)
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "planner.request"]
    assert line["status"] == 200
    assert line["errors"] == ["PERSISTED_QUERY_NOT_FOUND"]
    assert line["outcome"] == "error"
