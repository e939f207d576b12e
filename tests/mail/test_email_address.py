"""Email verification and changing the address, by following the mailed tokens."""

from tests.client import CREATE_EVENT, GraphQLClient, code_of, error_of
from tests.mail.conftest import Serve
from tests.mail.flows import CHANGE_EMAIL, ME, REQUEST_VERIFICATION, SIGN_IN, VERIFY
from tests.mail.smtp_server import CHANGE_SUBJECT, NOTICE_SUBJECT, VERIFY_SUBJECT, MailServer

PASSWORD = "correct horse"
INVALID_LINK = "This link is invalid or has expired; ask for a new one"


async def test_verify_by_the_mailed_token(api: GraphQLClient, mail_server: MailServer):
    account = await api.sign_up(email="ada@example.com")
    me = await api.post(ME, token=account.token)
    assert me["data"]["me"]["emailVerified"] is False

    token = (await mail_server.wait_for("ada@example.com", subject=VERIFY_SUBJECT)).token()
    body = await api.post(VERIFY, {"token": token})

    assert body["data"]["verifyEmail"] == {
        "id": account.user_id,
        "email": "ada@example.com",
        "emailVerified": True,
    }
    assert (await api.post(ME, token=account.token))["data"]["me"]["emailVerified"] is True
    again = await api.post(VERIFY, {"token": token})
    assert error_of(again)["extensions"] == {"code": "BAD_USER_INPUT", "field": "token"}


async def test_email_verified_is_null_for_everyone_else(api: GraphQLClient):
    ada = await api.sign_up(email="ada@example.com")
    bob = await api.sign_up(email="bob@example.com")
    await api.create_event(ada, title="Ada's")
    body = await api.post(
        "{ events { edges { node { creator { id emailVerified } } } } }", token=bob.token
    )
    [edge] = body["data"]["events"]["edges"]
    assert edge["node"]["creator"] == {"id": ada.user_id, "emailVerified": None}


async def test_request_verification_mails_a_new_link(api: GraphQLClient, mail_server: MailServer):
    account = await api.sign_up(email="ada@example.com")
    first = (await mail_server.wait_for("ada@example.com", subject=VERIFY_SUBJECT)).token()
    assert (await api.post(REQUEST_VERIFICATION, token=account.token))["data"] == {
        "requestEmailVerification": True
    }
    second = await mail_server.wait_for("ada@example.com", count=2, subject=VERIFY_SUBJECT)
    assert error_of(await api.post(VERIFY, {"token": first}))["message"] == INVALID_LINK
    assert "errors" not in await api.post(VERIFY, {"token": second.token()})


async def test_request_verification_needs_a_sign_in(api: GraphQLClient):
    assert code_of(await api.post(REQUEST_VERIFICATION)) == "UNAUTHENTICATED"


async def test_require_verified_email_blocks_creating_until_verified(
    serve: Serve, mail_server: MailServer
):
    async with serve(require_verified_email=True) as api:
        account = await api.sign_up(email="ada@example.com")
        assert "errors" not in await api.post(ME, token=account.token)  # may read
        body = await api.post(CREATE_EVENT, {"input": {"title": "x"}}, token=account.token)
        error = error_of(body)
        assert error["message"] == "Verify your email address first"
        assert error["extensions"]["code"] == "FORBIDDEN"

        token = (await mail_server.wait_for("ada@example.com", subject=VERIFY_SUBJECT)).token()
        assert "errors" not in await api.post(VERIFY, {"token": token})
        body = await api.post(CREATE_EVENT, {"input": {"title": "x"}}, token=account.token)
        assert "errors" not in body


async def test_change_email_by_the_mailed_confirmation(api: GraphQLClient, mail_server: MailServer):
    account = await api.sign_up(email="ada@example.com", password=PASSWORD)
    body = await api.post(
        CHANGE_EMAIL, {"email": "Ada@New.example", "password": PASSWORD}, token=account.token
    )
    assert body == {"data": {"changeEmail": True}}

    notice = await mail_server.wait_for("ada@example.com", subject=NOTICE_SUBJECT)
    assert "ada@new.example" in notice.text() and "#token=" not in notice.text()
    confirm = await mail_server.wait_for("ada@new.example", subject=CHANGE_SUBJECT)
    # Nothing changes until the link is used.
    assert (await api.post(ME, token=account.token))["data"]["me"]["email"] == "ada@example.com"

    body = await api.post(VERIFY, {"token": confirm.token()})
    assert body["data"]["verifyEmail"]["email"] == "ada@new.example"
    assert body["data"]["verifyEmail"]["emailVerified"] is True
    signed_in = await api.post(SIGN_IN, {"email": "ada@new.example", "password": PASSWORD})
    assert "errors" not in signed_in
    old = await api.post(SIGN_IN, {"email": "ada@example.com", "password": PASSWORD})
    assert code_of(old) == "UNAUTHENTICATED"


async def test_change_email_conflicts_when_the_address_was_taken_meanwhile(
    api: GraphQLClient, mail_server: MailServer
):
    account = await api.sign_up(email="ada@example.com", password=PASSWORD)
    await api.post(
        CHANGE_EMAIL, {"email": "new@example.com", "password": PASSWORD}, token=account.token
    )
    confirm = await mail_server.wait_for("new@example.com", subject=CHANGE_SUBJECT)
    await api.sign_up(email="new@example.com")

    body = await api.post(VERIFY, {"token": confirm.token()})
    assert code_of(body) == "CONFLICT"
    assert (await api.post(ME, token=account.token))["data"]["me"]["email"] == "ada@example.com"


async def test_change_email_refusals(api: GraphQLClient):
    account = await api.sign_up(email="ada@example.com", password=PASSWORD)

    def change(email: str, password: str = PASSWORD):
        return api.post(CHANGE_EMAIL, {"email": email, "password": password}, token=account.token)

    assert code_of(
        await api.post(CHANGE_EMAIL, {"email": "x@example.com", "password": PASSWORD})
    ) == ("UNAUTHENTICATED")
    bad = error_of(await change("not an address"))
    assert bad["extensions"] == {"code": "BAD_USER_INPUT", "field": "newEmail"}
    same = error_of(await change("ADA@example.com"))
    assert same["extensions"] == {"code": "BAD_USER_INPUT", "field": "newEmail"}
    wrong = error_of(await change("new@example.com", "wrong password"))
    assert wrong["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}


async def test_change_email_password_guesses_are_throttled_like_sign_ins(api: GraphQLClient):
    account = await api.sign_up(email="ada@example.com", password=PASSWORD)
    for _ in range(5):
        await api.post(
            CHANGE_EMAIL, {"email": "n@example.com", "password": "guess!!!"}, token=account.token
        )
    body = await api.post(
        CHANGE_EMAIL, {"email": "n@example.com", "password": PASSWORD}, token=account.token
    )
    assert code_of(body) == "TOO_MANY_REQUESTS"
