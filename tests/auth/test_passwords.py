"""auth/passwords.py: real bcrypt, no truncation, legacy hashes, off the event loop."""

import asyncio
import os
import threading
from pathlib import Path

import bcrypt
import pytest

from auth.passwords import HASHING_NICENESS, HASHING_THREAD_PREFIX, MAX_NICENESS, PasswordHasher


async def test_hash_and_verify() -> None:
    hasher = PasswordHasher(rounds=4)
    stored = await hasher.hash("correct horse")
    assert stored.startswith("$bcrypt-sha256$v=2,t=2b,r=4$")
    assert (await hasher.verify("correct horse", stored)).ok
    assert not (await hasher.verify("correct horsE", stored)).ok


async def test_the_default_cost_is_12() -> None:
    assert (await PasswordHasher().hash("x" * 8)).startswith("$bcrypt-sha256$v=2,t=2b,r=12$")


async def test_no_truncation_at_72_bytes() -> None:
    hasher = PasswordHasher(rounds=4)
    stored = await hasher.hash("a" * 72 + "1")
    assert not (await hasher.verify("a" * 72 + "2", stored)).ok
    assert not (await hasher.verify("a" * 72, stored)).ok


async def test_plain_bcrypt_verifies_and_asks_for_a_rehash() -> None:
    hasher = PasswordHasher(rounds=4)
    legacy = bcrypt.hashpw(b"correct horse", bcrypt.gensalt(rounds=4)).decode()
    verification = await hasher.verify("correct horse", legacy)
    assert verification.ok
    assert verification.new_hash is not None
    assert verification.new_hash.startswith("$bcrypt-sha256$")
    assert (await hasher.verify("correct horse", verification.new_hash)).new_hash is None
    assert (await hasher.verify("wrong horse", legacy)).new_hash is None


async def test_the_event_loop_keeps_running_during_hashing() -> None:
    hasher = PasswordHasher(rounds=12)  # ~0.3 s each on this machine
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await asyncio.gather(*(hasher.hash("correct horse") for _ in range(2)))
    ticker.cancel()
    # Had bcrypt run on the loop, the ticker would not have run at all meanwhile.
    assert ticks > 5


def _thread_niceness(name_prefix: str) -> list[int]:
    """The nice values (read from /proc) of the threads whose name starts with name_prefix."""
    values = []
    for thread in threading.enumerate():
        if thread.name.startswith(name_prefix):
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
            values.append(int(stat.rsplit(")", 1)[1].split()[16]))  # proc_pid_stat(5): nice
    return values


@pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="thread priorities are read from Linux /proc"
)
async def test_bcrypt_runs_in_threads_of_lower_priority_than_the_event_loop() -> None:
    hasher = PasswordHasher(rounds=4)
    await hasher.verify("correct horse", await hasher.hash("correct horse"))
    niceness = _thread_niceness(HASHING_THREAD_PREFIX)
    assert niceness, "no hashing thread found"
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert all(value == min(own + HASHING_NICENESS, MAX_NICENESS) for value in niceness)
    assert all(value > own for value in niceness) or own == MAX_NICENESS
