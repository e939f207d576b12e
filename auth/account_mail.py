"""The flows that go through the mailbox: password reset, email verification, email
change, and mailed invitations (auth/invite_mail.py). Requests only enqueue a mail job
(db/outbox.py), within the mail limits (auth/mail_limits.py); the sender (mail/) asks
`prepare` what a job's mail should say, which is when its token is minted, so a token
exists only in the mail that carries it. Mails to a user greet them by display name.

A reset request does the same work whatever the address: the limits' locks and
counts and an insert, no account lookup, no bcrypt. Whether the address has an
account is decided by the sender, away from the request, so neither the answer nor its
timing reveals it.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from auth.account_tokens import (
    CHANGE_EMAIL,
    RESET_PASSWORD,
    VERIFY_EMAIL,
    InvalidAccountToken,
    find_account_token_for,
    mint_account_token,
    password_binding,
    use_account_token,
)
from auth.accounts import Accounts, SignedIn
from auth.credentials import check_email, check_password, normalize_email
from auth.errors import TooManyAttempts
from auth.event_policy import closed_for_answers
from auth.invite_mail import EVENT_INVITE_MAIL, invite_data, prepare_invite
from auth.mail_content import MailContent
from auth.mail_limits import LIMIT_WINDOW, limit_wait, lock_limits
from auth.throttle import email_digest
from db.account_tokens import delete_account_tokens, purge_expired_account_tokens
from db.errors import DomainError, FailedPrecondition, Forbidden, InvalidInput, NotFound
from db.events import get_event
from db.login_failures import delete_email_failures
from db.mail_models import MailJob
from db.models import User
from db.outbox import enqueue_mail, purge_finished_mails
from db.users import EmailTaken, UserRecord, get_user, get_user_by_email, get_user_for_update

# Mail kinds (mail/templates.py has one template each).
PASSWORD_RESET_MAIL = "password_reset"  # noqa: S105 (a kind of mail, not a secret)
VERIFY_EMAIL_MAIL = "verify_email"
CHANGE_EMAIL_MAIL = "change_email"
EMAIL_CHANGE_NOTICE_MAIL = "email_change_notice"

VERIFY_FIRST = "Verify your email address first"
EVENT_NOT_FOUND = "Event not found"


class MailDisabled(DomainError):
    """Mail is switched off (MAIL_ENABLED=false): a flow that needs it cannot work,
    and says so rather than pretend."""

    def __init__(self) -> None:
        super().__init__("Mail is switched off on this server; this action needs it")
        self.extensions = {"code": "MAIL_DISABLED"}


class EmailNotVerified(Forbidden):
    def __init__(self) -> None:
        super().__init__(VERIFY_FIRST)


class MailLimitReached(TooManyAttempts):
    """A mail a host asked for (inviteByEmail) is over a mail limit. Unlike the account
    flows, which answer the same whatever happens, a host is told, with when to try
    again (TOO_MANY_REQUESTS, extensions.retryAfter)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.message = (
            "Too many mails to this address, or asked for from this client, in the last "
            f"hour; try again in {retry_after} seconds"
        )
        self.args = (self.message,)


@dataclass(frozen=True)
class AccountMailSettings:
    enabled: bool = True
    reset_ttl: timedelta = timedelta(minutes=30)
    verify_ttl: timedelta = timedelta(hours=48)
    max_per_address_per_hour: int = 5
    max_per_client_per_hour: int = 30
    require_verified_email: bool = False
    # Sent and given-up mails are purged this long after (they served the limits,
    # which look back LIMIT_WINDOW, and operators' questions).
    retention: timedelta = timedelta(days=7)


