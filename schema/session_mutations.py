"""Mutations of the token lifecycle: refresh, sign out, change password, delete account.

refreshToken and signOut need no access token: the refresh token is their credential.
The others act on the signed-in user.
"""

import strawberry

from graph.context import Info
from graph.permissions import IsAuthenticated
from schema.mutations import auth_payload
from schema.types import AuthPayload


@strawberry.type
class SessionMutations:
    @strawberry.mutation(
        description="Exchange a refresh token for a new access and refresh token. The token "
        "presented stops working; presenting it again revokes every token descended from "
        "the same sign-in."
    )
    async def refresh_token(self, info: Info, refresh_token: str) -> AuthPayload:
        return auth_payload(await info.context.services.accounts.refresh(refresh_token))

    @strawberry.mutation(
        description="End the session this refresh token belongs to. Always true, also for a "
        "token that is already invalid."
    )
    async def sign_out(self, info: Info, refresh_token: str) -> bool:
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
        "for this one.",
        permission_classes=[IsAuthenticated],
    )
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> AuthPayload:
        context = info.context
        user = await context.current_user()
        return auth_payload(
            await context.services.accounts.change_password(
                user, current_password, new_password, context.client_address
            )
        )

    @strawberry.mutation(
        description="Delete the signed-in user's account and events. Their tokens stop working.",
        permission_classes=[IsAuthenticated],
    )
    async def delete_account(self, info: Info, password: str) -> bool:
        context = info.context
        user = await context.current_user()
        await context.services.accounts.delete_account(user, password, context.client_address)
        return True
