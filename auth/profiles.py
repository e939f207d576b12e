"""Display names: what other people see of a user.

A name given is trimmed and must be 1 to 60 characters. A user who gives none is
called "Member " and six hex digits of their id (db/users.default_display_name): the
id is public anyway, and the name reveals nothing of the email address.
"""

from db.errors import InvalidInput
from db.users import default_display_name

__all__ = ["MAX_DISPLAY_NAME", "check_display_name", "default_display_name"]

MAX_DISPLAY_NAME = 60


def check_display_name(name: str, field: str = "displayName") -> str:
    name = name.strip()
    if not name or len(name) > MAX_DISPLAY_NAME:
        raise InvalidInput(field, f"Display name must be 1 to {MAX_DISPLAY_NAME} characters")
    if "\x00" in name or not name.isprintable():
        raise InvalidInput(field, "Display name must not contain control characters")
    return name
