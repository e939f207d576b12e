"""Account use cases: sign up, sign in, and who a bearer token belongs to."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from auth.credentials import check_email, check_password, normalize_email
from auth.errors import InvalidCredentials, InvalidToken, NotAuthenticated, TokenRevoked
from auth.passwords import PasswordHasher
from auth.tokens import IssuedToken, TokenSettings, issue_access_token, verify_access_token
from db.engine import Database
from db.models import User
from db.types import utc_now
from db.users import create_user, get_user, get_user_by_email, set_password_hash


@dataclass(frozen=True)
class SignedIn:
    user: User
    access: IssuedToken


class Accounts:
    def __init__(
        self,
        database: Database,
        hasher: PasswordHasher,
        tokens: TokenSettings,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.hasher = hasher
        self.tokens = tokens
        self.clock = clock

    async def sign_up(self, email: str, password: str) -> SignedIn:
        normalized = check_email(email)
        check_password(password)
        password_hash = await self.hasher.hash(password)
        async with self.database.write() as session:
            user = await create_user(session, normalized, password_hash)
        return self._signed_in(user)

    async def sign_in(self, email: str, password: str) -> SignedIn:
        user = await self.check_credentials(email, password)
        return self._signed_in(user)

    async def check_credentials(self, email: str, password: str) -> User:
        """The user these credentials belong to, or InvalidCredentials.

        An unknown email still costs one bcrypt verification (against a dummy hash),
        so response time does not reveal which emails have accounts.
        """
        async with self.database.read() as session:
            user = await get_user_by_email(session, normalize_email(email))
        if user is None:
            await self.hasher.verify_dummy(password)
            raise InvalidCredentials()
        verification = await self.hasher.verify(password, user.password_hash)
        if not verification.ok:
            raise InvalidCredentials()
        if verification.new_hash is not None:
            async with self.database.write() as session:
                stored = await get_user(session, user.id)
                if stored is not None:
                    await set_password_hash(session, stored, verification.new_hash)
        return user

    async def authenticate(self, authorization: str | None) -> User:
        """The user behind an `Authorization: Bearer <token>` header value."""
        token = bearer_token(authorization)
        claims = verify_access_token(self.tokens, token)
        async with self.database.read() as session:
            user = await get_user(session, claims.user_id)
        if user is None:
            raise InvalidToken()
        if claims.version != user.token_version:
            raise TokenRevoked()
        return user

    def _signed_in(self, user: User) -> SignedIn:
        access = issue_access_token(self.tokens, user.id, user.token_version, self.clock())
        return SignedIn(user=user, access=access)


def bearer_token(authorization: str | None) -> str:
    """The token of a Bearer header value. The scheme is case-insensitive (RFC 7235)."""
    if authorization is None or not authorization.strip():
        raise NotAuthenticated()
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise InvalidToken()
    return token
