"""POST /graphql in /openapi.json: a JSON body that /docs can send as it stands."""

from typing import Any

import httpx

from tests.client import SIGN_UP


async def graphql_post(http: httpx.AsyncClient) -> dict[str, Any]:
    document = (await http.get("/openapi.json")).json()
    operation: dict[str, Any] = document["paths"]["/graphql"]["post"]
    return operation


async def test_the_body_is_a_graphql_request(http: httpx.AsyncClient) -> None:
    body = (await graphql_post(http))["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["query"]
    assert set(schema["properties"]) == {"query", "variables", "operationName"}


async def test_it_asks_for_the_oauth2_token(http: httpx.AsyncClient) -> None:
    document = (await http.get("/openapi.json")).json()
    assert (await graphql_post(http))["security"] == [{"OAuth2PasswordBearer": []}]
    flow = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flow["password"]["tokenUrl"] == "/auth/token"


async def test_the_examples_return_data_as_try_it_out_sends_them(
    http: httpx.AsyncClient,
) -> None:
    """What Authorize, then Try it out does: a token from /auth/token, then each
    example body as JSON with that Bearer header."""
    account = {"email": "docs@example.com", "password": "correct horse battery"}
    await http.post("/graphql", json={"query": SIGN_UP, "variables": account})
    granted = await http.post(
        "/auth/token",
        data={"grant_type": "password", "username": account["email"], **account},
    )
    headers = {"Authorization": f"Bearer {granted.json()['access_token']}"}
    examples = (await graphql_post(http))["requestBody"]["content"]["application/json"]["examples"]

    events = await http.post("/graphql", json=examples["events"]["value"], headers=headers)
    assert events.json() == {"data": {"events": {"totalCount": 0, "edges": []}}}
    signed_up = await http.post("/graphql", json=examples["signUp"]["value"])
    assert signed_up.json()["data"]["signUp"]["accessToken"], signed_up.text


async def test_get_takes_the_query_from_the_url(http: httpx.AsyncClient) -> None:
    operation = (await http.get("/openapi.json")).json()["paths"]["/graphql"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    assert names == ["query", "variables", "operationName"]
