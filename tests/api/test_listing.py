"""events / User.events: keyset pages, filters, totalCount."""

from typing import Any

import pytest

from tests.client import Account, GraphQLClient, error_of

PAGE = """query($first: Int, $after: String, $filter: EventFilter) {
  events(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id title createdAt creator { email } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def page(api: GraphQLClient, account: Account, **variables: Any) -> dict[str, Any]:
    body = await api.post(PAGE, variables, token=account.token)
    assert "errors" not in body, body
    connection: dict[str, Any] = body["data"]["events"]
    return connection


async def all_ids(api: GraphQLClient, account: Account, first: int, **variables: Any) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        connection = await page(api, account, first=first, after=after, **variables)
        ids += [edge["node"]["id"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return ids
        after = connection["pageInfo"]["endCursor"]
        assert after == connection["edges"][-1]["cursor"]


async def test_paging_through_everything_has_no_duplicates_or_gaps(api: GraphQLClient) -> None:
    users = [await api.sign_up() for _ in range(3)]
    created = [(await api.create_event(users[i % 3], title=f"e{i}"))["id"] for i in range(45)]

    first = await page(api, users[0], first=20)
    assert len(first["edges"]) == 20
    assert first["totalCount"] == 45
    assert first["pageInfo"]["hasNextPage"] is True

    ids = await all_ids(api, users[0], first=20)
    assert ids == list(reversed(created))  # newest first, each once


async def test_order_is_created_at_then_id_descending(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    for i in range(10):
        await api.create_event(ada, title=f"e{i}")
    edges = (await page(api, ada, first=100))["edges"]
    keys = [(edge["node"]["createdAt"], edge["node"]["id"]) for edge in edges]
    assert keys == sorted(keys, reverse=True)


async def test_events_added_between_pages_do_not_shift_the_next_page(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    older = [(await api.create_event(ada, title=f"old{i}"))["id"] for i in range(6)]
    first = await page(api, ada, first=3)
    await api.create_event(ada, title="newer")
    second = await page(api, ada, first=3, after=first["pageInfo"]["endCursor"])
    seen = [edge["node"]["id"] for edge in first["edges"] + second["edges"]]
    assert seen == list(reversed(older))
    assert second["pageInfo"] == {"hasNextPage": False, "endCursor": second["edges"][-1]["cursor"]}


async def test_an_empty_listing(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    assert await page(api, ada) == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }


async def test_first_defaults_to_20_and_null_means_the_default(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    for i in range(25):
        await api.create_event(ada, title=f"e{i}")
    body = await api.post("{ events { edges { cursor } } }", token=ada.token)
    assert len(body["data"]["events"]["edges"]) == 20
    assert len((await page(api, ada, first=None))["edges"]) == 20
    assert len((await page(api, ada, first=100))["edges"]) == 25


@pytest.mark.parametrize("first", [0, -1, 101, 10_000])
async def test_first_outside_1_to_100_is_bad_input(api: GraphQLClient, first: int) -> None:
    ada = await api.sign_up()
    body = await api.post(PAGE, {"first": first}, token=ada.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


@pytest.mark.parametrize(
    "cursor", ["", "garbage", "W10", "WyJ4IiwieSJd", "eyJhIjoxfQ", "!!!!", "WyIyMDMwIiwxXQ"]
)
async def test_bad_cursors_are_bad_input(api: GraphQLClient, cursor: str) -> None:
    ada = await api.sign_up()
    body = await api.post(PAGE, {"after": cursor}, token=ada.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_filter_by_tag(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    music = await api.create_event(ada, title="gig", tags=["music", "night"])
    await api.create_event(ada, title="standup", tags=["work"])
    await api.create_event(ada, title="untagged")
    connection = await page(api, ada, filter={"tag": "music"})
    assert [edge["node"]["id"] for edge in connection["edges"]] == [music["id"]]
    assert connection["totalCount"] == 1
    assert (await page(api, ada, filter={"tag": "nothing"}))["totalCount"] == 0


async def test_filter_by_search_is_case_insensitive_in_title_or_description(
    api: GraphQLClient,
) -> None:
    ada = await api.sign_up()
    in_title = await api.create_event(ada, title="Python Meetup")
    in_description = await api.create_event(ada, title="Talk", description="all about PYTHON")
    await api.create_event(ada, title="Cooking", description="pasta")
    connection = await page(api, ada, filter={"search": "python"})
    assert {edge["node"]["id"] for edge in connection["edges"]} == {
        in_title["id"],
        in_description["id"],
    }
    assert connection["totalCount"] == 2


async def test_search_treats_wildcards_literally(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    percent = await api.create_event(ada, title="100% fun")
    await api.create_event(ada, title="1000 fun")
    await api.create_event(ada, title="a_b")
    found = await page(api, ada, filter={"search": "0%"})
    assert [edge["node"]["id"] for edge in found["edges"]] == [percent["id"]]
    assert (await page(api, ada, filter={"search": "_"}))["totalCount"] == 1


async def test_filter_mine_and_combined_filters(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    adas = await api.create_event(ada, title="Ada party", tags=["party"])
    await api.create_event(ada, title="Ada work", tags=["work"])
    await api.create_event(bob, title="Bob party", tags=["party"])
    mine = await page(api, ada, filter={"mine": True})
    assert mine["totalCount"] == 2
    assert {edge["node"]["creator"]["email"] for edge in mine["edges"]} == {ada.email}
    assert (await page(api, ada, filter={"mine": False}))["totalCount"] == 3
    combined = await page(api, ada, filter={"mine": True, "tag": "party", "search": "ada"})
    assert [edge["node"]["id"] for edge in combined["edges"]] == [adas["id"]]


async def test_filtered_pages_have_no_duplicates_or_gaps(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    tagged = []
    for i in range(17):
        event = await api.create_event(ada, title=f"e{i}", tags=["even"] if i % 2 == 0 else [])
        if i % 2 == 0:
            tagged.append(event["id"])
    assert await all_ids(api, ada, first=4, filter={"tag": "even"}) == list(reversed(tagged))


async def test_user_events_lists_only_that_users_events(api: GraphQLClient) -> None:
    ada, bob = await api.sign_up(), await api.sign_up()
    adas = [(await api.create_event(ada, title=f"a{i}"))["id"] for i in range(5)]
    await api.create_event(bob, title="b")
    query = """query($after: String) { me { events(first: 2, after: $after) {
      totalCount edges { node { id creator { email } } } pageInfo { hasNextPage endCursor } } } }"""
    ids, after = [], None
    while True:
        body = await api.post(query, {"after": after}, token=ada.token)
        connection = body["data"]["me"]["events"]
        assert connection["totalCount"] == 5
        ids += [edge["node"]["id"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert ids == list(reversed(adas))


async def test_event_creator_events_nesting(api: GraphQLClient) -> None:
    ada = await api.sign_up()
    created = await api.create_event(ada, title="nested")
    body = await api.post(
        "query($id: ID!) { event(id: $id) { creator { email events { totalCount } } } }",
        {"id": created["id"]},
        token=ada.token,
    )
    assert body["data"]["event"]["creator"] == {"email": ada.email, "events": {"totalCount": 1}}
