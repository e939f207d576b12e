"""Accept negotiation (graph/media_types.py), header by header."""

import pytest

from graph.media_types import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_multipart_subscription,
    negotiate,
)

GR = GRAPHQL_RESPONSE_JSON


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        # No header, or a wildcard: application/json, which every client reads.
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        # Named: that one.
        (GR, GR),
        (JSON, JSON),
        (f"{GR}; charset=utf-8", GR),
        ("Application/GraphQL-Response+JSON", GR),
        # What Apollo Client 4 and the draft recommend.
        (f"{GR},{JSON};q=0.9", GR),
        (f"{GR}, {JSON};q=0.9", GR),
        # q-values decide, whatever the order.
        (f"{JSON}, {GR};q=0.5", JSON),
        (f"{GR};q=0.5, {JSON}", JSON),
        (f"{JSON};q=0.1, {GR};q=0.2", GR),
        # A tie between two named types goes to the new one.
        (f"{JSON}, {GR}", GR),
        # A named type with a weight beats a wildcard's weight only by its own q.
        (f"{GR};q=0.5, */*", JSON),
        (f"*/*;q=0.1, {GR}", GR),
        # A more specific range overrides a wildcard for its type, q=0 excludes.
        (f"*/*, {JSON};q=0", GR),
        (f"{GR};q=0, */*", JSON),
        ("text/html, */*;q=0.8", JSON),
        # Neither acceptable.
        ("text/html", None),
        ("text/*", None),
        ("application/xml, image/png", None),
        (f"{JSON};q=0, {GR};q=0", None),
        ("*/*;q=0", None),
        # Responses are UTF-8 only.
        (f"{JSON}; charset=iso-8859-1", None),
        (f"{JSON}; charset=iso-8859-1, {GR}", GR),
        # A malformed weight makes that range not apply; the others still do.
        (f"{GR};q=high, {JSON}", JSON),
    ],
)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        # Apollo Client 4's HttpLink for a subscription, and Strawberry's own test form.
        (f"multipart/mixed;boundary=graphql;subscriptionSpec=1.0,{GR},{JSON};q=0.9", True),
        (f'multipart/mixed;boundary="graphql";subscriptionSpec="1.0",{JSON}', True),
        ("multipart/mixed; subscriptionSpec=1.0", True),
        (f"{JSON}, Multipart/Mixed;SubscriptionSpec=1.0", True),
        # Not asked for: JSON only, incremental delivery (@defer), another boundary,
        # a weight of 0, a malformed weight.
        (None, False),
        (JSON, False),
        ("multipart/mixed;deferSpec=20220824", False),
        ("multipart/mixed;boundary=-;subscriptionSpec=1.0", False),
        ("multipart/mixed;subscriptionSpec=1.0;q=0", False),
        ("multipart/mixed;subscriptionSpec=1.0;q=x", False),
    ],
)
def test_accepts_multipart_subscription(accept: str | None, expected: bool) -> None:
    assert accepts_multipart_subscription(accept) is expected
