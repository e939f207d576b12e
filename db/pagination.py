"""Keyset cursors: the sort key of the last row seen, as an opaque string.

NEWEST_FIRST cursors are (created_at, id), written as they always were; STARTS_SOONEST
cursors are tagged "s" and carry (starts_at or null, id). A cursor of one order given
to the other is refused as bad input, never misread.
"""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.errors import InvalidInput


@dataclass(frozen=True)
class Keyset:
    created_at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class StartsKeyset:
    """STARTS_SOONEST: events without a start come last, by id."""

    starts_at: datetime | None
    id: uuid.UUID


@dataclass(frozen=True)
class SequenceKeyset:
    """Answers in arrival order (attendees)."""

    arrival: int


AnyKeyset = Keyset | StartsKeyset | SequenceKeyset

_WRONG_ORDER = "This cursor belongs to another ordering or list"


def encode_cursor(key: AnyKeyset) -> str:
    value: list[Any]
    if isinstance(key, Keyset):
        value = [key.created_at.isoformat(), key.id.hex]
    elif isinstance(key, StartsKeyset):
        value = ["s", None if key.starts_at is None else key.starts_at.isoformat(), key.id.hex]
    else:
        value = ["a", key.arrival]
    raw = json.dumps(value, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decoded(cursor: str, field: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, binascii.Error, UnicodeError) as error:
        raise InvalidInput(field, "Invalid cursor") from error
    if not isinstance(value, list):
        raise InvalidInput(field, "Invalid cursor")
    return value


def _time(text: object) -> datetime:
    if not isinstance(text, str):
        raise ValueError("cursor time is not text")
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("cursor time without zone")
    return value


def _id(text: object) -> uuid.UUID:
    if not isinstance(text, str):
        raise ValueError("cursor id is not text")
    return uuid.UUID(hex=text)


def decode_cursor(cursor: str, field: str = "after") -> Keyset:
    value = _decoded(cursor, field)
    if len(value) != 2 or value[0] in ("s", "a"):
        raise InvalidInput(
            field, _WRONG_ORDER if value and value[0] in ("s", "a") else "Invalid cursor"
        )
    try:
        return Keyset(created_at=_time(value[0]), id=_id(value[1]))
    except (ValueError, TypeError) as error:
        raise InvalidInput(field, "Invalid cursor") from error


def decode_starts_cursor(cursor: str, field: str = "after") -> StartsKeyset:
    value = _decoded(cursor, field)
    if not value or value[0] != "s":
        raise InvalidInput(field, _WRONG_ORDER if len(value) in (2, 3) else "Invalid cursor")
    if len(value) != 3:
        raise InvalidInput(field, "Invalid cursor")
    try:
        starts_at = None if value[1] is None else _time(value[1])
        return StartsKeyset(starts_at=starts_at, id=_id(value[2]))
    except (ValueError, TypeError) as error:
        raise InvalidInput(field, "Invalid cursor") from error


def decode_sequence_cursor(cursor: str, field: str = "after") -> SequenceKeyset:
    value = _decoded(cursor, field)
    if not value or value[0] != "a":
        raise InvalidInput(field, _WRONG_ORDER if len(value) in (2, 3) else "Invalid cursor")
    if len(value) != 2 or not isinstance(value[1], int) or isinstance(value[1], bool):
        raise InvalidInput(field, "Invalid cursor")
    return SequenceKeyset(arrival=value[1])
