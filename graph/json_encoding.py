"""One JSON encoder for every response body the GraphQL layer writes, and the decoder
for request bodies.

orjson writes the same JSON as `json.dumps(..., separators=(",", ":"))` several times
faster; for a page of events the encoding is a visible share of a request. Its decoder
is as strict as the text should be: UTF-8 only, no lone UTF-16 surrogate escapes
("\\ud800", which Python's json would turn into a string that cannot be stored), no
NaN or Infinity.
"""

import orjson


def encode_json(data: object) -> bytes:
    return orjson.dumps(data)


def decode_json(data: str | bytes) -> object:
    return orjson.loads(data)
