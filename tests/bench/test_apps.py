"""The bench's apps (bench/apps.py): composed through create_app's seams, they answer
what the shipped app answers; the shipped app itself has no way to turn any of it on."""

import pytest

from bench.apps import APP_VARIABLE, build
from main import create_app
from tests.client import GraphQLClient, client_of
from tests.settings import TEST_SECRET

# The bench's events page (bench/setup.py): creators by display name, since User.email
# is owner-only.
EVENTS = "query { events(first: 20) { edges { node { id title tags creator { displayName } } } } }"
OPEN_EVENTS = EVENTS


@pytest.fixture
def bench_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """What bench/setup.py gives its servers: settings from the environment."""
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")


@pytest.mark.usefixtures("bench_environment")
async def test_the_rest_twin_returns_what_graphql_returns() -> None:
    async with client_of(build("rest-twin")) as http:
        api = GraphQLClient(http)
        alice, bob = await api.sign_up(), await api.sign_up()
        for i in range(3):
            await api.create_event(alice if i % 2 else bob, title=f"Event {i}", tags=[f"t{i}"])

        graphql = await api.post(EVENTS, token=alice.token)
        rest = await http.get("/bench/events?first=20", headers=alice.headers)
        refused = await http.get("/bench/events", headers={"Authorization": "Bearer nope"})

    assert rest.status_code == 200
    assert rest.json() == graphql
    assert len(graphql["data"]["events"]["edges"]) == 3
    assert refused.status_code == 401


@pytest.mark.usefixtures("bench_environment")
async def test_the_auth_off_schema_answers_what_a_signed_in_query_does() -> None:
    async with client_of(build("")) as http:
        api = GraphQLClient(http)
        alice = await api.sign_up()
        await api.create_event(alice, title="Open", tags=["x"])
        signed_in = await api.post(OPEN_EVENTS, token=alice.token)
    async with client_of(build("auth-off")) as http:
        anonymous = (await http.post("/graphql", json={"query": OPEN_EVENTS})).json()
    assert anonymous == signed_in
    assert len(anonymous["data"]["events"]["edges"]) == 1


@pytest.mark.usefixtures("bench_environment")
async def test_a_speed_up_is_turned_off_by_name_and_unknown_parts_are_refused() -> None:
    async with client_of(build("without:lean_execution,without:sqlite_loop_reader")) as http:
        api = GraphQLClient(http)
        alice = await api.sign_up()
        body = await api.post("{ me { email } }", token=alice.token)
    assert body["data"]["me"]["email"] == alice.email
    with pytest.raises(ValueError, match="unknown bench app part"):
        build("authentication-off")
    with pytest.raises(TypeError):
        build("without:no_such_speed_up")


@pytest.mark.usefixtures("bench_environment")
async def test_the_shipped_app_has_no_bench_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    # The old switches and the bench's own variable mean nothing to the shipped app.
    for name in ("BENCH_MODE", "BENCH_AUTH_OFF"):
        monkeypatch.setenv(name, "true")
    monkeypatch.setenv(APP_VARIABLE, "rest-twin,auth-off")
    async with client_of(create_app()) as http:
        assert (await http.get("/bench/events")).status_code == 404
        body = (await http.post("/graphql", json={"query": EVENTS})).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
