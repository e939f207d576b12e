"""Mutations of the mailed flows: password reset, email verification, email change,
mailed invitations (auth/account_mail.py). Requests answer at once; the mail is sent
by the outbox's sender (mail/)."""

from typing import Annotated

import strawberry

from auth.account_mail import AccountMail, MailDisabled
from graph.context import Info
from graph.permissions import HasVerifiedEmail, IsAuthenticated, IsEventHost
from schema.auth_payload import AuthPayload, auth_payload
from schema.mutations import PASSWORD_RULES
from schema.planning_mutations import EventId, event_uuid
from schema.session_kind import (
    SessionKind,
    check_session_kind,
    session_argument,
    session_payload,
)
from schema.types import User

TOKEN_ARGUMENT = strawberry.argument(
    description="The token of the mailed link: what follows #token= in its URL."
)


def account_mail(info: Info) -> AccountMail:
    flows = info.context.services.account_mail
    if flows is None:
        raise MailDisabled()
    return flows


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description="Always true, whether or not the address has an account; mails a "
        "single-use reset link. At most MAIL_MAX_PER_ADDRESS_PER_HOUR mails per address "
        "(and a limit per client); beyond them still true, and nothing is sent."
    )
    async def request_password_reset(
        self,
        info: Info,
        email: Annotated[
            str,
            strawberry.argument(
                description="The address to mail the link to, if it has an account."
            ),
        ],
    ) -> bool:
        await account_mail(info).request_password_reset(email, info.context.client_address)
        return True

    @strawberry.mutation(
        description="Sets the password, ends every session, signs in. `token` is the "
        "#token= fragment of the mailed link; a used, expired, unknown or superseded one "
        "is refused with BAD_USER_INPUT (field token)."
    )
    async def reset_password(
        self,
        info: Info,
        token: Annotated[str, TOKEN_ARGUMENT],
        new_password: Annotated[
            str, strawberry.argument(description=f"The new password: {PASSWORD_RULES}")
        ],
        session: Annotated[SessionKind | None, session_argument()] = SessionKind.TOKEN,
    ) -> AuthPayload:
        check_session_kind(info, session)
        signed_in = await account_mail(info).reset_password(token, new_password)
        return session_payload(info, auth_payload(signed_in), signed_in, session)

    @strawberry.mutation(
        description="Mails a verification link to the signed-in user's address.",
        permission_classes=[IsAuthenticated],
    )
    async def request_email_verification(self, info: Info) -> bool:
        user = await info.context.current_user()
        await account_mail(info).request_verification(user, info.context.client_address)
        return True

    @strawberry.mutation(
        description="Follows a mailed verification or email-change link (its #token= "
        "fragment): the address is verified, or the account moves to the new address "
        "(CONFLICT if another account took it meanwhile). Needs no access token."
    )
    async def verify_email(self, info: Info, token: Annotated[str, TOKEN_ARGUMENT]) -> User:
        return User.from_row(await account_mail(info).verify_email(token), is_viewer=True)

    @strawberry.mutation(
        description="Mails a confirmation link to the new address; the address changes "
        "when it is confirmed. The password is checked and throttled like signIn.",
        permission_classes=[IsAuthenticated],
    )
    async def change_email(
        self,
        info: Info,
        new_email: Annotated[
            str, strawberry.argument(description="The address to move the account to.")
        ],
        password: Annotated[
            str, strawberry.argument(description="The account's current password.")
        ],
    ) -> bool:
        context = info.context
        user = await context.current_user()
        await account_mail(info).change_email(user, new_email, password, context.client_address)
        return True

    @strawberry.mutation(
        description="Hosts only: mails the address a new single-use invite link for the "
        "event (FRONTEND_URL/invite#token=<code>; the code is what acceptInvite takes). The "
        "mail names the host by display name and the event by title. Answers the same "
        "whether or not the address has an account. A draft, cancelled or ended event: "
        "FAILED_PRECONDITION. Over MAIL_MAX_PER_ADDRESS_PER_HOUR mails to the address, or "
        "the per-client limit: TOO_MANY_REQUESTS with extensions.retryAfter, nothing sent. "
        "Mail switched off: MAIL_DISABLED.",
        permission_classes=[IsAuthenticated, HasVerifiedEmail, IsEventHost],
    )
    async def invite_by_email(
        self,
        info: Info,
        event_id: EventId,
        email: Annotated[
            str, strawberry.argument(description="The address to mail the invitation to.")
        ],
    ) -> bool:
        context = info.context
        host = await context.current_user()
        await account_mail(info).invite_by_email(
            host, event_uuid(event_id), email, context.client_address
        )
        return True
