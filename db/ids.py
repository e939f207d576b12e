"""Ids travel as opaque strings; anything that is not one of ours finds nothing."""

import uuid


def parse_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None
