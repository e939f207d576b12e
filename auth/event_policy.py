"""The planning rules for one event at a time, free of any framework: who may see it,
host it, change its hosts, answer it. graph/permissions.py asks these; the lists apply
the same visibility rule in SQL (db/visibility.py)."""

from datetime import datetime
from typing import Protocol

from db.event_access import EventAccess
from db.planning_values import EventStatus, Visibility


def can_see_event(access: EventAccess) -> bool:
    """DRAFT: hosts only. PUBLIC: everyone signed in. PRIVATE: hosts, people who
    accepted an invite link, people with an answer."""
    if access.is_host:
        return True
    if access.status == EventStatus.DRAFT:
        return False
    return access.visibility == Visibility.PUBLIC or access.invited or access.answered


def could_see_once_published(access: EventAccess) -> bool:
    """Who may become a co-host: someone who can see the event, its DRAFT status set
    aside (a draft is visible to hosts only, so nobody could join its hosts before it
    is published otherwise)."""
    return (
        access.is_host
        or access.visibility == Visibility.PUBLIC
        or access.invited
        or access.answered
    )


def is_event_host(access: EventAccess) -> bool:
    """Hosts (creator and co-hosts) may update the event, manage invite links, see
    attendee emails and remove attendees."""
    return access.is_host


def is_event_creator(access: EventAccess) -> bool:
    """Only the creator deletes the event or changes its hosts."""
    return access.is_creator


class Schedule(Protocol):
    status: str
    starts_at: datetime | None
    ends_at: datetime | None


def closed_for_answers(event: Schedule, now: datetime) -> str | None:
    """Why the event takes no new answers, or None when it does."""
    if event.status == EventStatus.DRAFT:
        return "This event is a draft: it takes no answers until it is published"
    if event.status == EventStatus.CANCELLED:
        return "This event is cancelled: it takes no new answers"
    end = event.ends_at or event.starts_at
    if end is not None and end <= now:
        return "This event has ended: it takes no new answers"
    return None
