"""Permission classes. They raise the precise authentication error (missing, invalid,
expired, revoked token) so clients learn what to do; `message` and
`error_extensions` describe the plain refusal."""

from typing import Any

from strawberry.permission import BasePermission

from auth.account_mail import VERIFY_FIRST
from db.errors import NotFound
from db.ids import parse_id
from graph.context import Info


class IsAuthenticated(BasePermission):
    message = "Not authenticated"
    error_extensions = {"code": "UNAUTHENTICATED"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        await info.context.current_user()  # raises the precise AuthenticationError
        return True


class IsEventOwner(BasePermission):
    """Only the creator may change an event. Runs after IsAuthenticated; expects the
    field's `id` argument."""

    message = "Only the creator of this event can change it"
    error_extensions = {"code": "FORBIDDEN"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        user = await info.context.current_user()
        event_id = parse_id(str(kwargs.get("id", "")))
        event = None if event_id is None else await info.context.loaders.event_by_id.load(event_id)
        if event is None:
            raise NotFound("Event not found")
        return event.creator_id == user.id


class HasVerifiedEmail(BasePermission):
    """With REQUIRE_VERIFIED_EMAIL, users who have not verified their address may sign
    in and read, but not create or join events. Runs after IsAuthenticated; reads the
    user's row only when the setting is on."""

    message = VERIFY_FIRST
    error_extensions = {"code": "FORBIDDEN"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        flows = info.context.services.account_mail
        if flows is None or not flows.settings.require_verified_email:
            return True
        user = await info.context.current_user()
        return await flows.is_verified(user.id)
