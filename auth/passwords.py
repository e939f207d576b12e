"""Password hashing with passlib (libpass) and bcrypt, off the event loop.

New hashes use bcrypt_sha256, which pre-hashes with SHA-256 so a password longer than
bcrypt's 72-byte limit is compared in full. Plain `$2b$` bcrypt hashes still verify and
are marked for rehashing on the next successful sign-in.
"""

import asyncio
import contextlib
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import anyio
from passlib.context import CryptContext

DEFAULT_ROUNDS = 12
# How much lower than the event loop's the hashing threads' priority is (Linux nice).
HASHING_NICENESS = 10
MAX_NICENESS = 19
HASHING_THREAD_PREFIX = "password-hashing"

T = TypeVar("T")


def _lower_thread_priority() -> None:
    """Runs in each hashing thread as it starts. On Linux a nice value belongs to a
    thread, so the event loop's thread keeps its own and wins the CPU whenever both
    want it: sign-ins still get every cycle nothing else needs, but a burst of them no
    longer stretches other requests' latency. Elsewhere the threads keep their priority."""
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        niceness = os.getpriority(os.PRIO_PROCESS, thread) + HASHING_NICENESS
        os.setpriority(os.PRIO_PROCESS, thread, min(niceness, MAX_NICENESS))


@functools.cache
def _hashing_threads() -> ThreadPoolExecutor:
    """One pool per process, a thread per core: the bound on bcrypt work running at once
    whatever happens to the requests that asked for it (a cancelled request's call
    still finishes in its thread). Each PasswordHasher's limiter queues its own calls."""
    return ThreadPoolExecutor(
        max_workers=os.cpu_count() or 1,
        thread_name_prefix=HASHING_THREAD_PREFIX,
        initializer=_lower_thread_priority,
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    new_hash: str | None  # set when the stored hash should be replaced


class PasswordHasher:
    """bcrypt costs ~0.3 s of CPU per call; running it in low-priority worker threads
    (bcrypt releases the GIL) with at most one call per core keeps the event loop free
    and stops a burst of sign-ins from queueing unbounded work."""

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
        return await self._run(functools.partial(self._context.hash, password))

    async def verify(self, password: str, stored_hash: str) -> Verification:
        ok, new_hash = await self._run(
            functools.partial(self._context.verify_and_update, password, stored_hash)
        )
        return Verification(ok=bool(ok), new_hash=new_hash if ok else None)

    async def _run(self, call: Callable[[], T]) -> T:
        async with self._limiter:
            return await asyncio.get_running_loop().run_in_executor(_hashing_threads(), call)

    async def verify_dummy(self, password: str) -> None:
        """Spend the same time as a real check, against a hash that matches nothing."""
        await self.verify(password, self._dummy_hash)
