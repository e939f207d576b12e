"""Mutations of the token lifecycle: refresh, sign out, change password, delete account.

refreshToken and signOut need no access token: the refresh token is their credential.
The others act on the signed-in user.
"""

from typing import Annotated

import strawberry

from graph.context import Info
from graph.permissions import IsAuthenticated
from schema.auth_payload import AuthPayload, auth_payload
from schema.mutations import PASSWORD_RULES, THROTTLED


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
            str, strawberry.argument(description="The refreshToken of the latest AuthPayload.")
        ],
    ) -> AuthPayload:
        return auth_payload(await info.context.services.accounts.refresh(refresh_token))

    @strawberry.mutation(
        description="End the session this refresh token belongs to. Always true, also for a "
        "token that is already invalid."
    )
    async def sign_out(
        self,
        info: Info,
        refresh_token: Annotated[
            str, strawberry.argument(description="The refresh token of the session to end.")
        ],
    ) -> bool:
        await info.context.services.accounts.sign_out(refresh_token)
        return True

    @strawberry.mutation(
        description="End every session of the signed-in user: all refresh tokens are revoked "
        "and all access tokens issued so far stop working.",
        permission_classes=[IsAuthenticated],
    )
    async def sign_out_everywhere(self, info: Info) -> bool:
        user = await info.context.current_user()
        await info.context.services.accounts.sign_out_everywhere(user)
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
