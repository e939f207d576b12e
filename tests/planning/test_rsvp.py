"""Answers with capacity and a waitlist: arrival order, promotion whenever a place frees,
closed events, counts, attendee pages, myRsvps and filter.attending."""

import pytest

from tests.client import Account, GraphQLClient, error_of
from tests.planning.helpers import (
    ATTENDEES,
    CANCEL,
    GET,
    LIST,
    MY_RSVPS,
    REMOVE,
    UPDATE,
    create,
    ok,
    rsvp,
)

DELETE_ACCOUNT = 'mutation { deleteAccount(password: "correct horse") }'


async def _status(
    api: GraphQLClient, account: Account, event_id: str
) -> tuple[str, int | None] | None:
    answer = (await ok(api, GET, account, id=event_id))["event"]["viewerRsvp"]
    return None if answer is None else (answer["status"], answer["waitlistPosition"])


async def _line(api: GraphQLClient, host: Account, event_id: str, status: str) -> list[str]:
    data = await ok(api, ATTENDEES, host, id=event_id, status=status, first=100)
    return [edge["node"]["user"]["id"] for edge in data["event"]["attendees"]["edges"]]


async def test_waitlist_in_arrival_order_and_promotion(api: GraphQLClient) -> None:
    host = await api.sign_up()
    people = [await api.sign_up() for _ in range(5)]
    event = await create(api, host, capacity=2)
    answers = [(await rsvp(api, p, event["id"], "GOING"))["data"]["rsvp"] for p in people]
    assert [(a["status"], a["waitlistPosition"]) for a in answers] == [
        ("GOING", None),
        ("GOING", None),
        ("WAITLISTED", 1),
        ("WAITLISTED", 2),
        ("WAITLISTED", 3),
    ]
    assert answers[0]["user"]["id"] == people[0].user_id
    seen = (await ok(api, GET, host, id=event["id"]))["event"]
    assert (seen["attendeeCount"], seen["waitlistCount"]) == (2, 3)
    ids = [p.user_id for p in people]
    assert await _line(api, host, event["id"], "WAITLISTED") == ids[2:]

    # Answering GOING again keeps one's place.
    assert (await rsvp(api, people[3], event["id"], "GOING"))["data"]["rsvp"][
        "waitlistPosition"
    ] == 2
    # A GOING person cancels: the first in line moves up.
    assert (await ok(api, CANCEL, people[0], eventId=event["id"]))["cancelRsvp"] is True
    assert await _status(api, people[2], event["id"]) == ("GOING", None)
    assert await _status(api, people[3], event["id"]) == ("WAITLISTED", 1)
    # A GOING person changes their answer: the next moves up.
    assert (await rsvp(api, people[1], event["id"], "MAYBE"))["data"]["rsvp"]["status"] == "MAYBE"
    assert await _status(api, people[3], event["id"]) == ("GOING", None)
    assert await _status(api, people[4], event["id"]) == ("WAITLISTED", 1)
    # A host removes someone GOING: the next moves up.
    assert (await ok(api, REMOVE, host, eventId=event["id"], userId=people[2].user_id))[
        "removeAttendee"
    ]
    assert await _status(api, people[4], event["id"]) == ("GOING", None)
    assert await _status(api, people[2], event["id"]) is None
    # Nothing left to cancel: false.
    assert (await ok(api, CANCEL, people[2], eventId=event["id"]))["cancelRsvp"] is False


async def test_capacity_changes(api: GraphQLClient) -> None:
    host = await api.sign_up()
    people = [await api.sign_up() for _ in range(5)]
    event = await create(api, host, capacity=2)
    for person in people:
        await rsvp(api, person, event["id"], "GOING")
    body = await api.post(UPDATE, {"id": event["id"], "input": {"capacity": 1}}, token=host.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "capacity"}
    raised = await ok(api, UPDATE, host, id=event["id"], input={"capacity": 3})
    assert (raised["updateEvent"]["attendeeCount"], raised["updateEvent"]["waitlistCount"]) == (
        3,
        2,
    )
    assert await _status(api, people[2], event["id"]) == ("GOING", None)
    assert await _status(api, people[4], event["id"]) == ("WAITLISTED", 2)
    lifted = await ok(api, UPDATE, host, id=event["id"], input={"capacity": None})
    assert (lifted["updateEvent"]["attendeeCount"], lifted["updateEvent"]["waitlistCount"]) == (
        5,
        0,
    )


