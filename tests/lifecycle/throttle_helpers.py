"""Reading the throttle's table, and aliased sign-in documents."""

from fastapi import FastAPI
from sqlmodel import col, func, select

from auth.throttle import email_digest
from db.session_models import LoginFailure


async def failures_for(app: FastAPI, email: str) -> int:
    async with app.state.services.database.read() as session:
        result = await session.execute(
            select(func.count()).where(col(LoginFailure.email_digest) == email_digest(email))
        )
        return int(result.scalar_one())


async def recorded_addresses(app: FastAPI) -> list[str]:
    async with app.state.services.database.read() as session:
        return list((await session.execute(select(LoginFailure.address))).scalars())


def aliased_sign_ins(pairs: list[tuple[str, str]]) -> str:
    """One mutation document with a signIn alias per (email, password)."""
    fields = "\n".join(
        f'  a{index}: signIn(email: "{email}", password: "{password}") {{ accessToken }}'
        for index, (email, password) in enumerate(pairs)
    )
    return "mutation {\n" + fields + "\n}"
