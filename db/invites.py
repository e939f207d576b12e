"""Invite link rows, acceptances, and the failed attempts the invite throttle counts."""

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import InviteAcceptance, InviteFailure, InviteLink


async def links_of_event(session: AsyncSession, event_id: uuid.UUID) -> list[InviteLink]:
    statement = (
        select(InviteLink)
        .where(col(InviteLink.event_id) == event_id)
        .order_by(col(InviteLink.created_at).desc(), col(InviteLink.id))
    )
    return list((await session.execute(statement)).scalars())


async def add_link(
    session: AsyncSession,
    event_id: uuid.UUID,
    digest: str,
    max_uses: int | None,
    expires_at: datetime,
    now: datetime,
) -> InviteLink:
    link = InviteLink(
        event_id=event_id, digest=digest, max_uses=max_uses, expires_at=expires_at, created_at=now
    )
    session.add(link)
    await session.flush()
    return link


async def get_link(session: AsyncSession, link_id: uuid.UUID) -> InviteLink | None:
    return await session.get(InviteLink, link_id, populate_existing=True)


async def link_by_digest(session: AsyncSession, digest: str) -> InviteLink | None:
    statement = select(InviteLink).where(col(InviteLink.digest) == digest)
    result = await session.execute(statement.execution_options(populate_existing=True))
    return result.scalar_one_or_none()


async def revoke_link(session: AsyncSession, link_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(InviteLink)
        .where(col(InviteLink.id) == link_id, col(InviteLink.revoked_at).is_(None))
        .values(revoked_at=now)
    )


async def delete_unused_link(session: AsyncSession, link_id: uuid.UUID) -> bool:
    """Delete the link if nobody has used it; True if it was deleted."""
    result = await session.execute(
        delete(InviteLink).where(col(InviteLink.id) == link_id, col(InviteLink.uses) == 0)
    )
    return getattr(result, "rowcount", 0) == 1


async def has_accepted(session: AsyncSession, event_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    return await session.get(InviteAcceptance, (event_id, user_id)) is not None


async def accept(
    session: AsyncSession, link: InviteLink, user_id: uuid.UUID, now: datetime
) -> None:
    """Record the acceptance and count a use (the caller holds the event's lock)."""
    session.add(InviteAcceptance(event_id=link.event_id, user_id=user_id, accepted_at=now))
    link.uses += 1
    session.add(link)
    await session.flush()


async def add_failure(
    session: AsyncSession, user_id: uuid.UUID, address: str, at: datetime
) -> None:
    session.add(InviteFailure(user_id=user_id, address=address, at=at))
    await session.flush()


async def failure_times(
    session: AsyncSession, user_id: uuid.UUID, address: str, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Times of failures after `since`, newest first: the user's, and the address's."""
    by_user = select(col(InviteFailure.at)).where(
        col(InviteFailure.user_id) == user_id, col(InviteFailure.at) > since
    )
    by_address = select(col(InviteFailure.at)).where(
        col(InviteFailure.address) == address, col(InviteFailure.at) > since
    )
    newest = col(InviteFailure.at).desc()
    users = list((await session.execute(by_user.order_by(newest))).scalars())
    addresses = list((await session.execute(by_address.order_by(newest))).scalars())
    return users, addresses


async def purge_failures(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(InviteFailure).where(col(InviteFailure.at) <= before))
    return int(getattr(result, "rowcount", 0) or 0)
