"""A page reads its events' planning facts at once (schema/planning_facts.py); one event
loads them through the request's dataloaders. Both must say the same thing, for every
viewer, whichever of the fields a query selects."""

from typing import Any

from tests.client import Account, GraphQLClient
from tests.planning.helpers import ADD_HOST, EVENT_FIELDS, GET, create, ok, rsvp

PAGE = f"query {{ events(first: 50) {{ edges {{ node {{ {EVENT_FIELDS} }} }} }} }}"
SOME = """query { events(first: 50) { edges { node { id
  ...Counts
  ... on Event { hosts { id displayName } }
} } } }
fragment Counts on Event { attendeeCount viewerIsHost }"""


async def _world(api: GraphQLClient) -> tuple[list[Account], list[str]]:
    """Events with and without co-hosts, capacity, GOING, MAYBE and a waitlist."""
    ada, bob, cy, dee = [await api.sign_up() for _ in range(4)]
    shared = (await create(api, ada, title="Shared", capacity=1))["id"]
    await ok(api, ADD_HOST, ada, eventId=shared, userId=bob.user_id)
    await ok(api, ADD_HOST, ada, eventId=shared, userId=cy.user_id)
    alone = (await create(api, bob, title="Alone"))["id"]
    empty = (await create(api, cy, title="Empty", capacity=3))["id"]
    for person, event_id, answer in [
        (dee, shared, "GOING"),
        (ada, shared, "GOING"),  # waitlisted: 1
        (bob, alone, "MAYBE"),
        (dee, alone, "GOING"),
        (cy, alone, "GOING"),
    ]:
        assert "errors" not in await rsvp(api, person, event_id, answer)
    return [ada, bob, cy, dee], [shared, alone, empty]


async def test_a_page_says_what_each_event_says_alone(api: GraphQLClient) -> None:
    people, event_ids = await _world(api)
    for viewer in people:
        nodes = {
            edge["node"]["id"]: edge["node"]
            for edge in (await ok(api, PAGE, viewer))["events"]["edges"]
        }
        assert set(event_ids) <= set(nodes)
        for event_id in event_ids:
            alone = (await ok(api, GET, viewer, id=event_id))["event"]
            assert nodes[event_id] == alone, (viewer.email, event_id)


async def test_the_facts_are_the_ones_planned(api: GraphQLClient) -> None:
    (ada, bob, cy, _dee), (shared, alone, empty) = await _world(api)
    nodes = {e["node"]["id"]: e["node"] for e in (await ok(api, PAGE, ada))["events"]["edges"]}

    def facts(node: dict[str, Any]) -> tuple[Any, ...]:
        rsvp_ = node["viewerRsvp"]
        answer = None if rsvp_ is None else (rsvp_["status"], rsvp_["waitlistPosition"])
        hosts = [h["id"] for h in node["hosts"]]
        return hosts, node["attendeeCount"], node["waitlistCount"], node["viewerIsHost"], answer

    assert facts(nodes[shared]) == (
        [ada.user_id, bob.user_id, cy.user_id],
        1,
        1,
        True,
        ("WAITLISTED", 1),
    )
    assert facts(nodes[alone]) == ([bob.user_id], 2, 0, False, None)
    assert facts(nodes[empty]) == ([cy.user_id], 0, 0, False, None)


async def test_fields_selected_through_fragments_or_not_at_all(api: GraphQLClient) -> None:
    (ada, bob, cy, _dee), (shared, alone, _empty) = await _world(api)
    nodes = {e["node"]["id"]: e["node"] for e in (await ok(api, SOME, bob))["events"]["edges"]}

    assert set(nodes[shared]) == {"id", "attendeeCount", "viewerIsHost", "hosts"}
    assert (nodes[shared]["attendeeCount"], nodes[shared]["viewerIsHost"]) == (1, True)
    assert [h["id"] for h in nodes[shared]["hosts"]] == [ada.user_id, bob.user_id, cy.user_id]
    assert all(h["displayName"] for h in nodes[shared]["hosts"])
    assert (nodes[alone]["attendeeCount"], nodes[alone]["viewerIsHost"]) == (2, True)