async def test_deleting_an_account_frees_its_place(api: GraphQLClient) -> None:
    host, first, second = [await api.sign_up() for _ in range(3)]
    event = await create(api, host, capacity=1)
    await rsvp(api, first, event["id"], "GOING")
    await rsvp(api, second, event["id"], "GOING")
    assert await _status(api, second, event["id"]) == ("WAITLISTED", 1)
    assert (await ok(api, DELETE_ACCOUNT, first))["deleteAccount"] is True
    assert await _status(api, second, event["id"]) == ("GOING", None)
    assert await _line(api, host, event["id"], "GOING") == [second.user_id]


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"status": "CANCELLED"}, "cancelled"),
        ({"startsAt": "2020-01-01T10:00:00Z"}, "ended"),
        ({"startsAt": "2020-01-01T10:00:00Z", "endsAt": "2020-01-02T10:00:00Z"}, "ended"),
        ({"status": "DRAFT"}, "draft"),
    ],
)
async def test_closed_events_take_no_new_answers(
    api: GraphQLClient, fields: dict[str, str], word: str
) -> None:
    host, guest = await api.sign_up(), await api.sign_up()
    event = await create(api, host)
    await rsvp(api, guest, event["id"], "GOING")
    await ok(api, UPDATE, host, id=event["id"], input=fields)
    who = host if word == "draft" else guest  # a draft is for its hosts only
    body = await rsvp(api, who, event["id"], "MAYBE")
    error = error_of(body)
    assert error["extensions"] == {"code": "FAILED_PRECONDITION"}
    assert word in error["message"]
    if word != "draft":  # withdrawing is still possible
        assert (await ok(api, CANCEL, guest, eventId=event["id"]))["cancelRsvp"] is True


async def test_an_event_still_running_takes_answers(api: GraphQLClient) -> None:
    host, guest = await api.sign_up(), await api.sign_up()
    event = await create(api, host, startsAt="2020-01-01T10:00:00Z", endsAt="2099-01-01T10:00:00Z")
    assert (await rsvp(api, guest, event["id"], "GOING"))["data"]["rsvp"]["status"] == "GOING"


async def test_attendee_pages_and_counts(api: GraphQLClient) -> None:
    host = await api.sign_up()
    people = [await api.sign_up() for _ in range(5)]
    event = await create(api, host)
    for person in people:
        await rsvp(api, person, event["id"], "GOING")
    await rsvp(api, people[0], event["id"], "DECLINED")
    seen, after = [], None
    while True:
        data = await ok(api, ATTENDEES, people[1], id=event["id"], first=2, after=after)
        page = data["event"]["attendees"]
        assert page["totalCount"] == 4
        seen += [edge["node"]["user"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [p.user_id for p in people[1:]]
    declined = await ok(api, ATTENDEES, people[1], id=event["id"], status="DECLINED")
    assert [e["node"]["user"]["id"] for e in declined["event"]["attendees"]["edges"]] == [
        people[0].user_id
    ]
    body = await api.post(ATTENDEES, {"id": event["id"], "after": "bogus"}, token=host.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_my_rsvps_and_attending(api: GraphQLClient) -> None:
    host, guest = await api.sign_up(), await api.sign_up()
    later = await create(api, host, title="Later", startsAt="2031-02-01T10:00:00Z")
    sooner = await create(api, host, title="Sooner", startsAt="2031-01-01T10:00:00Z")
    undated = await create(api, host, title="Undated")
    declined = await create(api, host, title="Declined", startsAt="2030-01-01T10:00:00Z")
    hidden = await create(api, host, title="Hidden")
    for event in (later, sooner, undated, hidden):
        await rsvp(api, guest, event["id"], "MAYBE")
    await rsvp(api, guest, declined["id"], "DECLINED")
    await ok(api, UPDATE, host, id=hidden["id"], input={"status": "DRAFT"})  # gone for guest

    titles, after = [], None
    while True:
        page = (await ok(api, MY_RSVPS, guest, first=2, after=after))["myRsvps"]
        assert page["totalCount"] == 4
        titles += [edge["node"]["event"]["title"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert titles == ["Declined", "Sooner", "Later", "Undated"]

    attending = await ok(api, LIST, guest, first=10, filter={"attending": True})
    names = sorted(e["node"]["title"] for e in attending["events"]["edges"])
    assert names == ["Later", "Sooner", "Undated"]
    assert attending["events"]["totalCount"] == 3
