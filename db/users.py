"""User queries."""

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from db.errors import Conflict
from db.models import User


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("An account with this email already exists")


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    """`email` normalised (auth/credentials.py); lower() matches the unique index."""
    statement = select(User).where(func.lower(col(User.email)) == email.lower())
    result = await session.execute(statement)
    return result.scalar_one_or_none()


async def users_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, User]:
    result = await session.execute(select(User).where(col(User.id).in_(ids)))
    return {user.id: user for user in result.scalars()}


async def create_user(session: AsyncSession, email: str, password_hash: str) -> User:
    """Insert a user; raises EmailTaken when the (normalised) email exists.

    The unique index decides, not a prior lookup, so two concurrent sign-ups with one
    email cannot both succeed.
    """
    user = User(email=email, password_hash=password_hash)
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


async def get_user_for_update(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The user row, locked until the transaction ends (PostgreSQL; SQLite's write
    transactions are serialised anyway)."""
    return await session.get(User, user_id, with_for_update=True, populate_existing=True)


async def delete_user(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Delete the user; the foreign keys cascade to their events and refresh tokens."""
    result = await session.execute(delete(User).where(col(User.id) == user_id))
    return bool(getattr(result, "rowcount", 0))
