"""Access tokens made by hand for tests, with python-jose (or byte by byte where jose
refuses). By default each is exactly what the app itself would issue, so a test that
changes one thing is refused for that thing alone."""

import base64
import json
import time
import uuid
from typing import Any

from jose import jwt

from auth.tokens import key_id
from tests.settings import TEST_SECRET

DROP = object()  # a claim value meaning "leave this claim out"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


def claims_for(user_id: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": user_id,
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "type": "access",
        "iss": "planner",
        "aud": "planner",
        "ver": 0,
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not DROP}


def sign(claims: dict[str, Any], key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    # The kid names the app's key whatever key signs, so only the signature differs.
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": key_id(TEST_SECRET)})


def header_for(alg: str) -> str:
    return b64json({"alg": alg, "typ": "JWT", "kid": key_id(TEST_SECRET)})
