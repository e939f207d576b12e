"""One structured line per request, and no password, token or header in any log."""

import json
import logging
from typing import Any

import httpx
import pytest

from tests.client import SIGN_IN, SIGN_UP, GraphQLClient

PASSWORD = "p4ssw0rd-that-must-never-be-logged"
WRONG_PASSWORD = "wr0ng-p4ssw0rd-that-must-never-be-logged"


def request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "planner.request"
    ]


async def test_one_line_per_request_with_its_fields(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    api = GraphQLClient(http)
    account = await api.sign_up()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="planner.request"):
        response = await http.post(
            "/graphql",
            json={"query": "query Who { me { id } }", "operationName": "Who"},
            headers=account.headers,
        )
    [line] = request_lines(caplog)
    assert line["requestId"] == response.headers["x-request-id"]
    assert line["operation"] == "Who"
    assert line["userId"] == account.user_id
    assert line["outcome"] == "ok"
    assert line["status"] == 200
    assert isinstance(line["durationMs"], float)
    assert line["durationMs"] >= 0


async def test_failed_request_logs_no_user_and_the_error_code(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="planner.request"):
        await http.post("/graphql", json={"query": "query Who { me { id } }"})
        await http.post("/graphql", content="x=1", headers={"Content-Type": "text/plain"})
    graphql, refused = request_lines(caplog)
    assert graphql["userId"] is None
    assert graphql["outcome"] == "error"
    assert graphql["errors"] == ["UNAUTHENTICATED"]
    assert refused["status"] == 415
    assert refused["outcome"] == "error"
    assert refused["operation"] is None


async def test_each_request_gets_its_own_id(http: httpx.AsyncClient) -> None:
    first = await http.get("/healthz")
    second = await http.get("/healthz")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_no_password_token_or_authorization_header_in_the_logs(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    api = GraphQLClient(http)
    secrets: list[str] = [PASSWORD, WRONG_PASSWORD]
    with caplog.at_level(logging.DEBUG):
        up = await api.post(SIGN_UP, {"email": "log@example.com", "password": PASSWORD})
        secrets.append(up["data"]["signUp"]["accessToken"])
        signed_in = await api.post(SIGN_IN, {"email": "log@example.com", "password": PASSWORD})
        token = signed_in["data"]["signIn"]["accessToken"]
        secrets.append(token)
        failed = await api.post(SIGN_IN, {"email": "log@example.com", "password": WRONG_PASSWORD})
        assert failed["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        # Loggers without a level of their own (the drivers' too) record DEBUG here, so
        # whatever they log is searched below.
        assert logging.getLogger().isEnabledFor(logging.DEBUG)
        await api.post("{ me { id } }", token=token)
        await api.post("{ me { id } }", token=token + "tampered")
        await http.get("/graphql", params={"query": f'{{ me {{ id }} }} # "{PASSWORD}"'})
    assert len(request_lines(caplog)) == 6
    # Everything the server side logged, at every level; httpx and httpcore are this
    # test's own client (it logs the URLs it requests).
    server_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r} {record.exc_text}"
        for record in server_records
    )
    for secret in secrets:
        assert secret not in logged
        # Not even a recognisable piece of a token (its signature part).
        assert secret.rsplit(".", 1)[-1] not in logged
    assert "Bearer" not in logged
    assert "authorization" not in logged.lower()
