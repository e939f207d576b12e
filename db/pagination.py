"""Keyset cursors: the (created_at, id) of the last row seen, as an opaque string."""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from db.errors import InvalidInput


@dataclass(frozen=True)
class Keyset:
    created_at: datetime
    id: uuid.UUID


def encode_cursor(key: Keyset) -> str:
    raw = json.dumps([key.created_at.isoformat(), key.id.hex], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, field: str = "after") -> Keyset:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, ident = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        created_at = datetime.fromisoformat(created)
        if created_at.tzinfo is None:
            raise ValueError("cursor time without zone")
        return Keyset(created_at=created_at, id=uuid.UUID(hex=ident))
    except (ValueError, TypeError, binascii.Error, UnicodeError) as error:
        raise InvalidInput(field, "Invalid cursor") from error
