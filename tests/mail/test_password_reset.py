"""Password reset end to end, by following the mailed token; every refusal; limits;
and that a request reveals nothing about which addresses have accounts."""

from typing import Any

import httpx
from sqlmodel import select

from db.mail_models import MailJob
from db.statement_count import counted_statements
from tests.client import GraphQLClient, code_of, error_of
from tests.mail.conftest import Clock, outbox
from tests.mail.flows import ME, REFRESH, REQUEST_RESET, RESET, SIGN_IN, SIGN_UP_WITH_REFRESH
from tests.mail.smtp_server import RESET_SUBJECT, MailServer

INVALID_LINK = "This link is invalid or has expired; ask for a new one"
PASSWORD = "correct horse"
NEW_PASSWORD = "battery staple"


async def reset_token(api: GraphQLClient, server: MailServer, email: str, count: int = 1) -> str:
    body = await api.post(REQUEST_RESET, {"email": email})
    assert body == {"data": {"requestPasswordReset": True}}
    mail = await server.wait_for(email, count=count, subject=RESET_SUBJECT)
    return mail.token()


def assert_invalid_token(body: dict[str, Any]) -> None:
    error = error_of(body)
    assert error["message"] == INVALID_LINK
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_reset_by_the_mailed_token(api: GraphQLClient, mail_server: MailServer):
    signed_up = await api.post(
        SIGN_UP_WITH_REFRESH, {"email": "ada@example.com", "password": PASSWORD}
    )
    old = signed_up["data"]["signUp"]
    token = await reset_token(api, mail_server, "ada@example.com")

    body = await api.post(RESET, {"token": token, "password": NEW_PASSWORD})

    payload = body["data"]["resetPassword"]
    assert payload["user"]["email"] == "ada@example.com"
    assert payload["user"]["emailVerified"] is True  # the mail reached them
    me = await api.post(ME, token=payload["accessToken"])
    assert me["data"]["me"]["email"] == "ada@example.com"
    # The new password works, the old one does not.
    ok = await api.post(SIGN_IN, {"email": "ada@example.com", "password": NEW_PASSWORD})
    assert "errors" not in ok
    bad = await api.post(SIGN_IN, {"email": "ada@example.com", "password": PASSWORD})
    assert code_of(bad) == "UNAUTHENTICATED"
    # Every earlier session ended: refresh and access tokens.
    assert code_of(await api.post(REFRESH, {"token": old["refreshToken"]})) == "UNAUTHENTICATED"
    assert code_of(await api.post(ME, token=old["accessToken"])) == "UNAUTHENTICATED"


async def test_a_token_works_once(api: GraphQLClient, mail_server: MailServer):
    await api.sign_up(email="ada@example.com")
    token = await reset_token(api, mail_server, "ada@example.com")
    assert "errors" not in await api.post(RESET, {"token": token, "password": NEW_PASSWORD})
    assert_invalid_token(await api.post(RESET, {"token": token, "password": "another one!"}))


async def test_unknown_and_malformed_tokens(api: GraphQLClient):
    await api.sign_up(email="ada@example.com")
    for token in ("", "x" * 43, "x" * 5000, "not a token at all"):
        assert_invalid_token(await api.post(RESET, {"token": token, "password": NEW_PASSWORD}))


async def test_an_expired_token(api: GraphQLClient, mail_server: MailServer, clock: Clock):
    await api.sign_up(email="ada@example.com")
    token = await reset_token(api, mail_server, "ada@example.com")
    clock.advance(minutes=30, seconds=1)
    assert_invalid_token(await api.post(RESET, {"token": token, "password": NEW_PASSWORD}))


async def test_a_newer_request_supersedes_the_token(api: GraphQLClient, mail_server: MailServer):
    await api.sign_up(email="ada@example.com")
    first = await reset_token(api, mail_server, "ada@example.com")
    second = await reset_token(api, mail_server, "ada@example.com", count=2)
    assert_invalid_token(await api.post(RESET, {"token": first, "password": NEW_PASSWORD}))
    assert "errors" not in await api.post(RESET, {"token": second, "password": NEW_PASSWORD})


async def test_a_password_change_since_the_mail_voids_the_token(
    api: GraphQLClient, mail_server: MailServer
):
    account = await api.sign_up(email="ada@example.com", password=PASSWORD)
    token = await reset_token(api, mail_server, "ada@example.com")
    changed = await api.post(
        "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, "
        "newPassword: $n) { accessToken } }",
        {"c": PASSWORD, "n": "something else"},
        token=account.token,
    )
    assert "errors" not in changed
    assert_invalid_token(await api.post(RESET, {"token": token, "password": NEW_PASSWORD}))


