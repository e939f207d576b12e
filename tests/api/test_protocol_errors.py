"""Broken requests: every error has a code, none is a 500, none leaks internals."""

from typing import Any

import httpx
import pytest

from tests.client import GraphQLClient, code_of, error_of


async def test_unparsable_query(api: GraphQLClient) -> None:
    body = await api.post("{ me { email }")
    assert code_of(body) == "GRAPHQL_PARSE_FAILED"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ me { nonsense } }", {}),
        ("{ nonsense }", {}),
        ('{ events(first: "ten") { totalCount } }', {}),
        ("query($first: Int) { events(first: $first) { totalCount } }", {"first": "ten"}),
        ("query($id: ID!) { event(id: $id) { id } }", {}),
        ('mutation { signIn(email: "a@b.co") { accessToken } }', {}),
        ('mutation { createEvent(input: {title: "x", bogus: 1}) { id } }', {}),
    ],
)
async def test_queries_invalid_against_the_schema(
    api: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    account = await api.sign_up()
    body = await api.post(query, variables, token=account.token)
    assert {error["extensions"]["code"] for error in body["errors"]} == {
        "GRAPHQL_VALIDATION_FAILED"
    }


async def test_malformed_json_body_is_a_400(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        content=b'{"query": "{ me { email } ',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text


async def test_mutations_are_refused_over_get(http: httpx.AsyncClient) -> None:
    query = (
        'mutation { signUp(email: "get@example.com", password: "correct horse") { accessToken } }'
    )
    response = await http.get("/graphql", params={"query": query})
    assert response.status_code in (400, 405)
    assert "accessToken" not in response.text


async def test_queries_over_get_still_check_the_token(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ me { email } }"})
    assert response.status_code == 200
    assert error_of(response.json())["message"] == "Not authenticated"


async def test_graphiql_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_a_huge_title_does_not_leak_sql(api: GraphQLClient) -> None:
    account = await api.sign_up()
    body = await api.post(
        "mutation($t: String!) { createEvent(input: {title: $t}) { id } }",
        {"t": "'; DROP TABLE event; --" + "x" * 300},
        token=account.token,
    )
    error = error_of(body)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "SELECT" not in str(body) and "INSERT" not in str(body)


@pytest.mark.parametrize("body", [b'"a string"', b"42", b"null", b"true"])
async def test_a_json_body_that_is_not_an_object_is_a_400(http: httpx.AsyncClient, body) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_lone_surrogates_are_a_400_and_store_nothing(
    http: httpx.AsyncClient, api: GraphQLClient
) -> None:
    account = await api.sign_up()
    raw = (
        b'{"query": "mutation($t: String!) { createEvent(input: {title: $t}) { id } }",'
        b' "variables": {"t": "bad \\ud800 title"}}'
    )
    response = await http.post(
        "/graphql", content=raw, headers={**account.headers, "content-type": "application/json"}
    )
    assert response.status_code == 400
    body = await api.post("{ events { totalCount } }", token=account.token)
    assert body["data"]["events"]["totalCount"] == 0
    # A proper surrogate pair (an emoji) is fine.
    emoji = raw.replace(b"\\ud800", b"\\ud83d\\ude00")
    response = await http.post(
        "/graphql", content=emoji, headers={**account.headers, "content-type": "application/json"}
    )
    assert response.json()["data"]["createEvent"]["id"]


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"title": "a\x00b"}, "title"),
        ({"title": "ok", "tags": ["a\x00"]}, "tags"),
        ({"title": "ok", "description": "\x00"}, "description"),
    ],
)
async def test_nul_characters_are_bad_input(
    api: GraphQLClient, input: dict[str, Any], field: str
) -> None:
    account = await api.sign_up()
    body = await api.post(
        "mutation($i: CreateEventInput!) { createEvent(input: $i) { id } }",
        {"i": input},
        token=account.token,
    )
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
