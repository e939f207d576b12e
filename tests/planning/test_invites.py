"""Invite links: a code shown once and stored as a digest, hosts manage the links, and
accepting opens a private event. Unknown, expired, revoked and used-up codes get one
and the same answer, and failures are throttled per user and per address."""

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text, update
from sqlmodel import col

from db.models import InviteLink
from db.types import utc_now
from main import Settings
from tests.client import GraphQLClient, code_of, error_of, serving
from tests.planning.helpers import (
    ACCEPT,
    CREATE_LINK,
    GET,
    LINKS,
    REVOKE_LINK,
    create,
    ok,
    rsvp,
)

INVALID = {"code": "BAD_USER_INPUT", "field": "code"}


async def _accept(api: GraphQLClient, account: Any, code: str) -> dict[str, Any]:
    return await api.post(ACCEPT, {"code": code}, token=account.token)


async def test_a_code_opens_a_private_event(api: GraphQLClient, app) -> None:
    host, guest = await api.sign_up(), await api.sign_up()
    event = await create(api, host, visibility="PRIVATE")
    made = (await ok(api, CREATE_LINK, host, eventId=event["id"], maxUses=2))["createInviteLink"]
    code, link = made["code"], made["link"]
    assert len(code) >= 32  # 24 random bytes, URL-safe base64
    assert (link["maxUses"], link["uses"], link["revoked"]) == (2, 0, False)
    expires = link["expiresAt"]
    assert expires > made["link"]["createdAt"]

    # Only its SHA-256 is stored.
    async with app.state.services.database.connect() as connection:
        digests = (await connection.execute(text("SELECT digest FROM invite_link"))).scalars().all()
    assert digests == [hashlib.sha256(code.encode()).hexdigest()]

    assert (await ok(api, GET, guest, id=event["id"]))["event"] is None
    accepted = await _accept(api, guest, code)
    assert accepted["data"]["acceptInvite"]["id"] == event["id"]
    assert (await ok(api, GET, guest, id=event["id"]))["event"]["id"] == event["id"]
    assert (await rsvp(api, guest, event["id"], "GOING"))["data"]["rsvp"]["status"] == "GOING"
    # Accepting again costs no use.
    assert "errors" not in await _accept(api, guest, code)
    links = (await ok(api, LINKS, host, id=event["id"]))["event"]["inviteLinks"]
    assert [(each["uses"], each["maxUses"]) for each in links] == [(1, 2)]


async def test_default_expiry_and_limits(api: GraphQLClient) -> None:
    host = await api.sign_up()
    event = await create(api, host)
    made = (await ok(api, CREATE_LINK, host, eventId=event["id"]))["createInviteLink"]["link"]
    assert made["maxUses"] is None
    created = datetime.fromisoformat(made["createdAt"])
    assert datetime.fromisoformat(made["expiresAt"]) - created == timedelta(hours=168)
    for args, field in (
        ({"maxUses": 0}, "maxUses"),
        ({"hours": 0}, "expiresInHours"),
        ({"hours": 8761}, "expiresInHours"),
    ):
        body = await api.post(CREATE_LINK, {"eventId": event["id"], **args}, token=host.token)
        assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_every_invalid_code_gets_the_same_answer(api: GraphQLClient, app) -> None:
    host = await api.sign_up()
    guests = [await api.sign_up() for _ in range(5)]
    event = await create(api, host, visibility="PRIVATE")
    used_up = (await ok(api, CREATE_LINK, host, eventId=event["id"], maxUses=1))["createInviteLink"]
    assert "errors" not in await _accept(api, guests[0], used_up["code"])
    revoked = (await ok(api, CREATE_LINK, host, eventId=event["id"]))["createInviteLink"]
    assert (await ok(api, REVOKE_LINK, host, id=revoked["link"]["id"]))["revokeInviteLink"]
    expired = (await ok(api, CREATE_LINK, host, eventId=event["id"]))["createInviteLink"]
    async with app.state.services.database.write() as session:  # time passes
        await session.execute(
            update(InviteLink)
            .where(col(InviteLink.id) == uuid.UUID(expired["link"]["id"]))
            .values(expires_at=utc_now() - timedelta(seconds=1))
        )
    answers = []
    for guest, code in zip(
        guests[1:], ("no-such-code", used_up["code"], revoked["code"], expired["code"]), strict=True
    ):
        body = await _accept(api, guest, code)
        answers.append((error_of(body)["message"], error_of(body)["extensions"]))
        assert (await ok(api, GET, guest, id=event["id"]))["event"] is None
    assert len(set(map(str, answers))) == 1
    assert answers[0][1] == INVALID


async def test_only_hosts_manage_links(api: GraphQLClient) -> None:
    host, guest = await api.sign_up(), await api.sign_up()
    event = await create(api, host)
    link = (await ok(api, CREATE_LINK, host, eventId=event["id"]))["createInviteLink"]["link"]
    body = await api.post(REVOKE_LINK, {"id": link["id"]}, token=guest.token)
    assert error_of(body)["extensions"] == {"code": "FORBIDDEN"}
    body = await api.post(REVOKE_LINK, {"id": "nope"}, token=host.token)
    assert error_of(body)["extensions"] == {"code": "NOT_FOUND"}


async def test_failed_codes_are_throttled_per_user(api: GraphQLClient) -> None:
    host, prober = await api.sign_up(), await api.sign_up()
    event = await create(api, host, visibility="PRIVATE")
    code = (await ok(api, CREATE_LINK, host, eventId=event["id"]))["createInviteLink"]["code"]
    for n in range(5):
        assert error_of(await _accept(api, prober, f"guess-{n}"))["extensions"] == INVALID
    refused = await _accept(api, prober, code)  # even the right code, for now
    assert code_of(refused) == "TOO_MANY_REQUESTS"
    assert error_of(refused)["extensions"]["retryAfter"] > 0
    other = await api.sign_up()
    assert "errors" not in await _accept(api, other, code)


async def test_failed_codes_are_throttled_per_address(settings: Settings) -> None:
    limited = settings.model_copy(update={"login_address_max_failures_per_minute": 3})
    async with serving(limited) as http:
        api = GraphQLClient(http)
        probers = [await api.sign_up() for _ in range(4)]
        for n, prober in enumerate(probers[:3]):
            assert error_of(await _accept(api, prober, f"guess-{n}"))["extensions"] == INVALID
        assert code_of(await _accept(api, probers[3], "guess")) == "TOO_MANY_REQUESTS"
