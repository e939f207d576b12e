"""endsAt, timeZone, startsAfter/startsBefore, and STARTS_SOONEST keyset pages (events
without startsAt last), with cursors that belong to one order only."""

import pytest

from tests.client import GraphQLClient, error_of
from tests.planning.helpers import LIST, UPDATE, create, listed_ids, ok


async def test_ends_at_and_time_zone(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    event = await create(
        api,
        ada,
        startsAt="2031-05-01T18:00:00+02:00",
        endsAt="2031-05-01T22:00:00+02:00",
        timeZone="Europe/Berlin",
    )
    assert event["startsAt"] == "2031-05-01T16:00:00+00:00"
    assert event["endsAt"] == "2031-05-01T20:00:00+00:00"
    assert event["timeZone"] == "Europe/Berlin"
    cleared = await ok(api, UPDATE, ada, id=event["id"], input={"timeZone": None, "endsAt": None})
    assert (cleared["updateEvent"]["timeZone"], cleared["updateEvent"]["endsAt"]) == (None, None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"startsAt": "2031-05-01T18:00:00Z", "endsAt": "2031-05-01T17:59:59Z"}, "endsAt"),
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"timeZone": "../../etc/passwd"}, "timeZone"),
        ({"timeZone": ""}, "timeZone"),
        ({"capacity": 0}, "capacity"),
    ],
)
async def test_bad_times_and_zones(api: GraphQLClient, fields: dict[str, str], field: str) -> None:
    ada = await api.sign_up()
    body = await api.post(
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }",
        {"input": {"title": "x", **fields}},
        token=ada.token,
    )
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_an_update_checks_ends_at_against_the_stored_start(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    event = await create(api, ada, startsAt="2031-05-01T18:00:00Z", endsAt="2031-05-01T20:00:00Z")
    body = await api.post(
        UPDATE, {"id": event["id"], "input": {"startsAt": "2031-05-01T21:00:00Z"}}, token=ada.token
    )
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "startsAt"}
    body = await api.post(
        UPDATE, {"id": event["id"], "input": {"endsAt": "2031-05-01T17:00:00Z"}}, token=ada.token
    )
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "endsAt"}


async def test_starts_soonest_pages_with_undated_events_last(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    made = {}
    for day in (5, 1, 3, None, 2, None, 4, 1):
        starts = None if day is None else f"2031-01-0{day}T10:00:00Z"
        made[(await create(api, ada, title=str(day), startsAt=starts))["id"]] = starts
    ids = await listed_ids(api, ada, orderBy="STARTS_SOONEST")
    dated = [ident for ident in ids if made[ident] is not None]
    assert ids[: len(dated)] == dated and len(ids) == 8  # undated ones last
    starts_in_order = [str(made[ident]) for ident in dated]
    assert starts_in_order == sorted(starts_in_order)
    same_day = [ident for ident in dated if made[ident] == "2031-01-01T10:00:00Z"]
    assert same_day == sorted(same_day, key=lambda ident: ident.replace("-", ""))  # then id
    undated = ids[len(dated) :]
    assert undated == sorted(undated, key=lambda ident: ident.replace("-", ""))
    # Every page size covers each event exactly once.
    for first in (1, 2, 5, 8, 9):
        seen, after = [], None
        while True:
            data = await ok(api, LIST, ada, first=first, after=after, orderBy="STARTS_SOONEST")
            seen += [edge["node"]["id"] for edge in data["events"]["edges"]]
            if not data["events"]["pageInfo"]["hasNextPage"]:
                break
            after = data["events"]["pageInfo"]["endCursor"]
        assert seen == ids, first


async def test_a_cursor_of_one_order_is_refused_by_the_other(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    for _ in range(3):
        await create(api, ada, startsAt="2031-01-01T10:00:00Z")
    newest = await ok(api, LIST, ada, first=1)
    soonest = await ok(api, LIST, ada, first=1, orderBy="STARTS_SOONEST")
    for cursor, order in (
        (newest["events"]["pageInfo"]["endCursor"], "STARTS_SOONEST"),
        (soonest["events"]["pageInfo"]["endCursor"], "NEWEST_FIRST"),
    ):
        body = await api.post(
            LIST, {"first": 1, "after": cursor, "orderBy": order}, token=ada.token
        )
        assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
        assert body["data"] is None


async def test_starts_after_and_before(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    for day in (1, 2, 3, None):
        await create(
            api, ada, title=str(day), startsAt=None if day is None else f"2031-01-0{day}T00:00:00Z"
        )
    data = await ok(
        api,
        LIST,
        ada,
        first=10,
        orderBy="STARTS_SOONEST",
        filter={"startsAfter": "2031-01-02T00:00:00Z", "startsBefore": "2031-01-03T00:00:00Z"},
    )
    assert [e["node"]["title"] for e in data["events"]["edges"]] == ["2"]
    assert data["events"]["totalCount"] == 1
    data = await ok(api, LIST, ada, first=10, filter={"startsAfter": "2031-01-02T00:00:00Z"})
    assert sorted(e["node"]["title"] for e in data["events"]["edges"]) == ["2", "3"]
