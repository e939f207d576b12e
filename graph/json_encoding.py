"""One JSON encoder for every response body the GraphQL layer writes."""

import json


def encode_json(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()
