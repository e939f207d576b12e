"""inviteByEmail end to end: a host mails a new single-use invite link, whose #token=
is the code acceptInvite takes; who may ask; the mail limits (a host is told); mail
switched off; and the link the sender mints (one per mail, also after retries)."""

import asyncio
import uuid
from typing import Any

from tests.client import Account, GraphQLClient, code_of, error_of
from tests.mail.conftest import FRONTEND, Clock, Serve, outbox
from tests.mail.flows import REQUEST_RESET, SIGN_IN, SIGN_UP_NAMED
from tests.mail.smtp_server import MailServer
from tests.planning.helpers import (
    ACCEPT,
    ADD_HOST,
    CREATE_LINK,
    DELETE,
    GET,
    INVITE,
    LINKS,
    REMOVE_HOST,
    UPDATE,
    create,
    ok,
)

HOST_NAME = "Ada <Lovelace> & Co"
TITLE = 'Tea & "Cake" <b>'


async def named(api: GraphQLClient, email: str, name: str) -> Account:
    body = await api.post(
        SIGN_UP_NAMED, {"email": email, "password": "correct horse", "name": name}
    )
    payload = body["data"]["signUp"]
    return Account(email, "correct horse", payload["accessToken"], payload["user"]["id"])


async def invite(api: GraphQLClient, host: Account, event_id: str, email: str) -> dict[str, Any]:
    return await api.post(INVITE, {"eventId": event_id, "email": email}, token=host.token)


async def links(api: GraphQLClient, host: Account, event_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await ok(api, LINKS, host, id=event_id))["event"]["inviteLinks"]
    return found


async def test_a_mailed_invitation_opens_the_event_once(
    api: GraphQLClient, mail_server: MailServer
):
    host = await named(api, "host@example.com", HOST_NAME)
    event = await create(api, host, title=TITLE, visibility="PRIVATE")

    body = await invite(api, host, event["id"], "Guest@Example.com")

    assert body == {"data": {"inviteByEmail": True}}
    mail = await mail_server.wait_for("guest@example.com")
    assert mail.subject == f"{HOST_NAME} invited you to {TITLE}"
    assert mail.link() == f"{FRONTEND}/invite#token={mail.token()}"
    assert f'{HOST_NAME} invited you to "{TITLE}" on Planner.' in mail.text()
    html = mail.html()
    assert "Ada &lt;Lovelace&gt; &amp; Co invited you to" in html
    assert "Tea &amp; &quot;Cake&quot; &lt;b&gt;" in html and "<b>" not in html
    assert f'href="{mail.link()}"' in html
    assert "host@example.com" not in mail.message.as_string()  # nobody else's address

    # The mail's token is the code acceptInvite takes: a link for one use.
    guest = await api.sign_up(email="guest@example.com")
    assert (await ok(api, GET, guest, id=event["id"]))["event"] is None
    accepted = await api.post(ACCEPT, {"code": mail.token()}, token=guest.token)
    assert accepted["data"]["acceptInvite"]["id"] == event["id"]
    assert (await ok(api, GET, guest, id=event["id"]))["event"]["id"] == event["id"]
    other = await api.sign_up()
    again = await api.post(ACCEPT, {"code": mail.token()}, token=other.token)
    assert error_of(again)["extensions"] == {"code": "BAD_USER_INPUT", "field": "code"}
    made = await links(api, host, event["id"])
    assert [(link["uses"], link["maxUses"], link["revoked"]) for link in made] == [(1, 1, False)]


async def test_each_invitation_is_a_new_link(api: GraphQLClient, mail_server: MailServer):
    host = await api.sign_up()
    event = await create(api, host)
    for _ in range(2):
        assert "errors" not in await invite(api, host, event["id"], "guest@example.com")
    first = await mail_server.wait_for("guest@example.com", count=1)
    second = await mail_server.wait_for("guest@example.com", count=2)
    assert first.token() != second.token()
    assert len(await links(api, host, event["id"])) == 2


async def test_known_and_unknown_addresses_get_the_same_answer(
    api: GraphQLClient, mail_server: MailServer
):
    host = await api.sign_up()
    await api.sign_up(email="known@example.com")
    event = await create(api, host)
    known = await invite(api, host, event["id"], "known@example.com")
    unknown = await invite(api, host, event["id"], "nobody@example.com")
    assert known == unknown == {"data": {"inviteByEmail": True}}
    # Both are mailed: someone without an account signs up, then follows the link.
    await mail_server.wait_for("nobody@example.com")


async def test_who_may_invite(api: GraphQLClient):
    host, co_host, outsider = await api.sign_up(), await api.sign_up(), await api.sign_up()
    public = await create(api, host)
    private = await create(api, host, visibility="PRIVATE")
    assert code_of(await api.post(INVITE, {"eventId": public["id"], "email": "a@example.com"})) == (
        "UNAUTHENTICATED"
    )
    # A non-host who can see the event: FORBIDDEN, as for createInviteLink.
    refused = error_of(await invite(api, outsider, public["id"], "a@example.com"))
    link = error_of(await api.post(CREATE_LINK, {"eventId": public["id"]}, token=outsider.token))
    assert (refused["message"], refused["extensions"]) == (link["message"], link["extensions"])
    assert refused["extensions"] == {"code": "FORBIDDEN"}
    # An event they cannot see answers as an unknown id does.
    hidden = error_of(await invite(api, outsider, private["id"], "a@example.com"))
    unknown = error_of(await invite(api, outsider, str(uuid.uuid4()), "a@example.com"))
    assert (hidden["message"], hidden["extensions"]) == ("Event not found", {"code": "NOT_FOUND"})
    assert (unknown["message"], unknown["extensions"]) == (hidden["message"], hidden["extensions"])
    # Co-hosts may invite.
    await ok(api, ADD_HOST, host, eventId=public["id"], userId=co_host.user_id)
    assert "errors" not in await invite(api, co_host, public["id"], "a@example.com")
    bad = error_of(await invite(api, host, public["id"], "not an address"))
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}


