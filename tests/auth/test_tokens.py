"""auth/tokens.py without HTTP: what a valid token holds and what is refused."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from jose import jwt

from auth.errors import InvalidToken, TokenExpired
from auth.tokens import TokenSettings, issue_access_token, key_id, verify_access_token

SETTINGS = TokenSettings(secret_key="k" * 40, access_ttl=timedelta(minutes=30))
# Tokens are checked against the caller's clock, not the system's: any moment will do.
NOW = datetime(2030, 1, 31, 18, 0, tzinfo=UTC)


def issued_claims() -> dict[str, object]:
    return jwt.get_unverified_claims(issue_access_token(SETTINGS, uuid.uuid4(), 0, NOW).token)


def signed(claims: dict[str, object]) -> str:
    """`claims` signed as SETTINGS would sign them."""
    key = SETTINGS.secret_key
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": key_id(key)})


def test_issued_token_round_trip() -> None:
    user_id = uuid.uuid4()
    issued = issue_access_token(SETTINGS, user_id, version=3, now=NOW)
    assert issued.expires_in == 1800
    claims = verify_access_token(SETTINGS, issued.token, NOW)
    assert claims.user_id == user_id and claims.version == 3
    assert claims.expires_at - claims.issued_at == timedelta(minutes=30)
    header = jwt.get_unverified_header(issued.token)
    assert header["alg"] == "HS256"
    raw = jwt.get_unverified_claims(issued.token)
    assert raw["type"] == "access" and raw["iss"] == "planner" and raw["aud"] == "planner"
    assert set(raw) >= {"sub", "iat", "exp", "jti"}


def test_each_token_has_its_own_id() -> None:
    user_id = uuid.uuid4()
    first = issue_access_token(SETTINGS, user_id, 0, NOW).token
    second = issue_access_token(SETTINGS, user_id, 0, NOW).token
    assert (
        verify_access_token(SETTINGS, first, NOW).token_id
        != verify_access_token(SETTINGS, second, NOW).token_id
    )


def test_a_remembered_token_still_expires() -> None:
    """Verified tokens are remembered (auth/tokens.py); expiry is checked on every use,
    against the clock passed in: valid up to and including the second of `exp`."""
    issued = issue_access_token(SETTINGS, uuid.uuid4(), 0, NOW)
    first = verify_access_token(SETTINGS, issued.token, NOW)
    last_second = NOW + SETTINGS.access_ttl + timedelta(microseconds=999_999)
    assert verify_access_token(SETTINGS, issued.token, last_second) == first
    with pytest.raises(TokenExpired):
        verify_access_token(
            SETTINGS, issued.token, NOW + SETTINGS.access_ttl + timedelta(seconds=1)
        )
    # ... and the refusal is not remembered either: the clock decides each time.
    assert verify_access_token(SETTINGS, issued.token, NOW) == first


def test_expired() -> None:
    issued = issue_access_token(SETTINGS, uuid.uuid4(), 0, NOW - timedelta(hours=1))
    with pytest.raises(TokenExpired):
        verify_access_token(SETTINGS, issued.token, NOW)


def test_not_valid_before_its_nbf() -> None:
    token = signed({**issued_claims(), "nbf": int(NOW.timestamp()) + 60})
    with pytest.raises(InvalidToken):
        verify_access_token(SETTINGS, token, NOW + timedelta(seconds=59))
    assert verify_access_token(SETTINGS, token, NOW + timedelta(seconds=60)).not_before is not None


@pytest.mark.parametrize(
    "other",
    [
        TokenSettings(secret_key="z" * 40),
        TokenSettings(secret_key="k" * 40, issuer="elsewhere"),
        TokenSettings(secret_key="k" * 40, audience="elsewhere"),
    ],
)
def test_refused_under_other_settings(other: TokenSettings) -> None:
    issued = issue_access_token(SETTINGS, uuid.uuid4(), 0, NOW)
    with pytest.raises(InvalidToken):
        verify_access_token(other, issued.token, NOW)


def test_oversized_tokens_are_refused_unparsed() -> None:
    with pytest.raises(InvalidToken):
        verify_access_token(SETTINGS, "a" * 100_000, NOW)


@pytest.mark.parametrize("exp", [None, "1900000000", True, 1.9e9], ids=str)
def test_exp_must_be_a_numeric_date(exp: object) -> None:
    """python-jose no longer checks exp (it would read the system clock): we do."""
    claims = {**issued_claims(), "exp": exp}
    if exp is None:
        del claims["exp"]
    token = signed(claims)
    if isinstance(exp, float):  # a JSON number need not be an integer
        assert verify_access_token(SETTINGS, token, NOW).expires_at.timestamp() == exp
        return
    with pytest.raises(InvalidToken):
        verify_access_token(SETTINGS, token, NOW)
