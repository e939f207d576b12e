"""The mail limits hold when requests race: many requests at once for one address (or
from one client) end with exactly the limit enqueued, in one app instance and across
the worker processes of a real server, on SQLite and PostgreSQL (auth/mail_limits.py
takes the check and the insert as one step)."""

import asyncio

import httpx

from tests.client import GraphQLClient, code_of
from tests.mail.conftest import Serve, outbox
from tests.mail.flows import REQUEST_RESET
from tests.planning.helpers import INVITE, create
from tests.servers import live_server

AT_ONCE = 30
REQUEST_TIMEOUT = httpx.Timeout(60.0)


async def test_resets_at_once_for_one_address_enqueue_exactly_the_limit(serve: Serve):
    async with serve(mail_sender=False) as api:
        bodies = await asyncio.gather(
            *(api.post(REQUEST_RESET, {"email": "ada@example.com"}) for _ in range(AT_ONCE))
        )
        assert all(body == {"data": {"requestPasswordReset": True}} for body in bodies)
        assert len(await outbox(api.app)) == 5


async def test_resets_at_once_from_one_client_enqueue_exactly_its_limit(serve: Serve):
    async with serve(mail_sender=False, mail_max_per_client_per_hour=8) as api:
        bodies = await asyncio.gather(
            *(api.post(REQUEST_RESET, {"email": f"p{n}@example.com"}) for n in range(AT_ONCE))
        )
        assert all(body == {"data": {"requestPasswordReset": True}} for body in bodies)
        assert len(await outbox(api.app)) == 8


async def test_invitations_at_once_to_one_address_mail_exactly_the_limit(serve: Serve):
    async with serve(mail_sender=False) as api:
        host = await api.sign_up()
        event = await create(api, host)
        variables = {"eventId": event["id"], "email": "guest@example.com"}
        bodies = await asyncio.gather(
            *(api.post(INVITE, variables, token=host.token) for _ in range(AT_ONCE))
        )
        answered = [body for body in bodies if "errors" not in body]
        refused = [code_of(body) for body in bodies if "errors" in body]
        assert len(answered) == 5 and refused == ["TOO_MANY_REQUESTS"] * (AT_ONCE - 5)
        jobs = await outbox(api.app)
        assert [job.recipient for job in jobs if job.kind == "event_invite"] == [
            "guest@example.com"
        ] * 5


async def test_resets_at_once_across_worker_processes(database_url: str, serve: Serve):
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=0)
    with live_server(database_url, workers=2) as server:
        async with httpx.AsyncClient(
            base_url=server.url, timeout=REQUEST_TIMEOUT, limits=limits
        ) as http:
            api = GraphQLClient(http)
            bodies = await asyncio.gather(
                *(api.post(REQUEST_RESET, {"email": "ada@example.com"}) for _ in range(40))
            )
    assert all(body == {"data": {"requestPasswordReset": True}} for body in bodies)
    async with serve(mail_sender=False) as reader:
        assert len(await outbox(reader.app)) == 5
