"""db/pagination.py: cursors are opaque, round-trip exactly, and refuse what we did not make."""

import uuid
from datetime import UTC, datetime

import pytest

from db.errors import InvalidInput
from db.pagination import Keyset, decode_cursor, encode_cursor


def test_cursor_round_trip() -> None:
    key = Keyset(datetime(2030, 1, 1, tzinfo=UTC), uuid.uuid4())
    assert decode_cursor(encode_cursor(key)) == key


@pytest.mark.parametrize(
    "cursor", ["", "x", "e30", "WzFd", "WyIyMDMwLTAxLTAxVDAwOjAwOjAwIiwiYWIiXQ"]
)
def test_bad_cursors(cursor: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_cursor(cursor)
    assert raised.value.field == "after"
