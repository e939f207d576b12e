"""The wiring: Settings in, the long-lived objects every request shares out."""

from collections.abc import Callable
from datetime import datetime

from app.fast_paths import FastPaths
from app.settings import Settings
from auth.accounts import Accounts
from auth.passwords import PasswordHasher
from db.engine import Database
from db.types import utc_now
from graph.services import Services


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
    return Services(
        database=database,
        accounts=accounts,
        limits=settings.query_limits(),
        preload_creators=paths.preloaded_creators,
    )
