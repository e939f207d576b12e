"""graph/http_errors.py: refusals before GraphQL look like GraphQL errors, in the
media type the client negotiated."""

import json

import pytest

from graph.http_errors import json_error
from graph.media_types import GRAPHQL_RESPONSE_JSON, JSON


def test_a_refusal_is_one_graphql_shaped_error_with_its_code() -> None:
    response = json_error(413, "Request body over 10 bytes", "PAYLOAD_TOO_LARGE", limit=10)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    assert json.loads(bytes(response.body)) == {
        "errors": [
            {
                "message": "Request body over 10 bytes",
                "extensions": {"code": "PAYLOAD_TOO_LARGE", "limit": 10},
            }
        ]
    }


@pytest.mark.parametrize(
    ("negotiated", "content_type"),
    [
        (GRAPHQL_RESPONSE_JSON, "application/graphql-response+json; charset=utf-8"),
        (JSON, "application/json; charset=utf-8"),
        (None, "application/json; charset=utf-8"),  # neither accepted: JSON all the same
    ],
)
def test_the_refusal_comes_in_the_negotiated_type(
    negotiated: str | None, content_type: str
) -> None:
    response = json_error(406, "Not acceptable", "NOT_ACCEPTABLE", media_type=negotiated)
    assert response.headers["content-type"] == content_type
    assert response.headers["vary"] == "Accept"
