"""Password hashing with passlib (libpass) and bcrypt, off the event loop.

New hashes use bcrypt_sha256, which pre-hashes with SHA-256 so a password longer than
bcrypt's 72-byte limit is compared in full. Plain `$2b$` bcrypt hashes still verify and
are marked for rehashing on the next successful sign-in.
"""

import os
from dataclasses import dataclass

import anyio
from passlib.context import CryptContext

DEFAULT_ROUNDS = 12


@dataclass(frozen=True)
class Verification:
    ok: bool
    new_hash: str | None  # set when the stored hash should be replaced


class PasswordHasher:
    """bcrypt costs ~0.3 s of CPU per call; running it in worker threads (bcrypt
    releases the GIL) with at most one call per core keeps the event loop free and
    stops a burst of sign-ins from queueing unbounded work."""

    def __init__(self, rounds: int = DEFAULT_ROUNDS, concurrency: int | None = None) -> None:
        self._context = CryptContext(
            schemes=["bcrypt_sha256", "bcrypt"],
            deprecated="auto",
            bcrypt_sha256__rounds=rounds,
            bcrypt__rounds=rounds,
        )
        self._limiter = anyio.CapacityLimiter(concurrency or os.cpu_count() or 1)
        # Verified when the email is unknown, so both paths cost one bcrypt call.
        self._dummy_hash = self._context.hash(os.urandom(16).hex())

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._context.hash, password, limiter=self._limiter)

    async def verify(self, password: str, stored_hash: str) -> Verification:
        ok, new_hash = await anyio.to_thread.run_sync(
            self._context.verify_and_update, password, stored_hash, limiter=self._limiter
        )
        return Verification(ok=bool(ok), new_hash=new_hash if ok else None)

    async def verify_dummy(self, password: str) -> None:
        """Spend the same time as a real check, against a hash that matches nothing."""
        await self.verify(password, self._dummy_hash)
