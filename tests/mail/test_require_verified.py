"""REQUIRE_VERIFIED_EMAIL=true: an unverified user may sign in and read, but createEvent,
rsvp, acceptInvite and inviteByEmail answer FORBIDDEN "Verify your email address
first" until they follow their verification link."""

from typing import Any

from tests.client import CREATE_EVENT, Account, GraphQLClient, error_of
from tests.mail.conftest import Serve
from tests.mail.flows import VERIFY
from tests.mail.smtp_server import VERIFY_SUBJECT, MailServer
from tests.planning.helpers import ACCEPT, ADD_HOST, GET, INVITE, RSVP, create, invite_code, ok

VERIFY_FIRST = ("Verify your email address first", {"code": "FORBIDDEN"})


async def verify(api: GraphQLClient, server: MailServer, email: str) -> None:
    token = (await server.wait_for(email, subject=VERIFY_SUBJECT)).token()
    assert "errors" not in await api.post(VERIFY, {"token": token})


async def verified(api: GraphQLClient, server: MailServer, email: str) -> Account:
    account = await api.sign_up(email=email)
    await verify(api, server, email)
    return account


def refusal(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    error = error_of(body)
    return error["message"], error["extensions"]


async def test_unverified_users_may_read_but_not_create_join_or_invite(
    serve: Serve, mail_server: MailServer
):
    async with serve(require_verified_email=True) as api:
        host = await verified(api, mail_server, "host@example.com")
        public = await create(api, host)
        private = await create(api, host, visibility="PRIVATE")
        code = await invite_code(api, host, private["id"])
        guest = await api.sign_up(email="guest@example.com")
        # A co-host who has not verified their address yet.
        await ok(api, ADD_HOST, host, eventId=public["id"], userId=guest.user_id)
        attempts: dict[str, tuple[str, dict[str, Any]]] = {
            "createEvent": (CREATE_EVENT, {"input": {"title": "Mine"}}),
            "rsvp": (RSVP, {"eventId": public["id"], "response": "GOING"}),
            "acceptInvite": (ACCEPT, {"code": code}),
            "inviteByEmail": (INVITE, {"eventId": public["id"], "email": "friend@example.com"}),
        }
        for name, (query, variables) in attempts.items():
            body = await api.post(query, variables, token=guest.token)
            assert refusal(body) == VERIFY_FIRST, name
        # The same answer for an event they cannot see: it tells them nothing about it.
        hidden = await api.post(
            RSVP, {"eventId": private["id"], "response": "GOING"}, token=guest.token
        )
        assert refusal(hidden) == VERIFY_FIRST
        # Reading works.
        assert (await ok(api, GET, guest, id=public["id"]))["event"]["id"] == public["id"]

        await verify(api, mail_server, "guest@example.com")
        for name, (query, variables) in attempts.items():
            body = await api.post(query, variables, token=guest.token)
            assert "errors" not in body, (name, body)


async def test_without_the_setting_unverified_users_may_do_everything(
    serve: Serve, mail_server: MailServer
):
    async with serve(mail_sender=False) as api:
        host, guest = await api.sign_up(), await api.sign_up()
        public = await create(api, host)
        private = await create(api, host, visibility="PRIVATE")
        code = await invite_code(api, host, private["id"])
        for query, variables in (
            (RSVP, {"eventId": public["id"], "response": "GOING"}),
            (ACCEPT, {"code": code}),
            (INVITE, {"eventId": public["id"], "email": "friend@example.com"}),
        ):
            account = host if query == INVITE else guest
            body = await api.post(query, variables, token=account.token)
            assert "errors" not in body, body
