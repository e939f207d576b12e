"""The wiring: Settings in, the long-lived objects every request shares out."""

from collections.abc import Callable
from datetime import datetime

from app.fast_paths import FastPaths
from app.settings import Settings
from auth.account_mail import AccountMail
from auth.accounts import Accounts
from auth.passwords import PasswordHasher
from db.engine import Database
from db.types import utc_now
from graph.live_hub import LiveHub
from graph.services import Services
from mail.sender import MailSender


def build_database(settings: Settings, fast_paths: FastPaths | None = None) -> Database:
    paths = fast_paths or FastPaths()
    return Database(
        settings.database_url,
        settings.pool(),
        loop_reader=paths.sqlite_loop_reader,
        merged_handoffs=paths.sqlite_merged_handoffs,
    )


def build_services(
    settings: Settings,
    clock: Callable[[], datetime] = utc_now,
    fast_paths: FastPaths | None = None,
) -> Services:
    """`clock` is what tokens and the sign-in throttle take as now (tests move it)."""
    paths = fast_paths or FastPaths()
    database = build_database(settings, paths)
    accounts = Accounts(
        database,
        PasswordHasher(rounds=settings.bcrypt_rounds),
        settings.tokens(settings.signing_key()),
        clock=clock,
        sessions=settings.sessions(),
    )
    account_mail = AccountMail(accounts, settings.account_mail())
    mail = settings.mail()  # refuses production without a mail server (or MAIL_ENABLED=false)
    sender = None
    if mail.run_sender:
        sender = MailSender(database, account_mail, mail, clock=clock)
        account_mail.notify = sender.notify
    return Services(
        database=database,
        accounts=accounts,
        account_mail=account_mail,
        mail_sender=sender,
        live=LiveHub(database, settings.live()),
        limits=settings.query_limits(),
        preload_creators=paths.preloaded_creators,
    )
