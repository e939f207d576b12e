"""DateTime: ISO 8601 with a time zone in, UTC out."""

from datetime import UTC, datetime

import strawberry


def _serialize(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _parse(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError("DateTime must be ISO 8601, e.g. 2030-01-31T18:00:00Z") from error
    if parsed.tzinfo is None:
        raise ValueError("DateTime needs a time zone, e.g. 2030-01-31T18:00:00Z")
    return parsed.astimezone(UTC)


DateTime = strawberry.scalar(
    name="DateTime",
    description="An ISO 8601 date and time with a time zone; always UTC on output.",
    serialize=_serialize,
    parse_value=_parse,
)
