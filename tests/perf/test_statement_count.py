"""No N+1: listing events with their creators costs the same few statements for any page
size. Counted on the app's engine while the real API answers over HTTP."""

import pytest

from db.statement_count import counted_statements
from tests.client import Account, GraphQLClient

EVENTS_WITH_CREATORS = """
query Events($first: Int) {
  events(first: $first) { edges { node { id title tags creator { displayName } } } }
}"""


async def _seed(api: GraphQLClient, creators: list[Account], events: int) -> None:
    for i in range(events):
        await api.create_event(creators[i % len(creators)], title=f"Event {i}", tags=["t"])


async def _statements_for(app, api: GraphQLClient, viewer: Account, first: int) -> list[str]:
    with counted_statements(app.state.services.database) as statements:
        body = await api.post(EVENTS_WITH_CREATORS, {"first": first}, token=viewer.token)
    assert "errors" not in body, body
    assert len(body["data"]["events"]["edges"]) == first
    assert all(e["node"]["creator"]["displayName"] for e in body["data"]["events"]["edges"])
    return statements


@pytest.mark.parametrize("first", [1, 20, 100])
async def test_events_with_creators_cost_at_most_three_statements(app, api, first):
    creators = [await api.sign_up() for _ in range(7)]
    viewer = await api.sign_up()  # creates nothing: every creator comes from the batch
    await _seed(api, creators, 100)

    statements = await _statements_for(app, api, viewer, first)

    # The viewer (token check), the page of events, one batch of their creators.
    assert len(statements) == 3, statements


async def test_statement_count_is_the_same_for_every_page_size(app, api):
    creators = [await api.sign_up() for _ in range(3)]
    viewer = await api.sign_up()
    await _seed(api, creators, 100)

    counts = {first: len(await _statements_for(app, api, viewer, first)) for first in (1, 20, 100)}

    assert len(set(counts.values())) == 1, counts


PLANNING_PAGE = """
query Events($first: Int) {
  events(first: $first) { edges { node {
    id title hosts { id displayName } attendeeCount waitlistCount
    viewerRsvp { status waitlistPosition } viewerIsHost
  } } }
}"""


async def test_a_planning_page_costs_the_same_for_every_page_size(app, api):
    """hosts, attendeeCount, waitlistCount, viewerRsvp and viewerIsHost: read for the
    whole page at once (schema/planning_facts.py), whatever the number of events."""
    from tests.planning.helpers import ADD_HOST, ok, rsvp

    hosts = [await api.sign_up() for _ in range(3)]
    viewer = await api.sign_up()
    await _seed(api, hosts, 100)
    listing = await api.post("{ events(first: 100) { edges { node { id } } } }", token=viewer.token)
    ids = [edge["node"]["id"] for edge in listing["data"]["events"]["edges"]]
    for event_id in ids[::3]:  # answers on some of them, from the viewer and others
        assert "errors" not in await rsvp(api, viewer, event_id, "GOING")
        assert "errors" not in await rsvp(api, hosts[0], event_id, "MAYBE")
    newest = ids[0]  # on every page: its co-host makes the page read hosts too
    await ok(api, ADD_HOST, hosts[0], eventId=newest, userId=hosts[1].user_id)

    counts = {}
    for first in (1, 20, 100):
        with counted_statements(app.state.services.database) as statements:
            body = await api.post(PLANNING_PAGE, {"first": first}, token=viewer.token)
        assert "errors" not in body, body
        nodes = [edge["node"] for edge in body["data"]["events"]["edges"]]
        assert len(nodes) == first
        assert [h["id"] for h in nodes[0]["hosts"]] == [hosts[0].user_id, hosts[1].user_id]
        assert all(len(node["hosts"]) == 1 for node in nodes[1:])
        counts[first] = len(statements)

    assert len(set(counts.values())) == 1, counts
    # The viewer, the page, the planning facts of the page (counts, the viewer's answer
    # and role, co-host counts), the creators (sole hosts of most events), and the
    # hosts of the events that have co-hosts.
    assert counts[1] == 5, counts