async def test_drafts_and_cancelled_events_are_not_invited_to(api: GraphQLClient, app):
    host = await api.sign_up()
    draft = await create(api, host, status="DRAFT")
    cancelled = await create(api, host)
    await ok(api, UPDATE, host, id=cancelled["id"], input={"status": "CANCELLED"})
    for event in (draft, cancelled):
        body = await invite(api, host, event["id"], "guest@example.com")
        assert code_of(body) == "FAILED_PRECONDITION"
    assert all(job.kind != "event_invite" for job in await outbox(app))


async def test_invitations_count_against_the_mail_limits(api: GraphQLClient, app, clock: Clock):
    host = await api.sign_up()
    event = await create(api, host)
    for _ in range(5):
        assert "errors" not in await invite(api, host, event["id"], "guest@example.com")
    body = await invite(api, host, event["id"], "guest@example.com")
    error = error_of(body)
    assert error["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert 0 < error["extensions"]["retryAfter"] <= 3600
    assert "try again in" in error["message"]
    # The limit is the address's, whatever the mail: a reset is not enqueued either.
    assert (await api.post(REQUEST_RESET, {"email": "guest@example.com"}))["data"] == {
        "requestPasswordReset": True
    }
    kinds = [job.kind for job in await outbox(app) if job.recipient == "guest@example.com"]
    assert kinds == ["event_invite"] * 5
    clock.advance(hours=1, seconds=1)
    signed_in = await api.post(SIGN_IN, {"email": host.email, "password": host.password})
    host.token = signed_in["data"]["signIn"]["accessToken"]  # the old one has expired
    assert "errors" not in await invite(api, host, event["id"], "guest@example.com")


async def test_the_per_client_limit_holds_for_invitations(serve: Serve):
    async with serve(mail_max_per_client_per_hour=4, mail_sender=False) as api:
        host = await api.sign_up()  # its verification mail counts for this client too
        event = await create(api, host)
        for n in range(3):
            assert "errors" not in await invite(api, host, event["id"], f"guest{n}@example.com")
        body = await invite(api, host, event["id"], "another@example.com")
        assert code_of(body) == "TOO_MANY_REQUESTS"


async def test_with_mail_switched_off_it_says_so(serve: Serve):
    async with serve(mail_enabled=False) as api:
        host = await api.sign_up()
        event = await create(api, host)
        body = await invite(api, host, event["id"], "guest@example.com")
        reset = await api.post(REQUEST_RESET, {"email": "guest@example.com"})
        assert code_of(body) == "MAIL_DISABLED"
        assert error_of(body)["message"] == error_of(reset)["message"]
        assert await outbox(api.app) == []


async def test_retried_mail_leaves_one_link(api: GraphQLClient, mail_server: MailServer):
    host = await api.sign_up()
    event = await create(api, host)
    mail_server.refuse_with = "451 4.3.0 Try again later"
    assert "errors" not in await invite(api, host, event["id"], "guest@example.com")
    for _ in range(1000):  # a bound, not a timing assertion
        if mail_server.refused >= 2:
            break
        await asyncio.sleep(0.02)
    assert mail_server.refused >= 2
    assert len(await links(api, host, event["id"])) == 1  # each attempt replaced the last
    mail_server.refuse_with = None
    mail = await mail_server.wait_for("guest@example.com")
    [link] = await links(api, host, event["id"])
    guest = await api.sign_up()
    assert "errors" not in await api.post(ACCEPT, {"code": mail.token()}, token=guest.token)
    [used] = await links(api, host, event["id"])
    assert (used["id"], used["uses"]) == (link["id"], 1)


async def test_nothing_is_sent_for_a_deleted_event_or_a_former_host(
    serve: Serve, mail_server: MailServer
):
    async with serve(mail_sender=False) as api:
        host, co_host = await api.sign_up(), await api.sign_up()
        gone = await create(api, host)
        kept = await create(api, host)
        await ok(api, ADD_HOST, host, eventId=kept["id"], userId=co_host.user_id)
        assert "errors" not in await invite(api, host, gone["id"], "first@example.com")
        assert "errors" not in await invite(api, co_host, kept["id"], "second@example.com")
        assert "errors" not in await invite(api, host, kept["id"], "third@example.com")
        await ok(api, DELETE, host, id=gone["id"])
        await ok(api, REMOVE_HOST, host, eventId=kept["id"], userId=co_host.user_id)
    async with serve() as sender:  # an instance that sends
        await mail_server.wait_for("third@example.com")
        for _ in range(1000):
            jobs = await outbox(sender.app)
            if all(job.sent_at or job.gave_up_at for job in jobs if job.kind == "event_invite"):
                break
            await asyncio.sleep(0.02)
    skipped = {job.recipient for job in jobs if job.gave_up_at is not None}
    assert {"first@example.com", "second@example.com"} <= skipped
    assert mail_server.to("first@example.com") == mail_server.to("second@example.com") == []
