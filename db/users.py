"""User queries."""

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, bindparam, delete, func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col, select

from db.engine import Database
from db.errors import Conflict
from db.models import User


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("An account with this email already exists")


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user as requests see them: who a token belongs to, an event's creator.

    A plain value read with Core, not an ORM object: these reads run on nearly every
    request, and the ORM's identity map and instrumentation cost more than the query
    (the bench showed it). It holds no password hash, and cannot be flushed by mistake.
    """

    id: uuid.UUID
    email: str
    token_version: int
    created_at: datetime
    display_name: str


# Built once, with bind parameters: SQLAlchemy then reuses the statement's cache key
# instead of computing a new one per call (together ~40% of a lookup's time).
# sqlalchemy's select: sqlmodel's typed overloads stop at four columns.
_RECORD_COLUMNS = sa_select(
    col(User.id),
    col(User.email),
    col(User.token_version),
    col(User.created_at),
    col(User.display_name),
)
_BY_ID = _RECORD_COLUMNS.where(col(User.id) == bindparam("user_id"))
_BY_IDS = _RECORD_COLUMNS.where(col(User.id).in_(bindparam("user_ids", expanding=True)))


def _record(row: Row[uuid.UUID, str, int, datetime, str]) -> UserRecord:
    ident, email, token_version, created_at, display_name = row
    return UserRecord(ident, email, token_version, created_at, display_name)


async def find_user(connection: AsyncConnection, user_id: uuid.UUID) -> UserRecord | None:
    row = (await connection.execute(_BY_ID, {"user_id": user_id})).first()
    return None if row is None else _record(row)


async def find_user_by_id(database: Database, user_id: uuid.UUID) -> UserRecord | None:
    """The user behind a token: read on every authenticated request. On a SQLite file
    it runs on the event loop (db/loop_reader.py) unless the database is busy."""
    reader = database.loop_reader()
    if reader is not None:
        try:
            row = reader.first(_BY_ID, {"user_id": user_id})
        except sqlite3.OperationalError:  # locked (it never waits), or worse: the usual
            pass  # path waits on aiosqlite's thread, or reports the error as any query would
        else:
            return None if row is None else UserRecord(*row)
    async with database.connect() as connection:
        return await find_user(connection, user_id)


async def users_by_ids(
    connection: AsyncConnection, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, UserRecord]:
    result = await connection.execute(_BY_IDS, {"user_ids": list(ids)})
    return {record.id: record for record in map(_record, result)}


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    """`email` normalised (auth/credentials.py); lower() matches the unique index."""
    statement = select(User).where(func.lower(col(User.email)) == email.lower())
    result = await session.execute(statement)
    return result.scalar_one_or_none()


def default_display_name(user_id: uuid.UUID) -> str:
    """A user's name until they choose one: from the (public) id, never the email.
    The planning migration names existing users the same way."""
    return f"Member {user_id.hex[:6]}"


async def create_user(
    session: AsyncSession,
    email: str,
    password_hash: str,
    display_name: str | None = None,
    user_id: uuid.UUID | None = None,
) -> User:
    """Insert a user; raises EmailTaken when the (normalised) email exists.

    The unique index decides, not a prior lookup, so two concurrent sign-ups with one
    email cannot both succeed.
    """
    user_id = user_id or uuid.uuid4()
    name = display_name or default_display_name(user_id)
    user = User(id=user_id, email=email, password_hash=password_hash, display_name=name)
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise EmailTaken() from error
    return user


async def set_password_hash(session: AsyncSession, user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    session.add(user)
    await session.flush()


async def set_display_name(session: AsyncSession, user_id: uuid.UUID, name: str) -> User | None:
    user = await session.get(User, user_id, with_for_update=True, populate_existing=True)
    if user is None:
        return None
    user.display_name = name
    session.add(user)
    await session.flush()
    return user


async def get_user_for_update(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The user row, locked until the transaction ends (PostgreSQL; SQLite's write
    transactions are serialised anyway)."""
    return await session.get(User, user_id, with_for_update=True, populate_existing=True)


async def delete_user(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Delete the user; the foreign keys cascade to their events and refresh tokens."""
    result = await session.execute(delete(User).where(col(User.id) == user_id))
    return bool(getattr(result, "rowcount", 0))