class AccountMail:
    def __init__(self, accounts: Accounts, settings: AccountMailSettings | None = None) -> None:
        self.accounts = accounts
        self.database = accounts.database
        self.settings = settings or AccountMailSettings()
        # Called after a job is enqueued: wakes this instance's sender (app wiring).
        self.notify: Callable[[], None] = lambda: None

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.accounts.clock

    # -- requests: they only enqueue -----------------------------------------------

    async def request_password_reset(self, email: str, address: str | None) -> None:
        self._require_mail()
        try:
            recipient = check_email(email)
        except InvalidInput:
            return  # nothing can be mailed there; the answer stays the same
        await self._enqueue(PASSWORD_RESET_MAIL, recipient, address)

    async def request_verification(self, user: UserRecord, address: str | None) -> None:
        self._require_mail()
        await self._enqueue(VERIFY_EMAIL_MAIL, user.email, address, user_id=user.id)

    async def after_sign_up(self, user: User, address: str | None) -> None:
        """The verification mail of a new account (none when mail is off). Not limited:
        an address can sign up once, so this cannot flood an inbox."""
        if not self.settings.enabled:
            return
        await self._enqueue(VERIFY_EMAIL_MAIL, user.email, address, user_id=user.id, limit=False)

    async def change_email(
        self, user: UserRecord, new_email: str, password: str, address: str | None
    ) -> None:
        """Checks the password (throttled like signIn), then mails a confirmation link
        to the new address and a notice to the old one. Nothing changes until the link
        is used (verifyEmail)."""
        self._require_mail()
        new = check_email(new_email, field="newEmail")
        checked = await self.accounts._check_own_password(user, password, "password", address)
        async with self.database.write() as session:
            await delete_email_failures(session, checked.attempt.email_digest)
        if new == normalize_email(user.email):
            raise InvalidInput("newEmail", "This is already the account's email address")
        data = {"newEmail": new}
        if await self._enqueue(CHANGE_EMAIL_MAIL, new, address, user_id=user.id, data=data) is None:
            await self._enqueue(
                EMAIL_CHANGE_NOTICE_MAIL, user.email, None, user_id=user.id, data=data, limit=False
            )

    async def invite_by_email(
        self, host: UserRecord, event_id: uuid.UUID, email: str, address: str | None
    ) -> None:
        """Mail a new single-use invite link for the event (the caller has checked that
        `host` is one of its hosts). The link is minted when the mail is written
        (auth/invite_mail.py). Over a mail limit: MailLimitReached, nothing enqueued."""
        self._require_mail()
        recipient = check_email(email)
        async with self.database.read() as session:
            event = await get_event(session, event_id)
        if event is None:  # deleted since the permission check
            raise NotFound(EVENT_NOT_FOUND)
        closed = closed_for_answers(event, self.clock())
        if closed is not None:  # its link could not be used: say so now, not by silence
            raise FailedPrecondition(closed)
        data = invite_data(event_id)
        wait = await self._enqueue(
            EVENT_INVITE_MAIL, recipient, address, user_id=host.id, data=data
        )
        if wait is not None:
            raise MailLimitReached(wait)

    # -- following a link ------------------------------------------------------------

    async def reset_password(self, token: str, new_password: str) -> SignedIn:
        """Set the password, end every session, clear the email's sign-in lock, and
        sign in. The token is checked before bcrypt runs, and used under the user's
        lock after it."""
        check_password(new_password, field="newPassword")
        async with self.database.read() as session:
            await find_account_token_for(session, token, {RESET_PASSWORD}, self.clock())
        new_hash = await self.accounts.hasher.hash(new_password)
        async with self.database.write() as session:
            row = await use_account_token(session, token, {RESET_PASSWORD}, self.clock())
            user = await get_user_for_update(session, row.user_id)
            if user is None or password_binding(user.password_hash) != row.binding:
                raise InvalidAccountToken()  # the password changed since the mail
            user.password_hash = new_hash
            user.email_verified_at = user.email_verified_at or self.clock()  # they read it
            await self.accounts._revoke_everything(session, user)
            await delete_email_failures(session, email_digest(user.email))
            return await self.accounts._signed_in(session, user)

    async def verify_email(self, token: str) -> User:
        """A verification link marks the address verified; an email-change link moves
        the account to the new address (CONFLICT if it was taken meanwhile)."""
        now = self.clock()
        async with self.database.write() as session:
            row = await use_account_token(session, token, {VERIFY_EMAIL, CHANGE_EMAIL}, now)
            user = await get_user_for_update(session, row.user_id)
            if user is None:
                raise InvalidAccountToken()
            if row.purpose == CHANGE_EMAIL:
                await _move_to(session, user, row.binding)
            elif normalize_email(user.email) != row.binding:
                raise InvalidAccountToken()  # the address changed since the mail
            user.email_verified_at = user.email_verified_at or now
            session.add(user)
            await session.flush()
            await delete_account_tokens(session, user.id, VERIFY_EMAIL)
            return user

    async def check_verified(self, user: UserRecord) -> None:
        """EmailNotVerified when REQUIRE_VERIFIED_EMAIL is on and the user has not
        verified their address (a read only when it is on)."""
        if not self.settings.require_verified_email:
            return
        async with self.database.read() as session:
            stored = await get_user(session, user.id)
        if stored is None or stored.email_verified_at is None:
            raise EmailNotVerified()

    async def is_verified(self, user_id: uuid.UUID) -> bool:
        async with self.database.read() as session:
            stored = await get_user(session, user_id)
        return stored is not None and stored.email_verified_at is not None

    # -- the sender's side -------------------------------------------------------------

    async def prepare(
        self, session: AsyncSession, job: MailJob, now: datetime
    ) -> MailContent | None:
        """What `job`'s mail says, its token minted now in the sender's transaction;
        None when there is nothing to send (no such account, the address changed,
        already verified)."""
        if job.kind == EVENT_INVITE_MAIL:
            return await prepare_invite(session, job, now)
        if job.kind == PASSWORD_RESET_MAIL:
            user = await get_user_by_email(session, job.recipient)
            if user is None:
                return None  # no account: nothing is sent, as the request promised nobody
            binding = password_binding(user.password_hash)
            token = await mint_account_token(
                session, RESET_PASSWORD, user.id, binding, now, self.settings.reset_ttl
            )
            minutes = int(self.settings.reset_ttl.total_seconds() // 60)
            values = {"name": user.display_name, "minutes": str(minutes)}
            return MailContent(job.kind, job.recipient, "/reset-password", token, values)
        user = None if job.user_id is None else await get_user(session, job.user_id)
        if user is None:
            return None
        name = user.display_name
        new_email = str(job.data.get("newEmail", ""))
        if job.kind == VERIFY_EMAIL_MAIL:
            if normalize_email(user.email) != job.recipient or user.email_verified_at is not None:
                return None
            token = await mint_account_token(
                session, VERIFY_EMAIL, user.id, job.recipient, now, self.settings.verify_ttl
            )
            return MailContent(job.kind, job.recipient, "/verify-email", token, {"name": name})
        if job.kind == CHANGE_EMAIL_MAIL:
            token = await mint_account_token(
                session, CHANGE_EMAIL, user.id, new_email, now, self.settings.verify_ttl
            )
            values = {"name": name, "new_email": new_email}
            return MailContent(job.kind, job.recipient, "/verify-email", token, values)
        if job.kind == EMAIL_CHANGE_NOTICE_MAIL:
            # The address asked for is the account's own (to be), not another user's.
            values = {"name": name, "new_email": new_email}
            return MailContent(job.kind, job.recipient, "/forgot-password", None, values)
        return None

    async def purge_finished(self) -> tuple[int, int]:
        """Delete expired link tokens, and mails sent or given up longer ago than the
        retention (never less than the limits' window; pending mails stay). Returns
        (tokens, mails) deleted."""
        now = self.clock()
        before = now - max(self.settings.retention, LIMIT_WINDOW)
        async with self.database.write() as session:
            tokens = await purge_expired_account_tokens(session, now)
            mails = await purge_finished_mails(session, before)
        return tokens, mails

    # -- helpers -------------------------------------------------------------------------

    def _require_mail(self) -> None:
        if not self.settings.enabled:
            raise MailDisabled()

    async def _enqueue(
        self,
        kind: str,
        recipient: str,
        address: str | None,
        *,
        user_id: uuid.UUID | None = None,
        data: dict[str, str] | None = None,
        limit: bool = True,
    ) -> int | None:
        """Enqueue, unless the recipient or the client is over its hourly limit: then
        nothing, and the seconds until it is not (the account flows answer the same
        anyway). None when enqueued. The check and the insert are one step under the
        limits' locks (auth/mail_limits.py), so requests at once cannot overshoot."""
        now = self.clock()
        client = (address or "unknown")[:64]
        settings = self.settings
        async with self.database.write() as session:
            if limit:
                await lock_limits(
                    session, sqlite=self.database.is_sqlite, recipient=recipient, client=client
                )
                wait = await limit_wait(
                    session,
                    recipient,
                    client,
                    now,
                    per_address=settings.max_per_address_per_hour,
                    per_client=settings.max_per_client_per_hour,
                )
                if wait is not None:
                    return wait
            await enqueue_mail(
                session, kind, recipient, now, user_id=user_id, data=data, client_address=client
            )
        self.notify()
        return None


async def _move_to(session: AsyncSession, user: User, new_email: str) -> None:
    """Change the address; the unique index decides whether it is still free."""
    if normalize_email(user.email) == new_email:
        return
    user.email = new_email
    user.email_verified_at = None  # verified again just below, by this very link
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise EmailTaken() from error
