"""What an event is in planning (hosts, counts, the viewer's answer and role), as plain
values for a page, or as loads through the request's dataloaders for one event.

Why: an events page selecting hosts, attendeeCount, waitlistCount, viewerRsvp and
viewerIsHost costed 2.9x the plain page (bench target 8, limit 1.4x) when each was an
async resolver awaiting its dataloader: five resolver calls, five loads and their
futures and tasks per event, a hundred a page. The page's resolver now reads the
facts the query selects in one connection, one batch statement each (the same db/
functions the dataloaders run, so the statement count stays flat), and each Event
holds them as plain attributes. Everywhere else (one event, a mutation's result) the
attributes hold Deferred loads through the dataloaders, which graphql-core awaits as
it would an async resolver's result. No library internals: a plain value or an
awaitable is what a default resolver may return.
"""

import uuid
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from db.hosts import hosts_of_events
from db.models import Event as EventRow
from db.planning_facts import planning_facts
from db.rsvps import Answer
from db.users import UserRecord
from graph.context import Info
from schema.creators import preload_users, selects

if TYPE_CHECKING:
    from schema.planning_types import Rsvp
    from schema.types import User

T = TypeVar("T")


class Deferred(Generic[T]):
    """An awaitable that starts its load only when awaited, and afresh each time (a
    field selected twice awaits it twice; the dataloader's cache makes that free)."""

    __slots__ = ("_start",)

    def __init__(self, start: Callable[[], Awaitable[T]]) -> None:
        self._start = start

    def __await__(self) -> Generator[Any, None, T]:
        return self._start().__await__()


class PlanningFacts(NamedTuple):
    """Each a value, or a Deferred that loads it."""

    hosts: "list[User] | Deferred[list[User]]"
    attendee_count: int | Deferred[int]
    waitlist_count: int | Deferred[int]
    viewer_rsvp: "Rsvp | Deferred[Rsvp | None] | None"
    viewer_is_host: bool | Deferred[bool]


def _user_type() -> "type[User]":
    from schema.types import User

    return User


def _rsvp(answer: Answer | None) -> "Rsvp | None":
    from schema.planning_types import Rsvp

    return None if answer is None else Rsvp.from_answer(answer)


def loading_facts(info: Info, event_id: uuid.UUID) -> PlanningFacts:
    """One event's facts, each loaded (batched per request) only if the query asks."""
    loaders = info.context.loaders

    async def hosts() -> "list[User]":
        user = _user_type()
        return [user.from_row(row) for row in await loaders.hosts.load(event_id) or []]

    async def count(index: int) -> int:
        return ((await loaders.counts.load(event_id)) or (0, 0))[index]

    async def viewer_rsvp() -> "Rsvp | None":
        return _rsvp(await loaders.viewer_answer.load(event_id))

    async def viewer_is_host() -> bool:
        access = await loaders.event_access.load(event_id)
        return access is not None and access.is_host

    return PlanningFacts(
        Deferred(hosts),
        Deferred(lambda: count(0)),
        Deferred(lambda: count(1)),
        Deferred(viewer_rsvp),
        Deferred(viewer_is_host),
    )


_NODE = ("edges", "node")
_FIELDS = ("hosts", "attendeeCount", "waitlistCount", "viewerRsvp", "viewerIsHost")


def selected_facts(info: Info) -> set[str]:
    """Which planning fields of a page's events the query selects (fragments too)."""
    selections = info.selected_fields[0].selections
    return {name for name in _FIELDS if selects(selections, (*_NODE, name))}


async def page_facts(
    info: Info, rows: Sequence[EventRow], wanted: set[str]
) -> dict[uuid.UUID, PlanningFacts]:
    """The `wanted` facts of a page's events, read at once; the rest stay Deferred.

    One statement for all but the hosts (db/planning_facts.py); hosts are the creator
    (through the request's user loader, which the page's creators share) and, only for
    the events that have co-hosts, one more statement."""
    user = _user_type()
    event_ids = [row.id for row in rows]
    viewer_id = (await info.context.current_user()).id if _needs_viewer(wanted) else None
    async with info.context.services.database.connect() as connection:
        facts = await planning_facts(connection, viewer_id, event_ids)
        shared = [ident for ident in event_ids if ident in facts and facts[ident].co_hosts]
        hosted = await hosts_of_events(connection, shared) if "hosts" in wanted and shared else {}
    creators = await _creators(info, rows) if "hosts" in wanted else {}
    found: dict[uuid.UUID, PlanningFacts] = {}
    for row in rows:
        ident = row.id
        known = facts.get(ident)
        creator = [creators[row.creator_id]] if row.creator_id in creators else []
        hosts = hosted.get(ident) or creator
        read = PlanningFacts(
            [user.from_row(host) for host in hosts],
            known.going if known else 0,
            known.waitlisted if known else 0,
            _rsvp(known.viewer_answer if known else None),
            bool(known and known.viewer_is_host),
        )
        if len(wanted) < len(_FIELDS) or known is None:  # the rest stays a load
            loading = loading_facts(info, ident)
            read = PlanningFacts._make(
                value if name in wanted and known is not None else load
                for name, value, load in zip(_FIELDS, read, loading, strict=True)
            )
        found[ident] = read
    return found


async def _creators(info: Info, rows: Sequence[EventRow]) -> dict[uuid.UUID, UserRecord]:
    """The page's creators through the request's user loader (primed for Event.creator)."""
    loader = info.context.loaders.user_by_id
    ids = list(dict.fromkeys(row.creator_id for row in rows))
    if info.context.services.preload_creators:
        return await preload_users(loader, ids)
    loaded = await loader.load_many(ids)
    return {
        ident: user for ident, user in zip(ids, loaded, strict=True) if isinstance(user, UserRecord)
    }


def _needs_viewer(wanted: set[str]) -> bool:
    return bool({"viewerRsvp", "viewerIsHost"} & wanted)
