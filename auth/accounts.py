"""Account use cases: sign up, sign in, refresh, sign out, change password, delete
account, and who a bearer token belongs to."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth.credentials import check_email, check_password, normalize_email
from auth.errors import (
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidToken,
    NotAuthenticated,
    NotBearer,
    RefreshTokenReused,
    TokenRevoked,
)
from auth.passwords import PasswordHasher
from auth.profiles import check_display_name
from auth.refresh_tokens import (
    DEFAULT_REFRESH_TTL,
    IssuedRefreshToken,
    consume_refresh_token,
    issue_refresh_token,
    lock_token_owner,
)
from auth.throttle import Attempt, SignInThrottle, ThrottleSettings
from auth.tokens import (
    AccessClaims,
    IssuedToken,
    TokenSettings,
    issue_access_token,
    verify_access_token,
)
from db.engine import Database
from db.errors import InvalidInput
from db.events import lock_event, record_deletions_by
from db.hosts import events_co_hosted_by, remove_host
from db.invites import purge_failures as purge_invite_failures
from db.live_changes import REVOKED, UPDATED, record_change
from db.login_failures import delete_email_failures, purge_login_failures
from db.models import User
from db.refresh_tokens import purge_expired_refresh_tokens, revoke_family, revoke_user_tokens
from db.rsvps import events_answered_by, withdraw
from db.types import utc_now
from db.users import (
    UserRecord,
    create_user,
    delete_user,
    find_user_by_id,
    get_user,
    get_user_by_email,
    get_user_for_update,
    set_display_name,
    set_password_hash,
)


@dataclass(frozen=True)
class SignedIn:
    user: User
    access: IssuedToken
    refresh: IssuedRefreshToken


@dataclass(frozen=True)
class CheckedPassword:
    attempt: Attempt
    password_hash: str  # the hash the password was checked against


@dataclass(frozen=True)
class SessionSettings:
    refresh_ttl: timedelta = DEFAULT_REFRESH_TTL
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)


class Accounts:
    def __init__(
        self,
        database: Database,
        hasher: PasswordHasher,
        tokens: TokenSettings,
        clock: Callable[[], datetime] = utc_now,
        sessions: SessionSettings | None = None,
    ) -> None:
        self.database = database
        self.hasher = hasher
        self.tokens = tokens
        self.clock = clock
        self.sessions = sessions or SessionSettings()
        self.throttle = SignInThrottle(database, self.sessions.throttle, clock)

    async def sign_up(self, email: str, password: str, display_name: str | None = None) -> SignedIn:
        normalized = check_email(email)
        check_password(password)
        name = None if display_name is None else check_display_name(display_name)
        password_hash = await self.hasher.hash(password)
        async with self.database.write() as session:
            user = await create_user(session, normalized, password_hash, name)
            return await self._signed_in(session, user)

    async def update_profile(self, user: UserRecord, display_name: str) -> User:
        name = check_display_name(display_name)
        async with self.database.write() as session:
            stored = await set_display_name(session, user.id, name)
        if stored is None:
            raise InvalidToken()
        return stored

    async def sign_in(self, email: str, password: str, address: str | None = None) -> SignedIn:
        """Throttled per email and per client address (auth/throttle.py)."""
        attempt = await self.throttle.begin(email, address)
        user = await self.check_credentials(email, password)
        async with self.database.write() as session:
            stored = await get_user_for_update(session, user.id)
            if stored is None or stored.password_hash != user.password_hash:
                # Deleted, or the password changed while bcrypt ran: what was checked
                # is no longer the password, so the attempt stays a failure.
                raise InvalidCredentials()
            await delete_email_failures(session, attempt.email_digest)
            return await self._signed_in(session, stored)

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
            user.password_hash = verification.new_hash  # what is stored now
        return user

    async def authenticate(self, authorization: str | None) -> UserRecord:
        """The user behind an `Authorization: Bearer <token>` header value."""
        user, _claims = await self.authenticate_session(authorization)
        return user

    async def authenticate_session(
        self, authorization: str | None
    ) -> tuple[UserRecord, AccessClaims]:
        """authenticate, and the token's claims (a socket closes at their expiry)."""
        token = bearer_token(authorization)
        claims = verify_access_token(self.tokens, token, self.clock())
        user = await find_user_by_id(self.database, claims.user_id)
        if user is None:
            raise InvalidToken()
        if claims.version != user.token_version:
            raise TokenRevoked()
        return user, claims

    async def refresh(self, refresh_token: str) -> SignedIn:
        """Exchange a refresh token for a new pair in the same family (rotation)."""
        now = self.clock()
        async with self.database.write() as session:
            rotation = await consume_refresh_token(session, refresh_token, now)
            user = None if rotation.row is None else await get_user(session, rotation.row.user_id)
            if rotation.row is not None and user is not None:
                return await self._signed_in(session, user, rotation.row.family_id)
            reuser = None
            if rotation.user_id is not None:
                reuser = await get_user_for_update(session, rotation.user_id)
            if reuser is not None:
                # A copy of the token is in someone else's hands, and so may be the
                # access tokens issued beside it, which carry no session: every access
                # token issued so far is refused (and open sockets close). Refresh
                # tokens of the user's other sessions stay valid: those devices
                # continue after one refresh.
                await self._revoke_access_tokens(session, reuser)
        # Outside the transaction, so the family's revocation is committed.
        if rotation.reused:
            raise RefreshTokenReused()
        raise InvalidRefreshToken()

    async def sign_out(self, refresh_token: str) -> None:
        """Revoke the token's family. Unknown, expired or revoked tokens: nothing to do."""
        now = self.clock()
        async with self.database.write() as session:
            try:
                row = await lock_token_owner(session, refresh_token, now)
            except InvalidRefreshToken:
                return
            await revoke_family(session, row.family_id, now)

    async def sign_out_everywhere(self, user: UserRecord) -> None:
        async with self.database.write() as session:
            stored = await get_user_for_update(session, user.id)
            if stored is not None:
                await self._revoke_everything(session, stored)

    async def change_password(
        self, user: UserRecord, current_password: str, new_password: str, address: str | None = None
    ) -> SignedIn:
        """Replace the password and end every other session; a fresh pair for this one."""
        check_password(new_password, field="newPassword")
        checked = await self._check_own_password(user, current_password, "currentPassword", address)
        new_hash = await self.hasher.hash(new_password)
        async with self.database.write() as session:
            await delete_email_failures(session, checked.attempt.email_digest)
            stored = await get_user_for_update(session, user.id)
            if stored is None:
                raise InvalidToken()
            if stored.password_hash != checked.password_hash:  # changed while bcrypt ran
                raise InvalidInput("currentPassword", "Incorrect password")
            await set_password_hash(session, stored, new_hash)
            await self._revoke_everything(session, stored)
            return await self._signed_in(session, stored)

    async def delete_account(
        self, user: UserRecord, password: str, address: str | None = None
    ) -> None:
        """Delete the user with their events, answers and refresh tokens; access tokens
        then name a user that is gone and fail. The places they held as GOING go to the
        first in line of each event, and subscribers hear of every answer withdrawn."""
        checked = await self._check_own_password(user, password, "password", address)
        async with self.database.write() as session:
            await delete_email_failures(session, checked.attempt.email_digest)
            await leave_events(session, user.id)
            await record_deletions_by(session, user.id)
            await record_change(session, REVOKED, user_id=user.id)
            await delete_user(session, user.id)

    async def purge_expired(self) -> tuple[int, int]:
        """Delete expired refresh tokens and failures (sign-ins, invite codes) too old
        to count. Returns (tokens, failures) deleted."""
        now = self.clock()
        oldest_counted = now - max(self.sessions.throttle.window, timedelta(minutes=1))
        async with self.database.write() as session:
            tokens = await purge_expired_refresh_tokens(session, now)
            failures = await purge_login_failures(session, oldest_counted)
            failures += await purge_invite_failures(session, oldest_counted)
        return tokens, failures

    async def _check_own_password(
        self, user: UserRecord, password: str, field: str, address: str | None
    ) -> CheckedPassword:
        """A signed-in user's password check; throttled like signIn, because a stolen
        access token must not become a way to guess the password. Returns the hash it
        checked against, which callers compare again under lock before acting."""
        attempt = await self.throttle.begin(user.email, address)
        async with self.database.read() as session:
            stored = await get_user(session, user.id)
        if stored is None:
            raise InvalidToken()
        verification = await self.hasher.verify(password, stored.password_hash)
        if not verification.ok:
            raise InvalidInput(field, "Incorrect password")
        return CheckedPassword(attempt, stored.password_hash)

    async def _revoke_everything(self, session: AsyncSession, user: User) -> None:
        """Every refresh token revoked, every access token issued so far refused."""
        await revoke_user_tokens(session, user.id, self.clock())
        await self._revoke_access_tokens(session, user)

    async def _revoke_access_tokens(self, session: AsyncSession, user: User) -> None:
        """Every access token issued so far refused ("Token revoked")."""
        user.token_version += 1
        session.add(user)
        await session.flush()
        # Open subscriptions of the user close within seconds (docs/LIVE.md).
        await record_change(session, REVOKED, user_id=user.id)

    async def _signed_in(
        self, session: AsyncSession, user: User, family_id: uuid.UUID | None = None
    ) -> SignedIn:
        """A new pair for `user`, whose row the caller has locked (or just created)."""
        now = self.clock()
        refresh = await issue_refresh_token(
            session, user.id, now, self.sessions.refresh_ttl, family_id
        )
        access = issue_access_token(self.tokens, user.id, user.token_version, now)
        return SignedIn(user=user, access=access, refresh=refresh)


async def leave_events(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Before an account goes, take the user out of other people's events: withdraw
    each answer (a GOING place goes to the first in line) and each co-hostship, one
    event at a time under its lock (in id order, so two deletions cannot wait on each
    other). Done here rather than left to the foreign keys' cascade so that each change
    is recorded for subscribers like any other (ATTENDANCE, UPDATED for the hosts)."""
    answered = set(await events_answered_by(session, user_id))
    co_hosted = set(await events_co_hosted_by(session, user_id))
    for event_id in sorted(answered | co_hosted):
        event = await lock_event(session, event_id)
        if event is None:
            continue
        if event_id in answered:
            await withdraw(session, event, user_id)
        if event_id in co_hosted:
            await remove_host(session, event_id, user_id)
            await record_change(session, UPDATED, event_id=event_id)


def bearer_token(authorization: str | None) -> str:
    """The token of a Bearer header value. The scheme is case-insensitive (RFC 7235)."""
    if authorization is None or not authorization.strip():
        raise NotAuthenticated()
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise NotBearer()
    return token
