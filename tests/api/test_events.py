"""Events through the HTTP API: their life, ownership, partial updates, validation."""

from typing import Any

import pytest

from tests.client import Account, GraphQLClient, error_of

EVENT_FIELDS = "id title description image tags location startsAt createdAt updatedAt"
GET = f"query($id: ID!) {{ event(id: $id) {{ {EVENT_FIELDS} creator {{ id email }} }} }}"
UPDATE = f"""mutation($id: ID!, $input: UpdateEventInput!) {{
  updateEvent(id: $id, input: $input) {{ {EVENT_FIELDS} }} }}"""
DELETE = "mutation($id: ID!) { deleteEvent(id: $id) }"
CREATE = (
    f"mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ {EVENT_FIELDS} }} }}"
)


async def update(api: GraphQLClient, account: Account, event_id: str, **input: Any):
    return await api.post(UPDATE, {"id": event_id, "input": input}, token=account.token)


async def test_the_whole_life_of_an_event(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(
        ada,
        title="  Launch party ",
        description="Cake.",
        image="https://example.com/cake.png",
        tags=["party", "work"],
        location="Rooftop",
        startsAt="2030-01-31T19:00:00+01:00",
    )
    assert created["title"] == "Launch party"
    assert created["startsAt"] == "2030-01-31T18:00:00+00:00"
    assert created["creator"]["email"] == ada.email
    assert created["createdAt"] == created["updatedAt"]

    listed = await api.post("{ events { edges { node { id title } } } }", token=ada.token)
    assert [e["node"]["id"] for e in listed["data"]["events"]["edges"]] == [created["id"]]

    body = await update(api, ada, created["id"], title="Launch!", tags=["party"])
    updated = body["data"]["updateEvent"]
    assert updated["title"] == "Launch!"
    assert updated["tags"] == ["party"]
    assert updated["description"] == "Cake." and updated["location"] == "Rooftop"
    assert updated["updatedAt"] > created["updatedAt"]

    fetched = await api.post(GET, {"id": created["id"]}, token=ada.token)
    assert fetched["data"]["event"]["title"] == "Launch!"

    deleted = await api.post(DELETE, {"id": created["id"]}, token=ada.token)
    assert deleted == {"data": {"deleteEvent": created["id"]}}
    gone = await api.post(GET, {"id": created["id"]}, token=ada.token)
    assert gone == {"data": {"event": None}}
    again = await api.post(DELETE, {"id": created["id"]}, token=ada.token)
    assert error_of(again)["extensions"]["code"] == "NOT_FOUND"
    listed = await api.post("{ events { totalCount edges { cursor } } }", token=ada.token)
    assert listed["data"]["events"] == {"totalCount": 0, "edges": []}


async def test_defaults_of_a_new_event(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(ada, title="Minimal")
    assert created["description"] == ""
    assert created["image"] is None
    assert created["tags"] == []
    assert created["location"] == ""
    assert created["startsAt"] is None


async def test_everyone_signed_in_reads_every_public_event(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    created = await api.create_event(ada, title="Ada's")
    fetched = await api.post(GET, {"id": created["id"]}, token=bob.token)
    # Ada's address is hers alone: everyone else reads null.
    assert fetched["data"]["event"]["creator"] == {"id": ada.user_id, "email": None}


async def test_only_the_creator_may_update_or_delete(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    created = await api.create_event(ada, title="Ada's")
    for body in (
        await update(api, bob, created["id"], title="Bob's now"),
        await api.post(DELETE, {"id": created["id"]}, token=bob.token),
    ):
        error = error_of(body)
        assert error["extensions"] == {"code": "FORBIDDEN"}
        assert body["data"] is None
    fetched = await api.post(GET, {"id": created["id"]}, token=ada.token)
    assert fetched["data"]["event"]["title"] == "Ada's"


@pytest.mark.parametrize("event_id", ["00000000-0000-0000-0000-000000000000", "nope", ""])
async def test_unknown_or_malformed_ids(api: GraphQLClient, event_id: str) -> None:
    ada = await api.sign_up()
    for body in (
        await update(api, ada, event_id, title="x"),
        await api.post(DELETE, {"id": event_id}, token=ada.token),
    ):
        assert error_of(body)["extensions"] == {"code": "NOT_FOUND"}
    fetched = await api.post(GET, {"id": event_id}, token=ada.token)
    assert fetched == {"data": {"event": None}}


async def test_partial_update_changes_only_the_given_fields(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(
        ada,
        title="T",
        description="D",
        image="http://example.com/i.png",
        tags=["a"],
        location="L",
        startsAt="2030-01-01T00:00:00Z",
    )
    body = await update(api, ada, created["id"], description="D2")
    event = body["data"]["updateEvent"]
    expected = {**created, "description": "D2", "updatedAt": event["updatedAt"]}
    assert event == {key: expected[key] for key in event}


async def test_explicit_null_clears_image_and_starts_at(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(
        ada, image="https://example.com/i.png", startsAt="2030-01-01T00:00:00Z"
    )
    body = await update(api, ada, created["id"], image=None, startsAt=None)
    event = body["data"]["updateEvent"]
    assert event["image"] is None and event["startsAt"] is None
    assert event["title"] == created["title"]


@pytest.mark.parametrize("field", ["title", "description", "tags", "location"])
async def test_explicit_null_for_a_required_field_is_bad_input(
    api: GraphQLClient, field: str
) -> None:
    ada = await api.sign_up()
    created = await api.create_event(ada, title="Keep me")
    body = await update(api, ada, created["id"], **{field: None})
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    fetched = await api.post(GET, {"id": created["id"]}, token=ada.token)
    assert fetched["data"]["event"]["title"] == "Keep me"


BAD_INPUTS = [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": "ok", "image": "ftp://example.com/i.png"}, "image"),
    ({"title": "ok", "image": "javascript:alert(1)"}, "image"),
    ({"title": "ok", "image": "not a url"}, "image"),
    ({"title": "ok", "tags": [f"t{i}" for i in range(21)]}, "tags"),
    ({"title": "ok", "tags": [""]}, "tags"),
    ({"title": "ok", "description": "d" * 10_001}, "description"),
    ({"title": "ok", "location": "l" * 201}, "location"),
]


@pytest.mark.parametrize(("input", "field"), BAD_INPUTS)
async def test_bad_event_input_is_rejected_and_nothing_is_stored(
    api: GraphQLClient, input: dict[str, Any], field: str
) -> None:
    ada = await api.sign_up()
    body = await api.post(CREATE, {"input": input}, token=ada.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    listed = await api.post("{ events { totalCount } }", token=ada.token)
    assert listed["data"]["events"]["totalCount"] == 0


@pytest.mark.parametrize(("input", "field"), BAD_INPUTS[2:])
async def test_bad_update_input_is_rejected_and_nothing_changes(
    api: GraphQLClient, input: dict[str, Any], field: str
) -> None:
    ada = await api.sign_up()
    created = await api.create_event(ada, title="Before")
    body = await update(api, ada, created["id"], **input)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    fetched = await api.post(GET, {"id": created["id"]}, token=ada.token)
    assert {k: v for k, v in fetched["data"]["event"].items() if k != "creator"} == {
        k: v for k, v in created.items() if k != "creator"
    }


async def test_limits_are_inclusive(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(
        ada, title="x" * 200, tags=[f"t{i}" for i in range(20)], image="http://e.co/i"
    )
    assert len(created["tags"]) == 20


async def test_tags_are_trimmed_and_deduplicated_in_order(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(ada, tags=[" b", "a", "b ", "c"])
    assert created["tags"] == ["b", "a", "c"]


async def test_starts_at_needs_a_time_zone(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    body = await api.post(
        CREATE, {"input": {"title": "x", "startsAt": "2030-01-01T10:00:00"}}, token=ada.token
    )
    assert error_of(body)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
