"""Creators come right whichever way an event is reached: a page (loaded in one batch),
a single event, a mutation's result (loaded on demand), or a fragment."""

from tests.client import GraphQLClient

EVENT = "query One($id: ID!) { event(id: $id) { id creator { id email displayName } } }"
PAGE_WITH_FRAGMENT = """
query { events(first: 10) { edges { node { ...withCreator } } } }
fragment withCreator on Event { title creator { email displayName } }
"""
PAGE_WITHOUT_CREATOR = "query { events(first: 10) { edges { node { id title } } } }"


async def test_creator_of_a_single_event_and_of_a_created_one(api: GraphQLClient):
    alice = await api.sign_up("alice@example.com")
    bob = await api.sign_up("bob@example.com")
    created = await api.create_event(alice, title="Picnic")
    assert created["creator"] == {"id": alice.user_id, "email": "alice@example.com"}

    body = await api.post(EVENT, {"id": created["id"]}, token=bob.token)

    # Only alice sees her own address (User.email is the user's own).
    creator = body["data"]["event"]["creator"]
    assert creator == {"id": alice.user_id, "email": None, "displayName": creator["displayName"]}
    assert creator["displayName"].startswith("Member ")


async def test_page_creators_through_a_fragment_including_the_viewer(api: GraphQLClient):
    alice = await api.sign_up("alice@example.com")
    bob = await api.sign_up("bob@example.com")
    await api.create_event(alice, title="A")
    await api.create_event(bob, title="B")

    body = await api.post(PAGE_WITH_FRAGMENT, token=bob.token)

    nodes = [edge["node"] for edge in body["data"]["events"]["edges"]]
    assert [node["title"] for node in nodes] == ["B", "A"]
    assert nodes[0]["creator"]["email"] == "bob@example.com"  # the viewer's own
    assert nodes[1]["creator"]["email"] is None
    assert all(node["creator"]["displayName"].startswith("Member ") for node in nodes)


async def test_a_page_without_creators_does_not_load_them(app, api: GraphQLClient):
    from db.statement_count import counted_statements

    alice = await api.sign_up("alice@example.com")
    bob = await api.sign_up("bob@example.com")
    await api.create_event(alice, title="A")

    with counted_statements(app.state.services.database) as statements:
        body = await api.post(PAGE_WITHOUT_CREATOR, token=bob.token)

    assert body["data"]["events"]["edges"][0]["node"]["title"] == "A"
    assert len(statements) == 2, statements  # the viewer and the page, no user batch
