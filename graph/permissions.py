"""Permission classes. They raise the precise authentication error (missing, invalid,
expired, revoked token) so clients learn what to do; `message` and
`error_extensions` describe the plain refusal.

The event rules are decided by auth/event_policy.py on the facts the request's
event_access loader reads (one statement for a whole page). A class finds its event in
the field's `eventId` or `id` argument, or else in the object the field belongs to
(Event, Attendee). An event the viewer may not see does not exist for them: CanSeeEvent
refuses with exactly the unknown-id answer, and the host and creator checks do the same
before they refuse with FORBIDDEN.
"""

import uuid
from typing import Any

from strawberry.permission import BasePermission, PermissionExtension

from auth.account_mail import VERIFY_FIRST
from auth.event_policy import can_see_event, is_event_creator, is_event_host
from db.errors import NotFound
from db.event_access import EventAccess
from db.ids import parse_id
from graph.context import Info

EVENT_NOT_FOUND = "Event not found"


class IsAuthenticated(BasePermission):
    message = "Not authenticated"
    error_extensions = {"code": "UNAUTHENTICATED"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        await info.context.current_user()  # raises the precise AuthenticationError
        return True


def _event_id(source: Any, kwargs: dict[str, Any]) -> uuid.UUID | None:
    for name in ("event_id", "id"):
        if name in kwargs:
            return parse_id(str(kwargs[name]))
    ident = getattr(source, "event_key", None)
    return ident if isinstance(ident, uuid.UUID) else None


async def event_access(source: Any, info: Info, kwargs: dict[str, Any]) -> EventAccess:
    """The viewer's access to the event the field names; NotFound (as for an unknown
    id) when there is none they may see."""
    await info.context.current_user()
    event_id = _event_id(source, kwargs)
    access = None if event_id is None else await info.context.loaders.event_access.load(event_id)
    if access is None or not can_see_event(access):
        raise NotFound(EVENT_NOT_FOUND)
    return access


class CanSeeEvent(BasePermission):
    """The event exists for the viewer: visible by its status and visibility."""

    message = EVENT_NOT_FOUND
    error_extensions = {"code": "NOT_FOUND"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        await event_access(source, info, kwargs)
        return True


class IsEventHost(BasePermission):
    """The creator or a co-host: may update the event, manage its invite links, see
    attendee emails and remove attendees."""

    message = "Only the hosts of this event can do this"
    error_extensions = {"code": "FORBIDDEN"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return is_event_host(await event_access(source, info, kwargs))


class IsEventCreator(BasePermission):
    """The creator alone deletes the event and changes its hosts."""

    message = "Only the creator of this event can do this"
    error_extensions = {"code": "FORBIDDEN"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return is_event_creator(await event_access(source, info, kwargs))


class IsSelf(BasePermission):
    """A field of a User only that user sees (email; later emailVerified). Used with
    fail_silently: everyone else reads null. Synchronous: by the time a User is
    resolved the request's viewer is known (or the User says it is the viewer's own,
    as in the payload of signUp and signIn, which carry no token yet)."""

    message = "Only the user themselves can see this"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if getattr(source, "is_viewer", False):
            return True
        viewer = info.context.known_user_id()
        return viewer is not None and getattr(source, "row_id", None) == viewer


class IsHostOfSourceEvent(BasePermission):
    """Like IsEventHost for a field of an object tied to an event (Attendee.email),
    used with fail_silently: non-hosts read null rather than an error."""

    message = "Only the hosts of this event can see this"
    error_extensions = {"code": "FORBIDDEN"}

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        event_id = getattr(source, "event_key", None)
        if not isinstance(event_id, uuid.UUID):
            return False
        access = await info.context.loaders.event_access.load(event_id)
        return access is not None and is_event_host(access)


def only_self() -> PermissionExtension:
    return PermissionExtension(permissions=[IsSelf()], use_directives=False, fail_silently=True)


def only_hosts_else_null() -> PermissionExtension:
    return PermissionExtension(
        permissions=[IsHostOfSourceEvent()], use_directives=False, fail_silently=True
    )


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
