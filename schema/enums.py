"""The planning enums. Their values are the words db/planning_values.py stores."""

from enum import Enum

import strawberry


@strawberry.enum(description="Who may see an event (DRAFT status aside: hosts only).")
class Visibility(Enum):
    PUBLIC = strawberry.enum_value("PUBLIC", description="Any signed-in user.")
    PRIVATE = strawberry.enum_value(
        "PRIVATE", description="Hosts, people who accepted an invite link, people with an answer."
    )


@strawberry.enum(description="DRAFT: hosts only. CANCELLED: still visible, no new answers.")
class EventStatus(Enum):
    DRAFT = strawberry.enum_value("DRAFT", description="Hosts only; takes no answers.")
    PUBLISHED = strawberry.enum_value("PUBLISHED", description="Visible by its visibility.")
    CANCELLED = strawberry.enum_value(
        "CANCELLED", description="Still visible to those who could see it; no new answers."
    )


@strawberry.enum(description="An answer to an event.")
class RsvpResponse(Enum):
    GOING = strawberry.enum_value(
        "GOING", description="Coming; on a full event this waits in line (WAITLISTED)."
    )
    MAYBE = strawberry.enum_value("MAYBE", description="Perhaps; takes no place.")
    DECLINED = strawberry.enum_value("DECLINED", description="Not coming.")


@strawberry.enum(description="An answer as it stands: GOING on a full event is WAITLISTED.")
class AttendanceStatus(Enum):
    GOING = strawberry.enum_value("GOING", description="Has a place.")
    WAITLISTED = strawberry.enum_value(
        "WAITLISTED", description="Answered GOING on a full event; moves up in arrival order."
    )
    MAYBE = strawberry.enum_value("MAYBE", description="Perhaps; takes no place.")
    DECLINED = strawberry.enum_value("DECLINED", description="Not coming.")


@strawberry.enum(
    description="NEWEST_FIRST: createdAt then id, descending. STARTS_SOONEST: startsAt then "
    "id, ascending; events without startsAt last."
)
class EventOrder(Enum):
    NEWEST_FIRST = strawberry.enum_value(
        "NEWEST_FIRST", description="createdAt then id, descending (the default)."
    )
    STARTS_SOONEST = strawberry.enum_value(
        "STARTS_SOONEST",
        description="startsAt then id, ascending; events without startsAt last.",
    )
