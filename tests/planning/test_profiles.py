"""Display names, and User.email for its owner only: wherever a User or an Attendee
appears (events, hosts, attendees, myRsvps), nobody else reads an address."""

import pytest

from tests.client import GraphQLClient, code_of, error_of
from tests.planning.helpers import (
    ADD_HOST,
    ATTENDEES,
    GET,
    MY_RSVPS,
    create,
    ok,
    rsvp,
)

SIGN_UP = """mutation($email: String!, $name: String) {
  signUp(email: $email, password: "correct horse", displayName: $name) {
    accessToken user { id email displayName } } }"""
UPDATE_PROFILE = (
    "mutation($name: String!) { updateProfile(displayName: $name) { id email displayName } }"
)


async def test_sign_up_with_a_name_and_a_default_that_reveals_nothing(api: GraphQLClient) -> None:
    named = await api.post(SIGN_UP, {"email": "ann.lee@example.com", "name": "  Ann Lee "})
    assert named["data"]["signUp"]["user"]["displayName"] == "Ann Lee"
    assert named["data"]["signUp"]["user"]["email"] == "ann.lee@example.com"
    unnamed = await api.post(SIGN_UP, {"email": "bob.secret@example.com"})
    name = unnamed["data"]["signUp"]["user"]["displayName"]
    assert name.startswith("Member ")
    assert "bob" not in name.lower() and "secret" not in name.lower() and "@" not in name


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "tab\tname", "nul\x00"])
async def test_bad_display_names(api: GraphQLClient, name: str) -> None:
    body = await api.post(SIGN_UP, {"email": "x@example.com", "name": name})
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "displayName"}
    account = await api.sign_up()
    body = await api.post(UPDATE_PROFILE, {"name": name}, token=account.token)
    assert error_of(body)["extensions"] == {"code": "BAD_USER_INPUT", "field": "displayName"}


async def test_update_profile(api: GraphQLClient) -> None:
    account = await api.sign_up()
    data = await ok(api, UPDATE_PROFILE, account, name="x" * 60)
    assert data["updateProfile"] == {
        "id": account.user_id,
        "email": account.email,
        "displayName": "x" * 60,
    }
    me = await ok(api, "{ me { displayName email } }", account)
    assert me["me"] == {"displayName": "x" * 60, "email": account.email}
    body = await api.post(UPDATE_PROFILE, {"name": "Nope"})
    assert code_of(body) == "UNAUTHENTICATED"


async def test_other_peoples_email_is_null_everywhere(api: GraphQLClient) -> None:
    host, cohost, guest, viewer = [await api.sign_up() for _ in range(4)]
    event = await create(api, host)
    assert "errors" not in await rsvp(api, cohost, event["id"], "GOING")
    await ok(api, ADD_HOST, host, eventId=event["id"], userId=cohost.user_id)
    assert "errors" not in await rsvp(api, guest, event["id"], "GOING")
    assert "errors" not in await rsvp(api, viewer, event["id"], "MAYBE")

    seen = (await ok(api, GET, viewer, id=event["id"]))["event"]
    assert [h["email"] for h in seen["hosts"]] == [None, None]
    assert [h["id"] for h in seen["hosts"]] == [host.user_id, cohost.user_id]
    going = (await ok(api, ATTENDEES, viewer, id=event["id"]))["event"]["attendees"]
    assert [e["node"]["email"] for e in going["edges"]] == [None, None]
    assert [e["node"]["user"]["email"] for e in going["edges"]] == [None, None]
    assert all(e["node"]["user"]["displayName"] for e in going["edges"])
    listing = """{ events { edges { node { creator { email } hosts { email } } } } }"""
    node = (await ok(api, listing, viewer))["events"]["edges"][0]["node"]
    assert node == {"creator": {"email": None}, "hosts": [{"email": None}, {"email": None}]}
    mine = (await ok(api, MY_RSVPS, viewer))["myRsvps"]["edges"]
    assert [e["node"]["user"]["email"] for e in mine] == [viewer.email]  # their own

    # Hosts, co-hosts included, see attendees' addresses (Attendee.email), not User.email.
    for account in (host, cohost):
        going = (await ok(api, ATTENDEES, account, id=event["id"]))["event"]["attendees"]
        assert [e["node"]["email"] for e in going["edges"]] == [cohost.email, guest.email]
        users = [e["node"]["user"]["email"] for e in going["edges"]]
        assert users == [cohost.email if account is cohost else None, None]
