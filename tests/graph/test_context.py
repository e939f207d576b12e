"""graph/context.py: who is asking is decided once per Context, and told to the log
only once it is known. (How often a request reads its user, over HTTP, is in
tests/api/test_authorization.py.)"""

import pytest
from fastapi import FastAPI

from auth.errors import InvalidToken, NotAuthenticated
from db.statement_count import counted_statements
from graph.context import Context
from tests.client import GraphQLClient


async def test_the_user_is_known_only_once_asked_for(app: FastAPI, api: GraphQLClient) -> None:
    account = await api.sign_up()
    context = Context(app.state.services, f"Bearer {account.token}")
    assert context.known_user_id() is None  # nothing asked yet
    user = await context.current_user()
    assert str(user.id) == account.user_id
    assert context.known_user_id() == user.id


async def test_a_refusal_is_decided_once_and_leaves_no_user(app: FastAPI) -> None:
    context = Context(app.state.services, "Bearer not-a-token")
    first = None
    for _ in range(2):
        with pytest.raises(InvalidToken) as raised:
            await context.current_user()
        first = first or raised.value
        assert raised.value is first  # the same decision, not a second check
    assert context.known_user_id() is None


async def test_no_header_is_not_authenticated(app: FastAPI) -> None:
    with pytest.raises(NotAuthenticated):
        await Context(app.state.services, None).current_user()


async def test_the_signed_in_user_is_primed_in_the_user_loader(
    app: FastAPI, api: GraphQLClient
) -> None:
    account = await api.sign_up()
    context = Context(app.state.services, f"Bearer {account.token}")
    user = await context.current_user()
    with counted_statements(app.state.services.database) as statements:
        assert await context.loaders.user_by_id.load(user.id) is user
    assert statements == []
