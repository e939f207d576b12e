"""The bench's REST twin of the events query, added to the app by bench/apps.py.

`make bench` compares GraphQL against it (target 1): it verifies the same token, runs the same SQL
statements (user, page of events, their creators) in the same sessions, and returns the
same JSON as `events(first: N) { edges { node { id title tags creator { email } } } }`.
"""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from auth.errors import AuthenticationError
from db.events import EventCriteria, list_events
from db.users import UserRecord, users_by_ids
from graph.json_encoding import encode_json
from graph.services import Services

BENCH_EVENTS_PATH = "/bench/events"


def rest_twin_router(services: Services) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    database = services.database

    @router.get(BENCH_EVENTS_PATH)
    async def bench_events(request: Request, first: int = 20) -> Response:
        try:
            viewer = await services.accounts.authenticate(request.headers.get("authorization"))
        except AuthenticationError as error:
            return Response(f'{{"error":"{error.message}"}}', 401, media_type="application/json")
        async with database.read() as session:
            criteria = EventCriteria(viewer_id=viewer.id)
            page = await list_events(session, criteria, max(1, min(first, 100)), None)
        # As the GraphQL dataloader: the viewer is already known, the rest in one query.
        known: dict[uuid.UUID, UserRecord] = {viewer.id: viewer}
        missing = list(
            dict.fromkeys(e.creator_id for e in page.events if e.creator_id not in known)
        )
        if missing:
            async with database.connect() as connection:
                known.update(await users_by_ids(connection, missing))
        edges: list[dict[str, Any]] = [
            {
                "node": {
                    "id": str(event.id),
                    "title": event.title,
                    "tags": list(event.tags),
                    "creator": {"displayName": known[event.creator_id].display_name},
                }
            }
            for event in page.events
        ]
        body = encode_json({"data": {"events": {"edges": edges}}})
        return Response(body, media_type="application/json")

    return router
