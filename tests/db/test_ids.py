"""db/ids.py: an id that is not one of ours finds nothing, rather than failing."""

import uuid

import pytest

from db.ids import parse_id


def test_our_ids_parse() -> None:
    ident = uuid.uuid4()
    assert parse_id(str(ident)) == ident
    assert parse_id(str(ident).upper()) == ident


@pytest.mark.parametrize("value", ["", "42", "not-an-id", str(uuid.uuid4()) + "0", None, 42])
def test_anything_else_is_none(value: object) -> None:
    assert parse_id(value) is None  # type: ignore[arg-type]
