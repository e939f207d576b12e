"""Schema migrations (Alembic, in ../migrations): upgrade to head, and the check that
keeps the app from serving a database whose schema is older than the code."""

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection

from db.engine import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATE_COMMAND = "python main.py migrate"

logger = logging.getLogger("planner.migrations")


class DatabaseBehind(RuntimeError):
    """The database lacks migrations the code needs; the message says what to run."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def code_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


# Any constant works; it only has to be the same for every instance of this app.
_MIGRATION_LOCK = 0x706C616E6E6572  # "planner"


async def upgrade_to_head(database: Database) -> None:
    """Apply every pending migration, in one transaction where the database allows.

    Instances started together may all run this: they take turns (an advisory lock on
    PostgreSQL, the write lock on SQLite) and the later ones find nothing to do.
    """
    async with database.begin_write() as connection:
        await connection.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@dataclass(frozen=True)
class SchemaState:
    current: frozenset[str]
    expected: frozenset[str]
    unknown: frozenset[str]

    @property
    def is_current(self) -> bool:
        return self.current == self.expected

    @property
    def is_behind(self) -> bool:
        # A revision this code does not know was written by newer code (a rolling
        # deploy migrated first): serving is that deploy's call, not a refusal here.
        return not self.is_current and not self.unknown


async def schema_state(database: Database) -> SchemaState:
    async with database.engine.connect() as connection:
        current = frozenset(await connection.run_sync(_current_heads))
    script = ScriptDirectory.from_config(alembic_config())
    unknown = frozenset(rev for rev in current if not _known(script, rev))
    return SchemaState(current=current, expected=code_heads(), unknown=unknown)


def _current_heads(connection: Connection) -> tuple[str, ...]:
    return MigrationContext.configure(connection).get_current_heads()


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


async def ensure_schema_current(database: Database) -> None:
    """Raise DatabaseBehind unless the database is at the code's head revision."""
    state = await schema_state(database)
    if state.is_current:
        return
    if not state.is_behind:
        logger.warning(
            "Database schema is at %s, unknown to this code (head %s); serving anyway",
            ", ".join(sorted(state.current)),
            ", ".join(sorted(state.expected)),
        )
        return
    at = ", ".join(sorted(state.current)) or "no revision (empty database)"
    raise DatabaseBehind(
        f"The database schema is behind the code: it is at {at}, the code needs "
        f"{', '.join(sorted(state.expected))}. Run `{MIGRATE_COMMAND}` first."
    )
