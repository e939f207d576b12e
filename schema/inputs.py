"""Input types. UNSET (not given) and None (explicit null) differ in UpdateEventInput.

The descriptions state the rules schema/event_values.py enforces (BAD_USER_INPUT with
`extensions.field` naming the input field otherwise), with its limits."""

from datetime import datetime

import strawberry

from schema.enums import EventStatus, Visibility
from schema.event_values import (
    MAX_DESCRIPTION,
    MAX_IMAGE_URL,
    MAX_LOCATION,
    MAX_SEARCH,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
)

_TITLE = f"1 to {MAX_TITLE} characters after trimming."
_DESCRIPTION = f"Up to {MAX_DESCRIPTION:,} characters, kept as written."
_IMAGE = f"An http(s) URL with a host name, up to {MAX_IMAGE_URL:,} characters, without spaces."
_TAGS = (
    f"At most {MAX_TAGS} tags of 1 to {MAX_TAG} characters each after trimming; duplicates "
    "are dropped, the order is kept."
)
_LOCATION = f"Up to {MAX_LOCATION} characters after trimming."
_STARTS_AT = "ISO 8601 with a time zone, e.g. 2030-01-31T18:00:00Z; stored in UTC."


@strawberry.input(
    description="A new event; only the title is required. No text may contain NUL characters."
)
class CreateEventInput:
    title: str = strawberry.field(description=f"Required: {_TITLE}")
    description: str = strawberry.field(default="", description=_DESCRIPTION)
    image: str | None = strawberry.field(default=None, description=f"{_IMAGE} Null: no picture.")
    tags: list[str] = strawberry.field(default_factory=list, description=_TAGS)
    location: str = strawberry.field(default="", description=_LOCATION)
    starts_at: datetime | None = strawberry.field(
        default=None, description=f"When it starts: {_STARTS_AT} Null: not set."
    )
    ends_at: datetime | None = strawberry.field(
        default=None, description=f"When it ends, not before startsAt: {_STARTS_AT}"
    )
    time_zone: str | None = strawberry.field(
        default=None, description='An IANA time zone name, e.g. "Europe/Berlin"; null: UTC.'
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="PRIVATE: hosts, invited and answered only."
    )
    status: EventStatus = strawberry.field(
        default=EventStatus.PUBLISHED, description="DRAFT: hosts only."
    )
    capacity: int | None = strawberry.field(
        default=None, description="Most people GOING at once (at least 1); null: no limit."
    )


@strawberry.input(
    description="Only the fields given are changed; an explicit null clears image, startsAt, "
    "endsAt, timeZone or capacity and is refused for the others. Same rules as "
    "CreateEventInput; lowering capacity below the number GOING: BAD_USER_INPUT."
)
class UpdateEventInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description=_TITLE)
    description: str | None = strawberry.field(default=strawberry.UNSET, description=_DESCRIPTION)
    image: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"{_IMAGE} Null removes the picture."
    )
    tags: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Replaces all tags. {_TAGS}"
    )
    location: str | None = strawberry.field(default=strawberry.UNSET, description=_LOCATION)
    starts_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description=f"{_STARTS_AT} Null clears it."
    )
    ends_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Not before startsAt. Null clears it."
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET, description="An IANA time zone name. Null: UTC."
    )
    visibility: Visibility | None = strawberry.field(
        default=strawberry.UNSET, description="PUBLIC or PRIVATE; null is refused."
    )
    status: EventStatus | None = strawberry.field(
        default=strawberry.UNSET, description="DRAFT, PUBLISHED or CANCELLED; null is refused."
    )
    capacity: int | None = strawberry.field(
        default=strawberry.UNSET, description="At least 1. Null: no limit."
    )


@strawberry.input(description="Conditions on events; every condition given must hold.")
class EventFilter:
    tag: str | None = strawberry.field(
        default=None,
        description="Only events carrying exactly this tag (case-sensitive, after trimming).",
    )
    search: str | None = strawberry.field(
        default=None,
        description="Case-insensitive match in title or description, up to "
        f"{MAX_SEARCH} characters after trimming; blank: no condition.",
    )
    mine: bool | None = strawberry.field(
        default=None, description="True: only the signed-in user's own events."
    )
    hosting: bool | None = strawberry.field(
        default=None, description="Only events the signed-in user hosts (created or co-hosts)."
    )
    attending: bool | None = strawberry.field(
        default=None,
        description="Only events the signed-in user answered GOING, WAITLISTED or MAYBE.",
    )
    starts_after: datetime | None = strawberry.field(
        default=None, description="Only events starting at or after this instant."
    )
    starts_before: datetime | None = strawberry.field(
        default=None, description="Only events starting before this instant."
    )
    status: EventStatus | None = strawberry.field(
        default=None, description="Only events with this status."
    )
