"""Mailed invitations (inviteByEmail): a host asks, a job is enqueued, and the sender
mints the single-use invite link when it writes the mail, so the code exists only in
the mail that carries it (as the account flows' tokens do).

Whether the address has an account is never looked up: the host learns nothing about
it, and the mail works either way (the recipient signs up, then follows the link).
The mail names the host by display name and the event by title, never anyone's
email address.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth.event_policy import closed_for_answers
from auth.invites import mint_link
from auth.mail_content import MailContent
from db.event_access import access_for
from db.events import lock_event
from db.invites import delete_unused_link, get_link
from db.mail_models import MailJob
from db.outbox import set_mail_data
from db.users import get_user

EVENT_INVITE_MAIL = "event_invite"
INVITE_PATH = "/invite"
# A mailed link works once, for a week from when the mail is written.
MAILED_LINK_HOURS = 168
_LINK_ID = "linkId"


def invite_data(event_id: uuid.UUID) -> dict[str, str]:
    """What an invitation job remembers: the event (the host is the job's user)."""
    return {"eventId": str(event_id)}


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


async def prepare_invite(session: AsyncSession, job: MailJob, now: datetime) -> MailContent | None:
    """The invitation's mail, with a new single-use link minted now (the job remembers
    the link's id). None when there is nothing to send: the event is gone or takes no
    answers, the host is no longer one, or the link an earlier attempt mailed has been
    used already.

    An attempt that failed (SMTP down) left a link nobody received; it is deleted
    before the next one is minted, so retries do not pile up links in the host's list.
    """
    event_id = _uuid(job.data.get("eventId"))
    if event_id is None or job.user_id is None:
        return None
    event = await lock_event(session, event_id)
    if event is None or closed_for_answers(event, now) is not None:
        return None
    access = (await access_for(session, job.user_id, [event_id])).get(event_id)
    host = await get_user(session, job.user_id)
    if access is None or not access.is_host or host is None:
        return None
    earlier = _uuid(job.data.get(_LINK_ID))
    if (
        earlier is not None
        and not await delete_unused_link(session, earlier)
        and await get_link(session, earlier) is not None
    ):
        return None  # that mail arrived after all, and its link was used
    expires_at = now + timedelta(hours=MAILED_LINK_HOURS)
    new = await mint_link(session, event_id, 1, expires_at, now)
    values = {
        "host": host.display_name,
        "title": event.title,
        "days": str(MAILED_LINK_HOURS // 24),
    }
    await set_mail_data(session, job.id, {**job.data, _LINK_ID: str(new.link.id)})
    return MailContent(EVENT_INVITE_MAIL, job.recipient, INVITE_PATH, new.code, values)
