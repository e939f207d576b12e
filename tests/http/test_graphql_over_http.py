"""GraphQL over HTTP (docs/HTTP.md): media types, status codes, and the shape of
request errors, through the real app."""

import json
from typing import Any

import httpx
import pytest

from graph.media_types import GRAPHQL_RESPONSE_JSON as GR
from graph.media_types import JSON

APOLLO_ACCEPT = f"{GR},{JSON};q=0.9"  # Apollo Client 4's default


async def post(
    http: httpx.AsyncClient, body: Any, accept: str | None = GR, **headers: str
) -> httpx.Response:
    all_headers = {"content-type": "application/json", **headers}
    if accept is not None:
        all_headers["accept"] = accept
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await http.post("/graphql", content=content, headers=all_headers)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [(GR, GR), (APOLLO_ACCEPT, GR), (JSON, JSON), ("*/*", JSON), (None, JSON)],
)
async def test_the_response_has_the_negotiated_media_type(
    http: httpx.AsyncClient, accept: str | None, expected: str
) -> None:
    response = await post(http, {"query": "{ __typename }"}, accept=accept)
    assert response.status_code == 200
    assert media_type(response) == expected
    assert response.headers["content-type"].endswith("charset=utf-8")
    assert "accept" in response.headers["vary"].lower()
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_httpx_sends_no_accept_of_its_own_here(http: httpx.AsyncClient) -> None:
    # The missing-header case above is real only if the client adds none.
    request = http.build_request("POST", "/graphql", headers={"accept": ""})
    assert request.headers.get("accept") == ""


@pytest.mark.parametrize("accept", ["text/html", "application/xml", f"{JSON};q=0, {GR};q=0"])
async def test_an_accept_that_allows_neither_is_406(http: httpx.AsyncClient, accept: str) -> None:
    response = await post(http, {"query": "{ __typename }"}, accept=accept)
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"
    get = await http.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": accept})
    assert get.status_code == 406


async def test_graphiql_is_still_a_page_for_browsers(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


REQUEST_ERRORS = [
    pytest.param({"query": "{ me { email "}, "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param({"query": "{ nonsense }"}, "GRAPHQL_VALIDATION_FAILED", id="validation"),
    pytest.param(
        {"query": "query($first: Int!) { events(first: $first) { totalCount } }"},
        "GRAPHQL_VALIDATION_FAILED",
        id="missing-variable",
    ),
    pytest.param(
        {
            "query": "query($first: Int!) { events(first: $first) { totalCount } }",
            "variables": {"first": "ten"},
        },
        "GRAPHQL_VALIDATION_FAILED",
        id="variable-coercion",
    ),
    pytest.param(
        {"query": "{ " + "a: __typename " * 20 + "}"}, "GRAPHQL_VALIDATION_FAILED", id="aliases"
    ),
]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
async def test_request_errors_are_400_without_data_under_graphql_response_json(
    http: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    response = await post(http, body, accept=APOLLO_ACCEPT)
    assert response.status_code == 400
    assert media_type(response) == GR
    payload = response.json()
    assert "data" not in payload
    assert {error["extensions"]["code"] for error in payload["errors"]} == {code}


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
async def test_request_errors_are_200_without_data_under_application_json(
    http: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    response = await post(http, body, accept=JSON)
    assert response.status_code == 200
    assert media_type(response) == JSON
    payload = response.json()
    assert "data" not in payload
    assert {error["extensions"]["code"] for error in payload["errors"]} == {code}


@pytest.mark.parametrize("accept", [GR, JSON])
async def test_a_field_error_keeps_data_and_200(http: httpx.AsyncClient, accept: str) -> None:
    # `me` is non-null: its error nulls the whole result, but the operation ran.
    response = await post(http, {"query": "{ me { email } }"}, accept=accept)
    assert response.status_code == 200
    payload = response.json()
    assert payload["data"] is None
    assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert payload["errors"][0]["path"] == ["me"]


@pytest.mark.parametrize("accept", [GR, JSON])
async def test_an_unknown_operation_name_is_400(http: httpx.AsyncClient, accept: str) -> None:
    body = {"query": "query A { __typename }", "operationName": "B"}
    response = await post(http, body, accept=accept)
    assert response.status_code == 400
    assert media_type(response) == accept
    assert "data" not in response.json()


@pytest.mark.parametrize("accept", [GR, JSON])
@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b'{"query": ', "application/json", 400, "BAD_REQUEST"),
        (b'{"query": 42}', "application/json", 400, "BAD_REQUEST"),
        (
            b'{"query": "{ __typename }", "operationName": 7}',
            "application/json",
            400,
            "BAD_REQUEST",
        ),
        (b'{"query": "{ __typename }", "variables": [7]}', "application/json", 400, "BAD_REQUEST"),
        (b'{"qeury": "{ __typename }"}', "application/json", 400, "BAD_REQUEST"),
        (b"[]", "application/json", 400, "BAD_REQUEST"),
        (b'{"query": "{ __typename }"}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"query": "' + b"x" * 1_100_000 + b'"}', "application/json", 413, "PAYLOAD_TOO_LARGE"),
    ],
)
async def test_http_refusals_are_graphql_shaped_in_the_negotiated_type(
    http: httpx.AsyncClient, accept: str, body: bytes, content_type: str, status: int, code: str
) -> None:
    response = await post(http, body, accept=accept, **{"content-type": content_type})
    assert response.status_code == status
    assert media_type(response) == accept
    payload = response.json()
    assert "data" not in payload
    assert payload["errors"][0]["extensions"]["code"] == code
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("accept", [GR, JSON])
async def test_a_mutation_over_get_is_405_in_the_negotiated_type(
    http: httpx.AsyncClient, accept: str
) -> None:
    query = 'mutation { signIn(email: "a@b.co", password: "correct horse") { accessToken } }'
    response = await http.get("/graphql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert media_type(response) == accept
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_405(http: httpx.AsyncClient, method: str) -> None:
    response = await http.request(method, "/graphql", headers={"accept": GR})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert media_type(response) == GR
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_get_treats_empty_parameters_as_absent(http: httpx.AsyncClient) -> None:
    params = {"query": "{ __typename }", "variables": "", "operationName": "", "extensions": ""}
    response = await http.get("/graphql", params=params, headers={"accept": GR})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_get_with_variables_that_are_not_json_is_400(http: httpx.AsyncClient) -> None:
    params = {"query": "{ __typename }", "variables": "{not json"}
    response = await http.get("/graphql", params=params, headers={"accept": GR})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
