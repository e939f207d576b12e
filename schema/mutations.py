"""The Mutation root: accounts (open) and events (signed in; changes by the creator)."""

import dataclasses
from typing import Annotated, Any

import strawberry

from auth.credentials import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from auth.throttle import ThrottleSettings
from db.errors import NotFound
from db.events import create_event, delete_event, update_event
from db.ids import parse_id
from graph.context import Info
from graph.permissions import (
    EVENT_NOT_FOUND,
    HasVerifiedEmail,
    IsAuthenticated,
    IsEventCreator,
    IsEventHost,
)
from schema.auth_payload import AuthPayload, auth_payload
from schema.event_values import event_columns
from schema.inputs import CreateEventInput, UpdateEventInput
from schema.session_kind import (
    SessionKind,
    check_session_kind,
    session_argument,
    session_payload,
)
from schema.types import Event


def _given_fields(data: object) -> dict[str, Any]:
    """GraphQL name -> value of the input fields the client actually sent."""
    names = {"starts_at": "startsAt", "ends_at": "endsAt", "time_zone": "timeZone"}
    return {
        names.get(field.name, field.name): getattr(data, field.name)
        for field in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, field.name) is not strawberry.UNSET
    }


_THROTTLE = ThrottleSettings()
THROTTLED = (
    "Password checks are throttled (signIn, changePassword, deleteAccount): after "
    f"{_THROTTLE.max_failures} wrong passwords for an email within "
    f"{int(_THROTTLE.window.total_seconds()) // 60} minutes, or "
    f"{_THROTTLE.address_max_failures_per_minute} from one address within a minute (unless "
    "configured otherwise), TOO_MANY_REQUESTS with extensions.retryAfter in seconds."
)
_EMAIL_RULES = (
    f"A valid address of up to {MAX_EMAIL_LENGTH} characters; trimmed and lower-cased, "
    "so case does not matter."
)
PASSWORD_RULES = (
    f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters, all of them count; no "
    "composition rules."
)
EventId = Annotated[
    strawberry.ID,
    strawberry.argument(description="The event's id; one that names no event: NOT_FOUND."),
]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create an account and sign in; a verification link is mailed to the "
        "address. An email that already has an account: "
        'CONFLICT "An account with this email already exists"; a rule broken: '
        "BAD_USER_INPUT naming the argument."
    )
    async def sign_up(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description=_EMAIL_RULES)],
        password: Annotated[str, strawberry.argument(description=PASSWORD_RULES)],
        display_name: Annotated[
            str | None,
            strawberry.argument(
                description="1 to 60 characters after trimming; never derived from the "
                'email: without one the user is "Member" and six hex digits of their id.'
            ),
        ] = None,
        session: Annotated[SessionKind | None, session_argument()] = SessionKind.TOKEN,
    ) -> AuthPayload:
        check_session_kind(info, session)
        services = info.context.services
        signed_in = await services.accounts.sign_up(email, password, display_name)
        if services.account_mail is not None:  # the verification mail
            await services.account_mail.after_sign_up(signed_in.user, info.context.client_address)
        return session_payload(info, auth_payload(signed_in), signed_in, session)

    @strawberry.mutation(
        description="Sign in with email and password. Wrong or unknown: UNAUTHENTICATED "
        f'"Incorrect email or password". {THROTTLED}'
    )
    async def sign_in(
        self,
        info: Info,
        email: Annotated[
            str, strawberry.argument(description="The account's email; case does not matter.")
        ],
        password: Annotated[str, strawberry.argument(description="The account's password.")],
        session: Annotated[SessionKind | None, session_argument()] = SessionKind.TOKEN,
    ) -> AuthPayload:
        check_session_kind(info, session)
        accounts, address = info.context.services.accounts, info.context.client_address
        signed_in = await accounts.sign_in(email, password, address)
        return session_payload(info, auth_payload(signed_in), signed_in, session)

    @strawberry.mutation(
        description="Create an event; the signed-in user becomes its creator. A rule of the "
        "input broken: BAD_USER_INPUT naming the input field. With REQUIRE_VERIFIED_EMAIL, "
        'an unverified user: FORBIDDEN "Verify your email address first".',
        permission_classes=[IsAuthenticated, HasVerifiedEmail],
    )
    async def create_event(
        self,
        info: Info,
        input: Annotated[CreateEventInput, strawberry.argument(description="The new event.")],
    ) -> Event:
        columns = event_columns(_given_fields(input))
        user = await info.context.current_user()
        async with info.context.services.database.write() as session:
            row = await create_event(session, user.id, columns)
        return Event.loading_creator(row, info)

    @strawberry.mutation(
        description="Change an event; only its hosts may (FORBIDDEN for anyone else who can "
        "see it). Returns the event as changed. A rule of the input broken: BAD_USER_INPUT "
        "naming the input field.",
        permission_classes=[IsAuthenticated, IsEventHost],
    )
    async def update_event(
        self,
        info: Info,
        id: EventId,
        input: Annotated[
            UpdateEventInput, strawberry.argument(description="The fields to change.")
        ],
    ) -> Event:
        columns = event_columns(_given_fields(input))
        event_id = parse_id(id)
        async with info.context.services.database.write() as session:
            row = None if event_id is None else await update_event(session, event_id, columns)
        if row is None:  # deleted since the permission check
            raise NotFound(EVENT_NOT_FOUND)
        return Event.loading_creator(row, info)

    @strawberry.mutation(
        description="Delete an event; only its creator may (FORBIDDEN for anyone else who "
        "can see it). Returns the id of the deleted event; its answers, hosts and invite "
        "links go with it.",
        permission_classes=[IsAuthenticated, IsEventCreator],
    )
    async def delete_event(self, info: Info, id: EventId) -> strawberry.ID:
        event_id = parse_id(id)
        async with info.context.services.database.write() as session:
            deleted = event_id is not None and await delete_event(session, event_id)
        if not deleted:
            raise NotFound(EVENT_NOT_FOUND)
        return id
