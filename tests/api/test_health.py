"""/healthz reports the database."""

import asyncio
import gc

import httpx

from main import Settings, create_app


async def test_healthz_reports_a_working_database(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_healthz_is_503_when_the_database_is_unreachable(
    settings: Settings, tmp_path
) -> None:
    broken = settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}"}
    )
    app = create_app(broken)  # no lifespan: the database cannot be created
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    await app.state.services.database.dispose()
    # aiosqlite keeps the worker thread of a connection that failed to open until the
    # object is collected; collect now, while this test's event loop still runs, so
    # the thread does not finish later against a closed loop.
    gc.collect()
    await asyncio.sleep(0.05)
