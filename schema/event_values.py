"""Checks event fields and turns them into column values.

Limits the issue leaves open, chosen here: description <= 10,000 characters,
location <= 200, a tag 1..50 characters after trimming (duplicates dropped, order
kept), an image URL <= 2,048 characters. `field` names are the GraphQL input names.
"""

from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from db.errors import InvalidInput

MAX_TITLE = 200
MAX_DESCRIPTION = 10_000
MAX_LOCATION = 200
MAX_TAGS = 20
MAX_TAG = 50
MAX_IMAGE_URL = 2048
MAX_SEARCH = 200
MAX_CAPACITY = 1_000_000

# Fields that may not be null; image, startsAt, endsAt, timeZone and capacity may (null
# clears them).
_REQUIRED = {"title", "description", "tags", "location", "visibility", "status"}
_COLUMNS = {"startsAt": "starts_at", "endsAt": "ends_at", "timeZone": "time_zone"}


def check_chars(field: str, text: str) -> str:
    # PostgreSQL cannot store NUL in text; no legitimate title or tag contains one.
    if "\x00" in text:
        raise InvalidInput(field, f"{field} must not contain NUL characters")
    return text


def check_title(title: str) -> str:
    title = check_chars("title", title).strip()
    if not title:
        raise InvalidInput("title", "Title must not be blank")
    if len(title) > MAX_TITLE:
        raise InvalidInput("title", f"Title must be at most {MAX_TITLE} characters")
    return title


def check_text(field: str, text: str, limit: int) -> str:
    check_chars(field, text)
    if len(text) > limit:
        raise InvalidInput(field, f"{field} must be at most {limit} characters")
    return text


def check_image(url: str | None) -> str | None:
    if url is None:
        return None
    url = check_chars("image", url).strip()
    parts = urlsplit(url)
    if (
        len(url) > MAX_IMAGE_URL
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(char.isspace() for char in url)
    ):
        raise InvalidInput("image", "Image must be an http(s) URL")
    return url


def check_tags(tags: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(check_chars("tags", tag).strip() for tag in tags))
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput("tags", f"At most {MAX_TAGS} tags")
    if any(not tag or len(tag) > MAX_TAG for tag in cleaned):
        raise InvalidInput("tags", f"Each tag must be 1 to {MAX_TAG} characters")
    return cleaned


def check_search(search: str | None) -> str | None:
    if search is None or not search.strip():
        return None
    return check_text("search", search.strip(), MAX_SEARCH)


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(name: str | None) -> str | None:
    """An IANA name zoneinfo knows ("Europe/Berlin"); looked up in the list rather
    than opened, so no string reaches the file system."""
    if name is None:
        return None
    if name.strip() not in _zones():
        raise InvalidInput(
            "timeZone", "timeZone must be an IANA time zone name, e.g. Europe/Berlin"
        )
    return name.strip()


def check_capacity(capacity: int | None) -> int | None:
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput("capacity", f"capacity must be between 1 and {MAX_CAPACITY}, or null")
    return capacity


def check_times(columns: Mapping[str, Any]) -> None:
    starts, ends = columns.get("starts_at"), columns.get("ends_at")
    if starts is not None and ends is not None and ends < starts:
        raise InvalidInput("endsAt", "endsAt must not be before startsAt")


def event_columns(given: Mapping[str, Any]) -> dict[str, Any]:
    """Column values for the GraphQL fields in `given` (name -> value). For an update,
    db/events.update_event checks endsAt against the stored startsAt as well."""
    columns: dict[str, Any] = {}
    for field, value in given.items():
        if value is None and field in _REQUIRED:
            raise InvalidInput(field, f"{field} cannot be null")
        columns[_COLUMNS.get(field, field)] = _CHECKS[field](value)
    check_times(columns)
    return columns


def _stored(value: Enum) -> str:
    return str(value.value)


# startsAt arrives parsed and in UTC from the DateTime scalar.
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "title": check_title,
    "description": lambda text: check_text("description", text, MAX_DESCRIPTION),
    "image": check_image,
    "tags": check_tags,
    "location": lambda text: check_text("location", text.strip(), MAX_LOCATION),
    "startsAt": lambda value: value,
    "endsAt": lambda value: value,
    "timeZone": check_time_zone,
    "visibility": _stored,
    "status": _stored,
    "capacity": check_capacity,
}
