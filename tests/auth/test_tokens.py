"""auth/tokens.py without HTTP: what a valid token holds and what is refused."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from jose import jwt

from auth.errors import InvalidToken, TokenExpired
from auth.tokens import TokenSettings, issue_access_token, verify_access_token

SETTINGS = TokenSettings(secret_key="k" * 40, access_ttl=timedelta(minutes=30))


def test_issued_token_round_trip() -> None:
    user_id = uuid.uuid4()
    now = datetime.now(UTC)
    issued = issue_access_token(SETTINGS, user_id, version=3, now=now)
    assert issued.expires_in == 1800
    claims = verify_access_token(SETTINGS, issued.token)
    assert claims.user_id == user_id and claims.version == 3
    assert claims.expires_at - claims.issued_at == timedelta(minutes=30)
    header = jwt.get_unverified_header(issued.token)
    assert header["alg"] == "HS256"
    raw = jwt.get_unverified_claims(issued.token)
    assert raw["type"] == "access" and raw["iss"] == "planner" and raw["aud"] == "planner"
    assert set(raw) >= {"sub", "iat", "exp", "jti"}


def test_each_token_has_its_own_id() -> None:
    now, user_id = datetime.now(UTC), uuid.uuid4()
    first = issue_access_token(SETTINGS, user_id, 0, now).token
    second = issue_access_token(SETTINGS, user_id, 0, now).token
    assert (
        verify_access_token(SETTINGS, first).token_id
        != verify_access_token(SETTINGS, second).token_id
    )


def test_a_remembered_token_still_expires() -> None:
    """Verified tokens are remembered (auth/tokens.py); expiry is checked on every use."""
    ttl = timedelta(seconds=2)
    settings = TokenSettings(secret_key="k" * 40, access_ttl=ttl)
    issued = issue_access_token(settings, uuid.uuid4(), 0, datetime.now(UTC))
    first = verify_access_token(settings, issued.token)
    assert verify_access_token(settings, issued.token) == first
    time.sleep(max(0.0, first.expires_at.timestamp() + 1.05 - time.time()))
    with pytest.raises(TokenExpired):
        verify_access_token(settings, issued.token)


def test_expired() -> None:
    issued = issue_access_token(SETTINGS, uuid.uuid4(), 0, datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(TokenExpired):
        verify_access_token(SETTINGS, issued.token)


@pytest.mark.parametrize(
    "other",
    [
        TokenSettings(secret_key="z" * 40),
        TokenSettings(secret_key="k" * 40, issuer="elsewhere"),
        TokenSettings(secret_key="k" * 40, audience="elsewhere"),
    ],
)
def test_refused_under_other_settings(other: TokenSettings) -> None:
    issued = issue_access_token(SETTINGS, uuid.uuid4(), 0, datetime.now(UTC))
    with pytest.raises(InvalidToken):
        verify_access_token(other, issued.token)


def test_oversized_tokens_are_refused_unparsed() -> None:
    with pytest.raises(InvalidToken):
        verify_access_token(SETTINGS, "a" * 100_000)
