"""Access tokens: HS256 JWTs made and checked with python-jose, per RFC 8725.

Verification pins the algorithm (so `none` and algorithm swaps fail), requires every
claim we rely on, and checks issuer, audience and token type, so a token minted for
something else is never taken as an access token.

Key rotation: SECRET_KEY signs, previous keys still verify. Every token names its key
in the `kid` header (a fingerprint, not the key), so removing a key from the list
retires its tokens; a token without a known `kid` is invalid.
"""

import functools
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jose import JWTError, jwk, jwt
from jose.backends.base import Key

from auth.errors import InvalidToken, TokenExpired

ALGORITHM = "HS256"
ACCESS_TYPE = "access"
# Every claim we rely on is required. exp is required and compared with the injected
# clock in verify_access_token, as is nbf when present: python-jose would compare them
# with time.time() (and its require_exp turns that comparison back on).
_JOSE_REQUIRED = ("iat", "sub", "jti", "iss", "aud")
_JOSE_OPTIONS = {
    **{f"require_{claim}": True for claim in _JOSE_REQUIRED},
    "verify_exp": False,
    "verify_nbf": False,
}
# Refuse to even parse absurdly large tokens (a header can carry megabytes).
MAX_TOKEN_LENGTH = 8192
# Verified tokens remembered per process (a few hundred bytes each).
VERIFIED_TOKENS_KEPT = 4096


@dataclass(frozen=True)
class TokenSettings:
    secret_key: str
    access_ttl: timedelta = timedelta(minutes=30)
    issuer: str = "planner"
    audience: str = "planner"
    # Keys that verified tokens before the current one took over; never sign.
    previous_keys: tuple[str, ...] = ()

    def verification_keys(self) -> dict[str, str]:
        """kid -> key, for the current key and every previous one."""
        keys = {key_id(key): key for key in self.previous_keys}
        keys[key_id(self.secret_key)] = self.secret_key
        return keys

    @functools.cached_property
    def _verifiers(self) -> dict[str, Key]:
        """kid -> the key as python-jose's HMAC key object, built once: building it
        for every token checked was a third of the check's time."""
        return {kid: jwk.construct(key, ALGORITHM) for kid, key in self.verification_keys().items()}

    def verifier(self, kid: object) -> Key | None:
        return self._verifiers.get(kid) if isinstance(kid, str) else None


def key_id(key: str) -> str:
    """A public name for a key: a truncated SHA-256 of it. Tokens are HMAC-signed with
    the key itself, so this reveals nothing a token does not already."""
    return hashlib.sha256(b"planner-kid:" + key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int  # seconds


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    token_id: str
    version: int
    issued_at: datetime
    expires_at: datetime
    not_before: datetime | None = None  # we never set nbf; honoured if a token has it


def issue_access_token(
    settings: TokenSettings, user_id: uuid.UUID, version: int, now: datetime
) -> IssuedToken:
    expires = now + settings.access_ttl
    claims = {
        "sub": str(user_id),
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": uuid.uuid4().hex,
        "type": ACCESS_TYPE,
        "iss": settings.issuer,
        "aud": settings.audience,
        "ver": version,
    }
    token = jwt.encode(
        claims,
        settings.secret_key,
        algorithm=ALGORITHM,
        headers={"kid": key_id(settings.secret_key)},
    )
    return IssuedToken(token=token, expires_in=int(settings.access_ttl.total_seconds()))


def verify_access_token(settings: TokenSettings, token: str, now: datetime) -> AccessClaims:
    """The claims of a valid access token at `now` (the caller's clock); TokenExpired or
    InvalidToken otherwise."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken()
    claims = _verified(settings, token)
    # Time is checked here, on every use and against the caller's clock, never by
    # python-jose (which reads the system clock) and never remembered: a remembered
    # token may have expired since. python-jose's rule is kept: valid up to and
    # including the second of `exp`, and not before the second of `nbf`.
    second = int(now.timestamp())
    if int(claims.expires_at.timestamp()) < second:
        raise TokenExpired()
    if claims.not_before is not None and int(claims.not_before.timestamp()) > second:
        raise InvalidToken()
    return claims


@functools.lru_cache(maxsize=VERIFIED_TOKENS_KEPT)
def _verified(settings: TokenSettings, token: str) -> AccessClaims:
    """Header, signature and claims but not time, checked once per token string and
    remembered.

    A client sends the same token with every request until it expires, and python-jose
    parses and validates it in full each time: ~2% of the server's work per request in
    the bench. Only tokens that passed are remembered (an exception is not cached);
    whether the user still exists and the token was not revoked is asked of the
    database on every request (auth/accounts.py), and the time above.
    """
    try:
        key = settings.verifier(jwt.get_unverified_header(token).get("kid"))
        if key is None:
            raise InvalidToken()
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=settings.audience,
            issuer=settings.issuer,
            options=_JOSE_OPTIONS,
        )
    except (JWTError, ValueError, TypeError, UnicodeError) as error:
        raise InvalidToken() from error
    return _access_claims(claims)


def _access_claims(claims: dict[str, Any]) -> AccessClaims:
    if claims.get("type") != ACCESS_TYPE:
        raise InvalidToken()
    version = claims.get("ver", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidToken()
    try:
        user_id = uuid.UUID(claims["sub"])
        issued_at = _numeric_date(claims["iat"])
        expires_at = _numeric_date(claims["exp"])
        not_before = None if "nbf" not in claims else _numeric_date(claims["nbf"])
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError) as error:
        raise InvalidToken() from error
    return AccessClaims(
        user_id=user_id,
        token_id=str(claims["jti"]),
        version=version,
        issued_at=issued_at,
        expires_at=expires_at,
        not_before=not_before,
    )


def _numeric_date(value: object) -> datetime:
    """A NumericDate claim (RFC 7519: seconds since the epoch, a JSON number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken()
    return datetime.fromtimestamp(value, UTC)
