"""Which media type a GraphQL response is sent as: the Accept header, negotiated.

The GraphQL-over-HTTP draft (see docs/HTTP.md for the edition) names two response
media types. `application/graphql-response+json` lets the status code say what
happened (400 for a request error); `application/json` is the legacy one, where every
GraphQL response is a 200 so that clients can tell it from an error page of a proxy.

- Each media range's weight (`q`, RFC 9110 section 12.5.1) applies to the types it
  matches; a more specific range overrides a less specific one for a type.
- The highest weight wins. On a tie, `application/graphql-response+json` wins only
  when the client named it: `*/*` and `application/*` (and a missing header) get
  `application/json`, which every client understands, as the draft allows.
- Nothing acceptable (everything at q=0, or only other types): None, answered 406.

A subscription may also stream as `multipart/mixed;subscriptionSpec=1.0` (Apollo's
multipart subscriptions, Strawberry's transport; graph/live_http.py): a client asks
for it in the same Accept header, beside application/json.
"""

from functools import lru_cache

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
SUPPORTED = (GRAPHQL_RESPONSE_JSON, JSON)
# What a response's Content-Type says: the draft asks servers to name the encoding.
CONTENT_TYPES = {media_type: f"{media_type}; charset=utf-8" for media_type in SUPPORTED}

_EXACT, _SUBTYPE_WILDCARD, _ANY = 3, 2, 1


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if accept is None or not accept.strip():
        return JSON
    return _negotiate(accept)


@lru_cache(maxsize=256)  # clients send a handful of distinct headers, again and again
def _negotiate(accept: str) -> str | None:
    # type -> (specificity of the range that set its weight, weight)
    weights: dict[str, tuple[int, float]] = {}
    for media_range in accept.split(","):
        parsed = _parse_range(media_range)
        if parsed is None:
            continue
        name, weight = parsed
        for media_type in SUPPORTED:
            specificity = _specificity(name, media_type)
            if specificity and specificity > weights.get(media_type, (0, 0.0))[0]:
                weights[media_type] = (specificity, weight)
    ranked = [
        (weight, specificity == _EXACT and media_type == GRAPHQL_RESPONSE_JSON, media_type)
        for media_type, (specificity, weight) in weights.items()
        if weight > 0
    ]
    return max(ranked)[2] if ranked else None


def _parse_range(media_range: str) -> tuple[str, float] | None:
    """(type/subtype in lower case, weight), or None for a range that cannot apply."""
    name, *parameters = (part.strip() for part in media_range.split(";"))
    weight = 1.0
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        key, value = key.strip().lower(), value.strip().strip('"').lower()
        if key == "q":
            try:
                weight = float(value)
            except ValueError:
                return None
        elif key == "charset" and value != "utf-8":
            return None  # responses are UTF-8 only
    return name.lower(), weight


def _specificity(media_range: str, media_type: str) -> int:
    if media_range == media_type:
        return _EXACT
    if media_range == "*/*":
        return _ANY
    if media_range.endswith("/*") and media_type.startswith(media_range[:-1]):
        return _SUBTYPE_WILDCARD
    return 0


MULTIPART_MIXED = "multipart/mixed"
# The only boundary Strawberry's multipart subscription transport writes.
_SUBSCRIPTION_BOUNDARY = "graphql"


@lru_cache(maxsize=64)
def accepts_multipart_subscription(accept: str | None) -> bool:
    """Whether Accept names `multipart/mixed` with `subscriptionSpec=1.0` (at a weight
    above 0), the media type of subscriptions streamed over HTTP."""
    for media_range in (accept or "").split(","):
        name, *parameters = (part.strip() for part in media_range.split(";"))
        if name.lower() != MULTIPART_MIXED:
            continue
        values: dict[str, str] = {}
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            values[key.strip().lower()] = value.strip().strip('"')
        try:
            weight = float(values.get("q", "1"))
        except ValueError:
            continue
        if (
            weight > 0
            and values.get("subscriptionspec", "").startswith("1.0")
            and values.get("boundary", _SUBSCRIPTION_BOUNDARY) == _SUBSCRIPTION_BOUNDARY
        ):
            return True
    return False
