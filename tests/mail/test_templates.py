"""What the mails say: account mails greet their user by display name (escaped in the
HTML part), and a subject stays one line whatever a title holds."""

import re

from auth.mail_content import MailContent
from mail.templates import render
from tests.client import GraphQLClient
from tests.mail.flows import CHANGE_EMAIL, REQUEST_RESET, SIGN_UP_NAMED
from tests.mail.smtp_server import (
    CHANGE_SUBJECT,
    NOTICE_SUBJECT,
    RESET_SUBJECT,
    VERIFY_SUBJECT,
    MailServer,
)

NAME = "Ada <i>&</i> Lovelace"


async def test_account_mails_greet_the_user_by_display_name(
    api: GraphQLClient, mail_server: MailServer
):
    body = await api.post(
        SIGN_UP_NAMED, {"email": "ada@example.com", "password": "correct horse", "name": NAME}
    )
    token = body["data"]["signUp"]["accessToken"]
    await api.post(REQUEST_RESET, {"email": "ada@example.com"})
    await api.post(
        CHANGE_EMAIL, {"email": "ada@new.example", "password": "correct horse"}, token=token
    )
    mails = [
        await mail_server.wait_for("ada@example.com", subject=VERIFY_SUBJECT),
        await mail_server.wait_for("ada@example.com", subject=RESET_SUBJECT),
        await mail_server.wait_for("ada@example.com", subject=NOTICE_SUBJECT),
        await mail_server.wait_for("ada@new.example", subject=CHANGE_SUBJECT),
    ]
    for mail in mails:
        assert mail.text().splitlines()[0] == f"Hello {NAME},", mail.subject
        assert "<p>Hello Ada &lt;i&gt;&amp;&lt;/i&gt; Lovelace,</p>" in mail.html(), mail.subject
        assert "<i>" not in mail.html()


async def test_without_a_display_name_the_greeting_uses_the_default_one(
    api: GraphQLClient, mail_server: MailServer
):
    await api.sign_up(email="ada@example.com")
    mail = await mail_server.wait_for("ada@example.com", subject=VERIFY_SUBJECT)
    assert re.fullmatch(r"Hello Member [0-9a-f]{6},", mail.text().splitlines()[0])
    assert "ada@example.com" not in mail.text()


def test_a_subject_is_one_line_whatever_the_title() -> None:
    values = {"host": "Ada\r\nBcc: x@example.com", "title": "Tea\nparty", "days": "7"}
    content = MailContent("event_invite", "guest@example.com", "/invite", "code", values)
    message = render(content, "Planner <p@example.com>", "https://app.example")
    assert message["Subject"] == "Ada Bcc: x@example.com invited you to Tea party"
    assert message["Bcc"] is None
