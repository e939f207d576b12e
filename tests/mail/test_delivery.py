"""The mail path against a real SMTP server: what arrives, retries, refusals,
restarts, several instances, and the development .eml folder."""

import asyncio
import logging
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from app.secret_key import ConfigurationError
from auth.mail_content import MailContent
from db.mail_models import MailJob
from mail.templates import render
from main import create_app
from tests.client import GraphQLClient, code_of, error_of
from tests.mail.conftest import FRONTEND, mail_settings, outbox
from tests.mail.flows import REQUEST_RESET
from tests.mail.smtp_server import RESET_SUBJECT, MailServer
from tests.settings import make_settings

PRODUCTION_KEY = "a-key-made-up-for-this-test-only-0123456789abcdef"


async def test_sign_up_mails_a_verification_link(api: GraphQLClient, mail_server: MailServer):
    await api.sign_up(email="ada@example.com")

    mail = await mail_server.wait_for("ada@example.com")
    assert mail.recipients == ["ada@example.com"]
    assert mail.to == "ada@example.com"
    assert mail.subject == "Confirm your email address for Planner"
    assert str(mail.message["From"]) == "Planner <planner@example.com>"
    assert mail.link().startswith(f"{FRONTEND}/verify-email#token=")
    assert len(mail.token()) >= 43  # 256 bits, URL-safe base64
    assert f'href="{mail.link()}"' in mail.html()


async def test_a_reset_mail_carries_a_fresh_link(api, mail_server: MailServer):
    await api.sign_up(email="ada@example.com")
    body = await api.post(REQUEST_RESET, {"email": "ada@example.com"})
    assert body == {"data": {"requestPasswordReset": True}}

    mail = await mail_server.wait_for("ada@example.com", subject=RESET_SUBJECT)
    assert mail.link() == f"{FRONTEND}/reset-password#token={mail.token()}"
    assert "30 minutes" in mail.text()


def test_html_part_escapes_what_it_shows() -> None:
    content = MailContent(
        "change_email",
        "a@example.com",
        "/verify-email",
        "tok",
        {"name": "Ada & <i>", "new_email": "<b>&x"},
    )
    message = render(content, "Planner <p@example.com>", 'https://x.example/"a')
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "&lt;b&gt;&amp;x" in html and "<b>" not in html
    assert "Hello Ada &amp; &lt;i&gt;," in html and "<i>" not in html
    assert 'href="https://x.example/&quot;a/verify-email#token=tok"' in html


async def test_mail_enqueued_while_smtp_is_down_arrives_once_it_is_up(database_url, clock, serve):
    server = MailServer()  # not started: nothing listens on its port
    async with serve(smtp_port=server.port) as api:
        await api.sign_up(email="ada@example.com")
        await api.post(REQUEST_RESET, {"email": "ada@example.com"})
        app = api.app
        for _ in range(500):
            jobs = await outbox(app)
            if all(job.attempts >= 2 for job in jobs):
                break
            await asyncio.sleep(0.02)
        assert all(job.attempts >= 2 and job.sent_at is None for job in jobs), [
            (j.kind, j.attempts, j.last_error, j.next_attempt_at, j.claimed_until) for j in jobs
        ]
        assert all(job.last_error for job in jobs)
        server.start()
        try:
            await server.wait_for("ada@example.com", count=2)
        finally:
            server.stop()
        subjects = sorted(mail.subject for mail in server.received)
        assert subjects == [
            "Confirm your email address for Planner",
            "Reset your Planner password",
        ]


async def test_a_temporary_refusal_is_retried(api, app, mail_server: MailServer):
    mail_server.refuse_with = "451 4.3.0 Try again later"
    await api.sign_up(email="ada@example.com")
    for _ in range(500):
        if mail_server.refused >= 2:
            break
        await asyncio.sleep(0.02)
    assert mail_server.refused >= 2
    mail_server.refuse_with = None

    mail = await mail_server.wait_for("ada@example.com")
    assert mail.subject == "Confirm your email address for Planner"
    for _ in range(500):  # marked sent just after the server accepted it
        [job] = await outbox(app)
        if job.sent_at is not None:
            break
        await asyncio.sleep(0.02)
    assert job.sent_at is not None and job.attempts >= 2


