"""Input types. UNSET (not given) and None (explicit null) differ in UpdateEventInput."""

from datetime import datetime

import strawberry


@strawberry.input(description="A new event; only the title is required.")
class CreateEventInput:
    title: str
    description: str = ""
    image: str | None = strawberry.field(default=None, description="An http(s) URL of a picture.")
    tags: list[str] = strawberry.field(default_factory=list, description="At most 20.")
    location: str = ""
    starts_at: datetime | None = None


@strawberry.input(
    description="Only the fields given are changed; an explicit null clears image or startsAt."
)
class UpdateEventInput:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    image: str | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET


@strawberry.input
class EventFilter:
    tag: str | None = strawberry.field(default=None, description="Only events carrying this tag.")
    search: str | None = strawberry.field(
        default=None, description="Case-insensitive match in title or description."
    )
    mine: bool | None = strawberry.field(
        default=None, description="Only the signed-in user's own events."
    )
