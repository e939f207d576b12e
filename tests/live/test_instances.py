"""Several app processes on one database (what a load balancer in front of N
instances does): accounts, tokens and events are shared through the database alone."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack

import pytest

from tests.client import SIGN_IN, GraphQLClient, code_of
from tests.live.conftest import http_client
from tests.servers import LiveServer, live_server

ME = "query { me { id email } }"
PAGE = "query { events(first: 100) { totalCount edges { node { id title } } } }"


@pytest.fixture
def instances(database_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Instance A runs two workers (`serve --workers 2`), instance B one."""
    with live_server(database_url, workers=2) as a, live_server(database_url) as b:
        yield a, b


@pytest.fixture
async def apis(
    instances: tuple[LiveServer, LiveServer],
) -> AsyncIterator[tuple[GraphQLClient, GraphQLClient]]:
    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(http_client(instances[0]))
        b = await stack.enter_async_context(http_client(instances[1]))
        yield GraphQLClient(a), GraphQLClient(b)


async def test_accounts_tokens_and_events_are_shared(
    instances: tuple[LiveServer, LiveServer], apis: tuple[GraphQLClient, GraphQLClient]
) -> None:
    a, b = instances
    # `serve --workers 2` really runs two worker processes; one worker is in-process.
    assert a.worker_count() in (2, None)
    assert b.worker_count() in (0, None)
    on_a, on_b = apis
    account = await on_a.sign_up("ada@example.com", password="correct horse")

    signed_in = await on_b.post(SIGN_IN, {"email": "ada@example.com", "password": "correct horse"})
    assert signed_in["data"]["signIn"]["user"]["id"] == account.user_id
    token_from_b = signed_in["data"]["signIn"]["accessToken"]

    me_on_b = await on_b.post(ME, token=account.token)
    assert me_on_b == {"data": {"me": {"id": account.user_id, "email": "ada@example.com"}}}
    me_on_a = await on_a.post(ME, token=token_from_b)
    assert me_on_a["data"]["me"]["id"] == account.user_id

    made_on_a = await on_a.create_event(account, title="Made on A")
    listed_on_b = await on_b.post(PAGE, token=token_from_b)
    nodes = [edge["node"] for edge in listed_on_b["data"]["events"]["edges"]]
    assert nodes == [{"id": made_on_a["id"], "title": "Made on A"}]

    duplicate = await on_b.post(
        'mutation { signUp(email: "ADA@example.com", password: "another one") { accessToken } }'
    )
    assert code_of(duplicate) == "CONFLICT"


async def test_sign_out_everywhere_on_one_is_honoured_by_the_other(
    apis: tuple[GraphQLClient, GraphQLClient],
) -> None:
    on_a, on_b = apis
    account = await on_a.sign_up("ada@example.com")
    assert "errors" not in await on_b.post(ME, token=account.token)

    signed_out = await on_a.post("mutation { signOutEverywhere }", token=account.token)
    assert signed_out == {"data": {"signOutEverywhere": True}}
    refused = await on_b.post(ME, token=account.token)
    assert code_of(refused) == "UNAUTHENTICATED"


async def test_simultaneous_writes_through_both_instances(
    apis: tuple[GraphQLClient, GraphQLClient],
) -> None:
    """Two processes writing at once (on SQLite: two processes on one file) queue on
    the database instead of failing with "database is locked"."""
    on_a, on_b = apis
    users = [await on_a.sign_up(f"writer{n}@example.com") for n in range(4)]
    created = await asyncio.gather(
        *(
            (on_a if k % 2 else on_b).create_event(user, title=f"{user.email} #{k}")
            for user in users
            for k in range(25)
        )
    )
    listed = await on_b.post(PAGE, token=users[0].token)
    assert listed["data"]["events"]["totalCount"] == 100
    listed_ids = {edge["node"]["id"] for edge in listed["data"]["events"]["edges"]}
    assert listed_ids == {event["id"] for event in created}
