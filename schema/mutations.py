"""The Mutation root: accounts (open) and events (signed in; changes by the creator)."""

import dataclasses
from typing import Any

import strawberry

from auth.accounts import SignedIn
from db.errors import NotFound
from db.events import create_event, delete_event, update_event
from db.ids import parse_id
from graph.context import Info
from graph.permissions import IsAuthenticated, IsEventOwner
from schema.event_values import event_columns
from schema.inputs import CreateEventInput, UpdateEventInput
from schema.types import AuthPayload, Event, User


def auth_payload(signed_in: SignedIn) -> AuthPayload:
    return AuthPayload(
        access_token=signed_in.access.token,
        token_type="bearer",  # noqa: S106 (a token type, not a secret)
        expires_in=signed_in.access.expires_in,
        user=User.from_row(signed_in.user),
        refresh_token=signed_in.refresh.token,
        refresh_expires_in=signed_in.refresh.expires_in,
    )


def _given_fields(data: object) -> dict[str, Any]:
    """GraphQL name -> value of the input fields the client actually sent."""
    names = {"starts_at": "startsAt"}
    return {
        names.get(field.name, field.name): getattr(data, field.name)
        for field in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, field.name) is not strawberry.UNSET
    }


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create an account and sign in.")
    async def sign_up(self, info: Info, email: str, password: str) -> AuthPayload:
        return auth_payload(await info.context.services.accounts.sign_up(email, password))

    @strawberry.mutation(description="Sign in with email and password.")
    async def sign_in(self, info: Info, email: str, password: str) -> AuthPayload:
        accounts, address = info.context.services.accounts, info.context.client_address
        return auth_payload(await accounts.sign_in(email, password, address))

    @strawberry.mutation(permission_classes=[IsAuthenticated])
    async def create_event(self, info: Info, input: CreateEventInput) -> Event:
        columns = event_columns(_given_fields(input))
        user = await info.context.current_user()
        async with info.context.services.database.write() as session:
            row = await create_event(session, user.id, columns)
        return Event.loading_creator(row, info)

    @strawberry.mutation(permission_classes=[IsAuthenticated, IsEventOwner])
    async def update_event(self, info: Info, id: strawberry.ID, input: UpdateEventInput) -> Event:
        columns = event_columns(_given_fields(input))
        event_id = parse_id(id)
        async with info.context.services.database.write() as session:
            row = None if event_id is None else await update_event(session, event_id, columns)
        if row is None:  # deleted since the permission check
            raise NotFound("Event not found")
        return Event.loading_creator(row, info)

    @strawberry.mutation(
        description="Returns the id of the deleted event.",
        permission_classes=[IsAuthenticated, IsEventOwner],
    )
    async def delete_event(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        event_id = parse_id(id)
        async with info.context.services.database.write() as session:
            deleted = event_id is not None and await delete_event(session, event_id)
        if not deleted:
            raise NotFound("Event not found")
        return id
