"""The words the planning tables store: visibility, status, answers. Plain strings in
the database (portable, readable in a psql session); these enums name them in code."""

from enum import StrEnum


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"


class EventStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CANCELLED = "CANCELLED"


class Attendance(StrEnum):
    """An answer as stored: GOING may have become WAITLISTED on a full event."""

    GOING = "GOING"
    WAITLISTED = "WAITLISTED"
    MAYBE = "MAYBE"
    DECLINED = "DECLINED"


# Answers that count as taking part (filter.attending).
ATTENDING = (Attendance.GOING, Attendance.WAITLISTED, Attendance.MAYBE)
