"""auth/accounts.py against a real database, without GraphQL."""

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from auth.accounts import Accounts, bearer_token
from auth.errors import InvalidCredentials, InvalidToken, NotAuthenticated
from auth.passwords import PasswordHasher, Verification
from auth.tokens import TokenSettings
from db.engine import Database
from db.errors import InvalidInput
from db.users import EmailTaken, UserRecord, get_user, set_password_hash
from tests import databases


class CountingHasher(PasswordHasher):
    """Real bcrypt; counts the verifications so the dummy check can be seen."""

    def __init__(self) -> None:
        super().__init__(rounds=4)
        self.verifications = 0

    async def verify(self, password: str, stored_hash: str) -> Verification:
        self.verifications += 1
        return await super().verify(password, stored_hash)


@pytest.fixture
async def accounts(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Accounts]:
    database = Database(databases.sqlite_copy(sqlite_template, tmp_path))
    tokens = TokenSettings(secret_key="s" * 40, access_ttl=timedelta(minutes=5))
    yield Accounts(database, CountingHasher(), tokens)
    await database.dispose()


async def test_sign_up_then_authenticate(accounts: Accounts) -> None:
    signed_up = await accounts.sign_up(" Ada@Example.com", "correct horse")
    assert signed_up.user.email == "ada@example.com"
    user = await accounts.authenticate(f"Bearer {signed_up.access.token}")
    assert user.id == signed_up.user.id


async def test_sign_up_twice(accounts: Accounts) -> None:
    await accounts.sign_up("ada@example.com", "correct horse")
    with pytest.raises(EmailTaken):
        await accounts.sign_up("ADA@example.com", "correct horse")


async def test_unknown_email_still_costs_one_verification(accounts: Accounts) -> None:
    hasher = accounts.hasher
    assert isinstance(hasher, CountingHasher)
    await accounts.sign_up("ada@example.com", "correct horse")
    with pytest.raises(InvalidCredentials):
        await accounts.sign_in("bob@example.com", "correct horse")
    assert hasher.verifications == 1
    with pytest.raises(InvalidCredentials):
        await accounts.sign_in("ada@example.com", "wrong horse")
    assert hasher.verifications == 2


def test_bearer_header_parsing() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    with pytest.raises(NotAuthenticated):
        bearer_token(None)
    with pytest.raises(NotAuthenticated):
        bearer_token("  ")
    for value in ("Bearer", "Basic abc", "abc"):
        with pytest.raises(InvalidToken):
            bearer_token(value)


async def test_authenticate_returns_a_plain_record_without_the_password_hash(
    accounts: Accounts,
) -> None:
    signed_up = await accounts.sign_up("ada@example.com", "correct horse")
    user = await accounts.authenticate(f"Bearer {signed_up.access.token}")
    assert isinstance(user, UserRecord)
    assert (user.id, user.email, user.token_version, user.created_at) == (
        signed_up.user.id,
        "ada@example.com",
        signed_up.user.token_version,
        signed_up.user.created_at,
    )
    assert not hasattr(user, "password_hash")


async def test_change_password_refuses_when_the_password_changed_while_bcrypt_ran(
    accounts: Accounts,
) -> None:
    signed_up = await accounts.sign_up("ada@example.com", "correct horse")
    user = await accounts.authenticate(f"Bearer {signed_up.access.token}")
    other_hash = await accounts.hasher.hash("changed elsewhere")
    verify = accounts.hasher.verify

    async def verify_then_change(password: str, stored_hash: str) -> Verification:
        result = await verify(password, stored_hash)
        async with accounts.database.write() as session:  # another request's change
            stored = await get_user(session, user.id)
            assert stored is not None
            await set_password_hash(session, stored, other_hash)
        return result

    accounts.hasher.verify = verify_then_change  # type: ignore[method-assign]
    with pytest.raises(InvalidInput) as refused:
        await accounts.change_password(user, "correct horse", "brand new horse")
    assert refused.value.field == "currentPassword"
    async with accounts.database.read() as session:
        stored = await get_user(session, user.id)
    assert stored is not None and stored.password_hash == other_hash
