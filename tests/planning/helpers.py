"""Operations of planning together, as a frontend sends them."""

from typing import Any

from tests.client import Account, GraphQLClient

EVENT_FIELDS = """id title visibility status capacity startsAt endsAt timeZone
  attendeeCount waitlistCount viewerIsHost
  hosts { id displayName email }
  viewerRsvp { status waitlistPosition }"""
GET = f"query($id: ID!) {{ event(id: $id) {{ {EVENT_FIELDS} }} }}"
CREATE = (
    f"mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ {EVENT_FIELDS} }} }}"
)
UPDATE = f"""mutation($id: ID!, $input: UpdateEventInput!) {{
  updateEvent(id: $id, input: $input) {{ {EVENT_FIELDS} }} }}"""
DELETE = "mutation($id: ID!) { deleteEvent(id: $id) }"
RSVP = """mutation($eventId: ID!, $response: RsvpResponse!) {
  rsvp(eventId: $eventId, response: $response) {
    status waitlistPosition respondedAt user { id email displayName } event { id }
  } }"""
CANCEL = "mutation($eventId: ID!) { cancelRsvp(eventId: $eventId) }"
REMOVE = (
    "mutation($eventId: ID!, $userId: ID!) { removeAttendee(eventId: $eventId, userId: $userId) }"
)
ADD_HOST = """mutation($eventId: ID!, $userId: ID!) {
  addCoHost(eventId: $eventId, userId: $userId) { id hosts { id } } }"""
REMOVE_HOST = """mutation($eventId: ID!, $userId: ID!) {
  removeCoHost(eventId: $eventId, userId: $userId) { id hosts { id } } }"""
CREATE_LINK = """mutation($eventId: ID!, $maxUses: Int, $hours: Int) {
  createInviteLink(eventId: $eventId, maxUses: $maxUses, expiresInHours: $hours) {
    code link { id maxUses uses expiresAt revoked createdAt } } }"""
REVOKE_LINK = "mutation($id: ID!) { revokeInviteLink(id: $id) }"
ACCEPT = "mutation($code: String!) { acceptInvite(code: $code) { id title } }"
INVITE = (
    "mutation($eventId: ID!, $email: String!) { inviteByEmail(eventId: $eventId, email: $email) }"
)
LINKS = "query($id: ID!) { event(id: $id) { id inviteLinks { id uses maxUses revoked } } }"
LIST = """query($first: Int, $after: String, $filter: EventFilter, $orderBy: EventOrder) {
  events(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount edges { cursor node { id title startsAt } } pageInfo { hasNextPage endCursor }
  } }"""
ATTENDEES = """query($id: ID!, $status: AttendanceStatus, $first: Int, $after: String) {
  event(id: $id) { attendees(status: $status, first: $first, after: $after) {
    totalCount edges { cursor node { status email user { id email displayName } } }
    pageInfo { hasNextPage endCursor } } } }"""
MY_RSVPS = """query($first: Int, $after: String) { myRsvps(first: $first, after: $after) {
  totalCount edges { cursor node { status waitlistPosition event { id title }
  user { id email } } } pageInfo { hasNextPage endCursor } } }"""


async def ok(api: GraphQLClient, query: str, account: Account, **variables: Any) -> Any:
    body = await api.post(query, variables, token=account.token)
    assert "errors" not in body, body
    return body["data"]


async def create(api: GraphQLClient, account: Account, **fields: Any) -> dict[str, Any]:
    data = await ok(api, CREATE, account, input={"title": "An event", **fields})
    event: dict[str, Any] = data["createEvent"]
    return event


async def rsvp(api: GraphQLClient, account: Account, event_id: str, response: str) -> Any:
    return await api.post(RSVP, {"eventId": event_id, "response": response}, token=account.token)


async def invite_code(api: GraphQLClient, host: Account, event_id: str, **args: Any) -> str:
    data = await ok(api, CREATE_LINK, host, eventId=event_id, **args)
    code: str = data["createInviteLink"]["code"]
    return code


async def listed_ids(api: GraphQLClient, account: Account, **variables: Any) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        data = await ok(api, LIST, account, first=3, after=after, **variables)
        page = data["events"]
        ids += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]
