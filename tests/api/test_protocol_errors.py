"""Broken requests: every error has a code, none is a 500, none leaks internals."""

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
    api: GraphQLClient, query: str, variables: dict
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
