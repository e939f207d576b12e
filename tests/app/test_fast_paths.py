"""app/fast_paths.py: every speed-up gives exactly the stock path's answers, and one
whose library internals are missing is switched off at startup with one warning.

The key queries run against two apps on one database, one with every speed-up and one
with every fallback forced (the stock path), and their responses must be the same.
"""

import logging
from collections.abc import Callable
from typing import Any

import aiosqlite
import pytest
from sqlalchemy.types import TypeEngine
from strawberry.dataloader import DataLoader
from strawberry.schema.schema_converter import GraphQLCoreConverter

from app.fast_paths import FastPaths, checked_fast_paths
from app.settings import Settings
from main import create_app
from tests.client import GraphQLClient, client_of

KEY_QUERIES = [
    "{ me { id email createdAt } }",
    """{ events(first: 20) {
        edges { cursor node { id title description image tags location startsAt createdAt
                              updatedAt creator { id email createdAt } } }
        pageInfo { hasNextPage endCursor } totalCount } }""",
    "{ events(first: 3) { edges { node { title creator { email } } } } }",
    """query Aliased { a: events(first: 2) { edges { n: node { ...E } } }
                      b: events(first: 2, filter: {tag: "t1"}) { edges { node { ...E } } } }
       fragment E on Event { id who: creator { email } again: creator { id } }""",
    "{ events(first: 5) { edges { node { title creator @include(if: false) { email } } } } }",
    "{ me { events(first: 10) { edges { node { title creator { email } } } } } }",
    '{ event(id: "00000000-0000-0000-0000-000000000000") { id } }',
    "{ events(first: 0) { edges { node { id } } } }",
    """{ events(first: 20) { edges { node { id hosts { id displayName email }
        attendeeCount waitlistCount viewerIsHost viewerRsvp { status waitlistPosition }
        creator { displayName } } } } }""",
]


async def test_the_key_queries_answer_the_same_with_every_fallback_forced(
    settings: Settings,
) -> None:
    async with client_of(create_app(settings)) as http:
        api = GraphQLClient(http)
        people = [await api.sign_up() for _ in range(3)]
        for i in range(25):
            fields: dict[str, Any] = {"title": f"Event {i}", "tags": [f"t{i % 2}"]}
            await api.create_event(people[i % 3], **fields)
        fast = [await api.post(query, token=people[0].token) for query in KEY_QUERIES]
    async with client_of(create_app(settings, fast_paths=FastPaths.none())) as http:
        api = GraphQLClient(http)
        stock = [await api.post(query, token=people[0].token) for query in KEY_QUERIES]

    assert stock == fast
    assert len(fast[1]["data"]["events"]["edges"]) == 20
    assert fast[6] == {"data": {"event": None}}
    assert fast[7]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_mutation_returning_its_creator_answers_the_same(settings: Settings) -> None:
    answers = []
    for number, fast_paths in enumerate((FastPaths(), FastPaths.none())):
        async with client_of(create_app(settings, fast_paths=fast_paths)) as http:
            api = GraphQLClient(http)
            owner = await api.sign_up(f"owner{number}@example.com")
            created = await api.create_event(owner, title="Mine", tags=["a"])
            body = await api.post(
                """mutation($id: ID!) { updateEvent(id: $id, input: {title: "Renamed"}) {
                       title tags creator { email } } }""",
                {"id": created["id"]},
                token=owner.token,
            )
            answers.append(body["data"]["updateEvent"]["title"])
            assert body["data"]["updateEvent"]["creator"]["email"] == owner.email
    assert answers == ["Renamed", "Renamed"]


# Each speed-up, and a library change that takes away what it relies on.
def _without_cursor_execute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(aiosqlite.Cursor, "_execute")


def _without_prime_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(DataLoader, "prime_many")


def _without_dialect_impl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(TypeEngine, "dialect_impl")


def _without_definition_backref(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(GraphQLCoreConverter, "DEFINITION_BACKREF")


MOVED_INTERNALS: list[tuple[str, Callable[[pytest.MonkeyPatch], None]]] = [
    ("sqlite_merged_handoffs", _without_cursor_execute),
    ("preloaded_creators", _without_prime_many),
    ("sqlite_loop_reader", _without_dialect_impl),
    ("lean_execution", _without_definition_backref),
]


@pytest.mark.parametrize(("name", "move"), MOVED_INTERNALS, ids=[n for n, _ in MOVED_INTERNALS])
def test_a_speed_up_whose_internals_moved_is_switched_off_with_one_warning(
    name: str,
    move: Callable[[pytest.MonkeyPatch], None],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert checked_fast_paths(FastPaths()) == FastPaths()  # all there today
    move(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="planner.fast_paths"):
        checked = checked_fast_paths(FastPaths())
    assert getattr(checked, name) is False
    others = {n for n, _ in MOVED_INTERNALS} - {name}
    assert all(getattr(checked, other) for other in others)
    warnings = [r for r in caplog.records if r.name == "planner.fast_paths"]
    assert len(warnings) == 1
    assert name in warnings[0].getMessage()
    # What it falls back to is the stock path, which the tests above compare.
