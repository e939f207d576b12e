"""The text of each mail, plain and HTML, from string.Template templates. Values are
escaped for the HTML part and put on one line for the subject; links are FRONTEND_URL
+ the flow's path + #token=..., the token in the fragment, which browsers never send to
a server (logs, Referer).

Mails about an account greet its user by display name ($name). An invitation names
the host by display name and the event by title; no mail shows another user's email
address."""

import html
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from string import Template

from auth.account_mail import (
    CHANGE_EMAIL_MAIL,
    EMAIL_CHANGE_NOTICE_MAIL,
    PASSWORD_RESET_MAIL,
    VERIFY_EMAIL_MAIL,
)
from auth.invite_mail import EVENT_INVITE_MAIL
from auth.mail_content import MailContent


@dataclass(frozen=True)
class MailTemplate:
    subject: Template
    text: Template
    html: Template


_HTML_PAGE = Template(
    '<!doctype html><html><body style="font-family: sans-serif">$body</body></html>'
)

TEMPLATES: dict[str, MailTemplate] = {
    PASSWORD_RESET_MAIL: MailTemplate(
        subject=Template("Reset your Planner password"),
        text=Template(
            "Hello $name,\n\n"
            "Someone (hopefully you) asked to reset the password of your Planner account.\n\n"
            "Choose a new password here (the link works once, for $minutes minutes):\n"
            "$link\n\n"
            "If you did not ask for this, ignore this mail: your password stays as it is.\n"
        ),
        html=Template(
            "<p>Hello $name,</p>"
            "<p>Someone (hopefully you) asked to reset the password of your Planner "
            "account.</p>"
            '<p><a href="$link">Choose a new password</a> (the link works once, for '
            "$minutes minutes).</p>"
            "<p>If you did not ask for this, ignore this mail: your password stays as it "
            "is.</p>"
        ),
    ),
    VERIFY_EMAIL_MAIL: MailTemplate(
        subject=Template("Confirm your email address for Planner"),
        text=Template(
            "Hello $name,\n\n"
            "Please confirm that this is your address by opening this link:\n$link\n\n"
            "If you did not create a Planner account, ignore this mail.\n"
        ),
        html=Template(
            "<p>Hello $name,</p>"
            '<p>Please <a href="$link">confirm that this is your address</a>.</p>'
            "<p>If you did not create a Planner account, ignore this mail.</p>"
        ),
    ),
    CHANGE_EMAIL_MAIL: MailTemplate(
        subject=Template("Confirm your new email address for Planner"),
        text=Template(
            "Hello $name,\n\n"
            "Someone asked to move a Planner account to this address ($new_email).\n"
            "Confirm it by opening this link:\n$link\n\n"
            "If that was not you, ignore this mail: nothing changes.\n"
        ),
        html=Template(
            "<p>Hello $name,</p>"
            "<p>Someone asked to move a Planner account to this address ($new_email).</p>"
            '<p><a href="$link">Confirm the new address</a>.</p>'
            "<p>If that was not you, ignore this mail: nothing changes.</p>"
        ),
    ),
    EMAIL_CHANGE_NOTICE_MAIL: MailTemplate(
        subject=Template("Your Planner email address is about to change"),
        text=Template(
            "Hello $name,\n\n"
            "Someone signed in to your Planner account asked to move it to $new_email.\n"
            "It moves when that address confirms. If that was not you, reset your "
            "password now:\n$link\n"
        ),
        html=Template(
            "<p>Hello $name,</p>"
            "<p>Someone signed in to your Planner account asked to move it to "
            "$new_email. It moves when that address confirms.</p>"
            '<p>If that was not you, <a href="$link">reset your password now</a>.</p>'
        ),
    ),
    EVENT_INVITE_MAIL: MailTemplate(
        subject=Template("$host invited you to $title"),
        text=Template(
            "Hello,\n\n"
            '$host invited you to "$title" on Planner.\n\n'
            "See the event and answer here (the link works once, for $days days; sign in "
            "or create an account first):\n$link\n\n"
            "If you do not know $host, ignore this mail.\n"
        ),
        html=Template(
            "<p>Hello,</p>"
            '<p>$host invited you to "$title" on Planner.</p>'
            '<p><a href="$link">See the event and answer</a> (the link works once, for '
            "$days days; sign in or create an account first).</p>"
            "<p>If you do not know $host, ignore this mail.</p>"
        ),
    ),
}


def mail_link(frontend_url: str, content: MailContent) -> str:
    base = frontend_url.rstrip("/") + (content.link_path or "/")
    return base if content.token is None else f"{base}#token={content.token}"


def render(content: MailContent, mail_from: str, frontend_url: str) -> EmailMessage:
    template = TEMPLATES[content.kind]
    values = {**content.values, "link": mail_link(frontend_url, content)}
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = content.recipient
    # A header is one line: a title or name with line breaks must not add headers.
    message["Subject"] = template.subject.substitute(
        {key: " ".join(value.split()) for key, value in values.items()}
    )
    message["Message-ID"] = make_msgid(domain="planner.invalid")
    message.set_content(template.text.substitute(values))
    escaped = {key: html.escape(value, quote=True) for key, value in values.items()}
    message.add_alternative(
        _HTML_PAGE.substitute(body=template.html.substitute(escaped)), subtype="html"
    )
    return message