async def test_a_weak_new_password_is_refused_and_keeps_the_token(
    api: GraphQLClient, mail_server: MailServer
):
    await api.sign_up(email="ada@example.com")
    token = await reset_token(api, mail_server, "ada@example.com")
    body = await api.post(RESET, {"token": token, "password": "short"})
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "newPassword"}
    assert "errors" not in await api.post(RESET, {"token": token, "password": NEW_PASSWORD})


async def test_reset_clears_the_sign_in_lock(api: GraphQLClient, mail_server: MailServer):
    await api.sign_up(email="ada@example.com")
    for _ in range(5):
        await api.post(SIGN_IN, {"email": "ada@example.com", "password": "wrong guess"})
    locked = await api.post(SIGN_IN, {"email": "ada@example.com", "password": PASSWORD})
    assert code_of(locked) == "TOO_MANY_REQUESTS"
    token = await reset_token(api, mail_server, "ada@example.com")
    assert "errors" not in await api.post(RESET, {"token": token, "password": NEW_PASSWORD})
    body = await api.post(SIGN_IN, {"email": "ada@example.com", "password": NEW_PASSWORD})
    assert "errors" not in body


async def test_at_most_five_mails_an_hour_per_address(
    app, api: GraphQLClient, mail_server: MailServer, clock: Clock
):
    await api.sign_up(email="ada@example.com")  # its verification mail counts too
    for _ in range(6):
        assert (await api.post(REQUEST_RESET, {"email": "ada@example.com"}))["data"] == {
            "requestPasswordReset": True
        }
    jobs = await outbox(app)
    assert [job.kind for job in jobs].count("password_reset") == 4
    clock.advance(hours=1, seconds=1)
    await api.post(REQUEST_RESET, {"email": "ada@example.com"})
    assert [job.kind for job in await outbox(app)].count("password_reset") == 5
    await mail_server.wait_for("ada@example.com", count=5, subject=RESET_SUBJECT)


async def test_a_limit_per_client_address(serve):
    async with serve(mail_max_per_client_per_hour=3, mail_sender=False) as api:
        for i in range(5):
            body = await api.post(REQUEST_RESET, {"email": f"victim{i}@example.com"})
            assert body == {"data": {"requestPasswordReset": True}}
        app = api.app
        assert len(await outbox(app)) == 3


async def _request(app, http: httpx.AsyncClient, email: str) -> tuple[int, bytes, list[str]]:
    with counted_statements(app.state.services.database) as statements:
        response = await http.post(
            "/graphql", json={"query": REQUEST_RESET, "variables": {"email": email}}
        )
    return response.status_code, response.content, statements


async def test_known_and_unknown_addresses_get_the_same_answer_and_work(
    serve, mail_server: MailServer
):
    async with serve(mail_sender=False) as api:  # nothing may happen but the request's
        app = api.app
        await api.sign_up(email="known@example.com")
        known = await _request(app, api.http, "known@example.com")
        unknown = await _request(app, api.http, "nobody@example.com")

        assert known[:2] == unknown[:2] == (200, b'{"data":{"requestPasswordReset":true}}')
        # The same statements: limits and an insert into the outbox. No account lookup
        # (so no bcrypt, whose only input would be an account) and no SMTP.
        assert known[2] == unknown[2]
        assert not any("user_account" in statement for statement in known[2])
        async with app.state.services.database.read() as session:
            jobs = (
                (await session.execute(select(MailJob).where(MailJob.kind == "password_reset")))
                .scalars()
                .all()
            )
        assert sorted(job.recipient for job in jobs) == ["known@example.com", "nobody@example.com"]
        assert all(job.attempts == 0 and job.sent_at is None for job in jobs)
    assert mail_server.received == []


async def test_unknown_address_gets_no_mail(serve, mail_server: MailServer):
    async with serve() as api:
        await api.sign_up(email="known@example.com")
        await api.post(REQUEST_RESET, {"email": "nobody@example.com"})
        await api.post(REQUEST_RESET, {"email": "known@example.com"})
        await mail_server.wait_for("known@example.com", subject=RESET_SUBJECT)
        app = api.app
        [skipped] = [job for job in await outbox(app) if job.recipient == "nobody@example.com"]
        assert skipped.sent_at is None and skipped.gave_up_at is not None
    assert mail_server.to("nobody@example.com") == []