async def test_a_permanent_refusal_is_given_up_and_logged(
    api, app, mail_server: MailServer, caplog
):
    mail_server.refuse_with = "550 5.1.1 No such mailbox"
    caplog.set_level(logging.WARNING, logger="planner.mail")
    await api.sign_up(email="ada@example.com")
    for _ in range(500):
        [job] = await outbox(app)
        if job.gave_up_at is not None:
            break
        await asyncio.sleep(0.02)
    assert job.gave_up_at is not None and job.sent_at is None
    assert job.last_error is not None and job.last_error.startswith("550")
    assert "refused for good, given up: 550" in caplog.text
    await asyncio.sleep(0.3)  # several poll intervals: nothing is tried again
    assert mail_server.refused == 1


async def test_a_restart_between_enqueue_and_delivery_loses_nothing(serve, mail_server: MailServer):
    # An instance that enqueues but sends nothing, then stops.
    async with serve(mail_sender=False) as api:
        await api.sign_up(email="ada@example.com")
        await api.post(REQUEST_RESET, {"email": "ada@example.com"})
    assert mail_server.received == []
    # The next instance sends what was left.
    async with serve():
        await mail_server.wait_for("ada@example.com", count=2)


async def test_a_job_claimed_by_an_instance_that_died_is_sent_after_its_lease(
    serve, clock, mail_server: MailServer
):
    async with serve(mail_sender=False) as quiet:
        await quiet.sign_up(email="ada@example.com")
        # Claimed by an instance that crashed mid-send: its lease runs for a minute.
        async with quiet.app.state.services.database.write() as session:
            [job] = list((await session.execute(select(MailJob))).scalars())
            job.claimed_by = uuid.uuid4()
            job.claimed_until = clock() + timedelta(seconds=60)
            session.add(job)
    async with serve():
        await asyncio.sleep(0.3)  # several polls
        assert mail_server.received == []  # not while the lease holds
        clock.advance(seconds=61)
        await mail_server.wait_for("ada@example.com")


async def test_several_instances_send_each_mail_once(serve, mail_server: MailServer):
    addresses = [f"user{i}@example.com" for i in range(24)]
    async with serve(mail_sender=False) as api:
        for address in addresses:
            await api.sign_up(email=address)
    async with serve() as _first, serve() as _second, serve() as _third:
        for address in addresses:
            await mail_server.wait_for(address)
        await asyncio.sleep(0.3)  # a few more polls: nothing is sent twice
    assert sorted(r for mail in mail_server.received for r in mail.recipients) == sorted(addresses)


async def test_without_smtp_host_mails_become_eml_files_named_in_the_log(
    database_url, tmp_path: Path, caplog
):
    caplog.set_level(logging.INFO, logger="planner.mail")
    folder = tmp_path / "mail"
    settings = make_settings(
        database_url, mail_sender=True, mail_dir=folder, mail_poll_seconds=0.05
    )
    from tests.client import serving

    async with serving(settings) as http:
        api = GraphQLClient(http)
        await api.sign_up(email="ada@example.com")
        for _ in range(500):
            if list(folder.glob("*.eml")):
                break
            await asyncio.sleep(0.02)
    [eml] = list(folder.glob("*.eml"))
    assert "#token=" in eml.read_text()
    assert str(eml) in caplog.text
    assert "token=" not in caplog.text


def test_production_without_smtp_host_refuses_to_start(database_url) -> None:
    settings = make_settings(
        database_url, environment="production", secret_key=PRODUCTION_KEY, mail_dir=Path("unused")
    )
    with pytest.raises(ConfigurationError, match="SMTP_HOST"):
        create_app(settings)


def test_serve_refuses_production_without_smtp_host_before_starting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_KEY)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    with pytest.raises(ConfigurationError, match="MAIL_ENABLED=false"):
        main.main(["serve", "--port", "18799"])


async def test_with_mail_switched_off_the_mail_flows_say_so(database_url) -> None:
    settings = make_settings(
        database_url, environment="production", secret_key=PRODUCTION_KEY, mail_enabled=False
    )
    from tests.client import serving

    async with serving(settings) as http:
        api = GraphQLClient(http)
        account = await api.sign_up(email="ada@example.com")  # still works, no mail
        body = await api.post(REQUEST_RESET, {"email": "ada@example.com"})
        assert code_of(body) == "MAIL_DISABLED"
        assert "switched off" in error_of(body)["message"]
        body = await api.post("mutation { requestEmailVerification }", token=account.token)
        assert code_of(body) == "MAIL_DISABLED"


async def test_smtp_settings_reach_the_sender(database_url, mail_server: MailServer) -> None:
    settings = mail_settings(database_url, mail_server.port, smtp_security="tls")
    config = settings.mail()
    assert config.smtp is not None and config.smtp.security == "tls"
    assert make_settings(database_url, smtp_host="mail.example").mail().smtp.port == 587  # type: ignore[union-attr]
