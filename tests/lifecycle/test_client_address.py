"""Which address a failed sign-in counts against: X-Forwarded-For only from a
trusted proxy (FORWARDED_ALLOW_IPS)."""

from typing import Any

from fastapi import FastAPI

from tests.lifecycle.conftest import Serve
from tests.lifecycle.session_client import SessionClient, error_of
from tests.lifecycle.throttle_helpers import recorded_addresses

PROXY = ("127.0.0.1", 40000)
STRANGER = ("127.0.0.5", 40000)


def code(body: dict[str, Any]) -> str:
    return str(error_of(body)["extensions"]["code"])


async def wrong_sign_in(
    api: SessionClient, n: int, forwarded_for: str | None = None
) -> dict[str, Any]:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    return await api.sign_in(f"guess{n}@example.com", "password1", headers=headers)


async def test_by_default_the_header_is_ignored(serve: Serve):
    async with serve(peer=PROXY, login_address_max_failures_per_minute=3) as api:
        for n in range(3):
            await wrong_sign_in(api, n, forwarded_for=f"127.0.0.{10 + n}")
        # A new X-Forwarded-For value per request does not buy more guesses.
        assert code(await wrong_sign_in(api, 9, forwarded_for="127.0.0.99")) == "TOO_MANY_REQUESTS"


async def test_a_trusted_proxy_names_the_client(serve: Serve, app: FastAPI):
    async with serve(
        peer=PROXY, forwarded_allow_ips="127.0.0.1", login_address_max_failures_per_minute=3
    ) as api:
        for n in range(3):
            await wrong_sign_in(api, n, forwarded_for="127.0.0.9")
        assert code(await wrong_sign_in(api, 3, forwarded_for="127.0.0.9")) == "TOO_MANY_REQUESTS"
        # Another client behind the same proxy has its own budget.
        assert code(await wrong_sign_in(api, 4, forwarded_for="127.0.0.8")) == "UNAUTHENTICATED"
        # A client cannot hide behind a value it put in front itself: the proxy appends
        # the address it saw, and that (the right-most untrusted one) is the client.
        body = await wrong_sign_in(api, 5, forwarded_for="127.0.0.77, 127.0.0.9")
        assert code(body) == "TOO_MANY_REQUESTS"
    assert sorted(set(await recorded_addresses(app))) == ["127.0.0.8", "127.0.0.9"]


async def test_an_untrusted_peer_cannot_set_its_address(serve: Serve, app: FastAPI):
    async with serve(peer=STRANGER, forwarded_allow_ips="127.0.0.1") as api:
        await wrong_sign_in(api, 0, forwarded_for="127.0.0.9")
    assert await recorded_addresses(app) == ["127.0.0.5"]
