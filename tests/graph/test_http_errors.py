"""graph/http_errors.py: refusals before GraphQL look like GraphQL errors."""

import json

from graph.http_errors import json_error


def test_a_refusal_is_one_graphql_shaped_error_with_its_code() -> None:
    response = json_error(413, "Request body over 10 bytes", "PAYLOAD_TOO_LARGE", limit=10)
    assert response.status_code == 413
    assert response.media_type == "application/json"
    assert json.loads(bytes(response.body)) == {
        "errors": [
            {
                "message": "Request body over 10 bytes",
                "extensions": {"code": "PAYLOAD_TOO_LARGE", "limit": 10},
            }
        ]
    }
