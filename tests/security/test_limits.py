"""Query limits: each over-limit request is refused before any work is done."""

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from graph.limits import QueryLimits
from tests.client import SIGN_UP, GraphQLClient, code_of, error_of
from tests.security.queries import nested_query


async def test_query_at_the_depth_limit_runs(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post(nested_query(QueryLimits().max_depth), token=account.token)
    assert "errors" not in body, body


async def test_query_over_the_depth_limit_is_refused(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post(nested_query(QueryLimits().max_depth + 1), token=account.token)
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "exceeds maximum operation depth" in error_of(body)["message"]
    assert body.get("data") is None


async def test_alias_flood_is_refused_before_signing_up(api: GraphQLClient) -> None:
    # 16 aliased signUps: refused as a whole, so not one account is created.
    fields = " ".join(
        f'a{i}: signUp(email: "flood{i}@example.com", password: "correct horse") {{ expiresIn }}'
        for i in range(QueryLimits().max_aliases + 1)
    )
    body = await api.post(f"mutation {{ {fields} }}")
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "aliases" in error_of(body)["message"]
    again = await api.post(SIGN_UP, {"email": "flood0@example.com", "password": "correct horse"})
    assert "errors" not in again, again


async def test_aliases_up_to_the_limit_run(api: GraphQLClient) -> None:
    account = await api.sign_up()
    fields = " ".join(f"a{i}: me {{ id }}" for i in range(QueryLimits().max_aliases))
    body = await api.post(f"{{ {fields} }}", token=account.token)
    assert "errors" not in body, body


async def test_too_many_tokens_is_refused(api: GraphQLClient) -> None:
    account = await api.sign_up()
    # Each "id" is a token; 2000 repeats overrun the limit without any alias or depth.
    body = await api.post("{ me { " + "id " * 2100 + "} }", token=account.token)
    assert code_of(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "more than 2000 tokens" in error_of(body)["message"]


async def test_page_size_over_the_limit_is_refused(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post("{ events(first: 101) { totalCount } }", token=account.token)
    assert code_of(body) == "BAD_USER_INPUT"
    assert error_of(body)["extensions"]["field"] == "first"


async def test_body_over_one_mebibyte_is_413(http: httpx.AsyncClient) -> None:
    padding = " " * (1024 * 1024)
    response = await http.post("/graphql", json={"query": "{ __typename }" + padding})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_body_over_the_limit_without_content_length_is_413(
    http: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # streamed: no Content-Length to trust
        for _ in range(17):
            yield b" " * 65536

    response = await http.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


async def test_body_under_the_limit_is_served(http: httpx.AsyncClient) -> None:
    padding = " " * (1024 * 1024 - 100)
    response = await http.post("/graphql", json={"query": "{ __typename }" + padding})
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_batched_operations_are_refused(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error == {"message": "Batching is not enabled", "extensions": {"code": "BAD_REQUEST"}}


@pytest.mark.parametrize(
    "body",
    ["{not json", '"a string"', "42", "null", '{"query": 42}', "[]", b'{"query": "\xff"}'],
)
async def test_malformed_json_is_400(http: httpx.AsyncClient, body: str | bytes) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "text/plain",
        "text/plain; charset=application/json",
        "multipart/form-data; boundary=x",
        "application/graphql",
    ],
)
async def test_post_must_be_json(http: httpx.AsyncClient, content_type: str) -> None:
    # What a cross-site form or a "simple" fetch can send: nothing of it runs.
    mutation = 'mutation { signUp(email: "csrf@example.com", password: "correct horse") { id } }'
    body = json.dumps({"query": mutation})
    response = await http.post("/graphql", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    api = GraphQLClient(http)
    signed_up = await api.post(SIGN_UP, {"email": "csrf@example.com", "password": "correct horse"})
    assert "errors" not in signed_up, "the refused request created the account"


async def test_json_with_charset_is_accepted(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        content='{"query": "{ __typename }"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_mutation_over_get_is_refused(http: httpx.AsyncClient) -> None:
    mutation = 'mutation { signUp(email: "get@example.com", password: "correct horse") { id } }'
    response = await http.get("/graphql", params={"query": mutation})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    api = GraphQLClient(http)
    signed_up = await api.post(SIGN_UP, {"email": "get@example.com", "password": "correct horse"})
    assert "errors" not in signed_up, "the GET created the account"


async def test_query_over_get_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ __typename }"})
    assert response.json() == {"data": {"__typename": "Query"}}
