"""Mutations of the token lifecycle: refresh, sign out, change password, delete account.

refreshToken and signOut need no access token: the refresh token is their credential,
given as the argument or, for browser sessions, in the HttpOnly cookie
(graph/browser_sessions.py). The others act on the signed-in user.
"""

from typing import Annotated

import strawberry

from auth.errors import AuthenticationError, InvalidRefreshToken
from graph.context import Info
from graph.permissions import IsAuthenticated
from schema.auth_payload import AuthPayload, auth_payload
from schema.mutations import PASSWORD_RULES, THROTTLED
from schema.session_kind import (
    SessionKind,
    check_session_kind,
    session_argument,
    session_payload,
)


@strawberry.type
class SessionMutations:
    @strawberry.mutation(
        description="Exchange a refresh token for a new access and refresh token. The token "
        "presented stops working; presenting it again revokes every token descended from "
        'the same sign-in (UNAUTHENTICATED "Refresh token reused"). Unknown, expired or '
        'revoked: UNAUTHENTICATED "Invalid refresh token".'
    )
    async def refresh_token(
        self,
        info: Info,
        refresh_token: Annotated[
            str | None,
            strawberry.argument(
                description="The refreshToken of the latest AuthPayload; omit it to use the "
                "browser session's cookie (a POST from an allowed Origin)."
            ),
        ] = None,
        session: Annotated[SessionKind | None, session_argument()] = SessionKind.TOKEN,
    ) -> AuthPayload:
        context = info.context
        check_session_kind(info, session)
        token = refresh_token
        if token is None:
            token = context.refresh_cookie()
            session = SessionKind.BROWSER  # a cookie session stays one
        if token is None:
            raise InvalidRefreshToken()
        try:
            signed_in = await context.services.accounts.refresh(token)
        except AuthenticationError:
            if refresh_token is None:
                context.clear_refresh_cookie()  # it will never work again
            raise
        return session_payload(info, auth_payload(signed_in), signed_in, session)

    @strawberry.mutation(
        description="End the session this refresh token belongs to. Always true, also for a "
        "token that is already invalid."
    )
    async def sign_out(
        self,
        info: Info,
        refresh_token: Annotated[
            str | None,
            strawberry.argument(
                description="The refresh token of the session to end; omit it to end the "
                "browser session of the cookie (and clear it)."
            ),
        ] = None,
    ) -> bool:
        context = info.context
        token = refresh_token if refresh_token is not None else context.refresh_cookie()
        if token is not None:
            await context.services.accounts.sign_out(token)
        context.clear_refresh_cookie()
        return True

    @strawberry.mutation(
        description="End every session of the signed-in user: all refresh tokens are revoked "
        "and all access tokens issued so far stop working.",
        permission_classes=[IsAuthenticated],
    )
    async def sign_out_everywhere(self, info: Info) -> bool:
        user = await info.context.current_user()
        await info.context.services.accounts.sign_out_everywhere(user)
        info.context.clear_refresh_cookie()
        return True

    @strawberry.mutation(
        description="Change the password, end every other session, and return a new pair "
        f"for this one. {THROTTLED}",
        permission_classes=[IsAuthenticated],
    )
    async def change_password(
        self,
        info: Info,
        current_password: Annotated[
            str,
            strawberry.argument(
                description='The password now; wrong: BAD_USER_INPUT "Incorrect password".'
            ),
        ],
        new_password: Annotated[str, strawberry.argument(description=PASSWORD_RULES)],
    ) -> AuthPayload:
        context = info.context
        user = await context.current_user()
        return auth_payload(
            await context.services.accounts.change_password(
                user, current_password, new_password, context.client_address
            )
        )

    @strawberry.mutation(
        description="Delete the signed-in user's account and events. Their tokens stop "
        f"working. {THROTTLED}",
        permission_classes=[IsAuthenticated],
    )
    async def delete_account(
        self,
        info: Info,
        password: Annotated[
            str,
            strawberry.argument(
                description='The account\'s password; wrong: BAD_USER_INPUT "Incorrect password".'
            ),
        ],
    ) -> bool:
        context = info.context
        user = await context.current_user()
        await context.services.accounts.delete_account(user, password, context.client_address)
        return True
