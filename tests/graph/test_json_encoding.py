"""graph/json_encoding.py: compact JSON out; in, only what can be stored as text."""

import json

import pytest

from graph.json_encoding import decode_json, encode_json


def test_encoding_is_compact_json() -> None:
    data = {"data": {"events": [{"title": "Café ☕", "tags": [], "n": 1, "x": None}]}}
    assert encode_json(data) == json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def test_decoding_accepts_text_and_bytes() -> None:
    assert decode_json('{"query": "{ me { id } }"}') == {"query": "{ me { id } }"}
    assert decode_json(b'{"a": "\\u00e9"}') == {"a": "é"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "\\ud800"}',  # a lone surrogate escape: not storable text
        b'{"n": NaN}',
        b'{"n": Infinity}',
        b'{"title": "\xff"}',  # not UTF-8
        b'{"a": 1,}',
    ],
)
def test_decoding_refuses_what_is_not_strict_json(body: bytes) -> None:
    with pytest.raises(ValueError):
        decode_json(body)
