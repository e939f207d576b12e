"""Settings, the development secret, and a restart that keeps data and tokens."""

import gc
import stat
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.secret_key import ConfigurationError
from app.serving import SERVING_GC_THRESHOLD
from app.settings import Settings
from main import create_served_app
from tests.client import GraphQLClient, serving
from tests.settings import make_settings


def dev_settings(tmp_path: Path, **overrides) -> Settings:
    values = {
        "database_url": f"sqlite:///{tmp_path / 'planner.db'}",
        "environment": "development",
        "secret_key": None,
        "secret_key_file": tmp_path / ".secret_key",
        **overrides,
    }
    return make_settings(**values)


def test_development_generates_a_secret_once_and_keeps_it(tmp_path: Path) -> None:
    settings = dev_settings(tmp_path)
    first = settings.signing_key()
    assert len(first.encode()) >= 32
    assert settings.signing_key() == first
    mode = stat.S_IMODE((tmp_path / ".secret_key").stat().st_mode)
    assert mode & 0o077 == 0  # readable by the owner only


@pytest.mark.parametrize("environment", ["production", "test"])
def test_outside_development_a_secret_is_required(tmp_path: Path, environment: str) -> None:
    with pytest.raises(ConfigurationError):
        dev_settings(tmp_path, environment=environment).signing_key()
    with pytest.raises(ConfigurationError):
        dev_settings(tmp_path, environment=environment, secret_key="short").signing_key()
    assert not (tmp_path / ".secret_key").exists()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "5")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("PORT", "9001")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.access_token_expire_minutes == 5
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.port == 9001


async def test_data_and_tokens_survive_a_restart(tmp_path: Path, database_url: str) -> None:
    # No SECRET_KEY: the generated one is persisted.
    settings = dev_settings(tmp_path, database_url=database_url)

    async with serving(settings) as http:  # the first run
        api = GraphQLClient(http)
        account = await api.sign_up(email="ada@example.com")
        await api.create_event(account, title="Persisted")
    async with serving(settings) as http:  # the app again, as after a restart
        body = await GraphQLClient(http).post(
            "{ me { email } events { edges { node { title } } } }", token=account.token
        )
    assert body["data"]["me"]["email"] == "ada@example.com"
    assert body["data"]["events"]["edges"] == [{"node": {"title": "Persisted"}}]


async def test_token_lifetime_follows_the_setting(tmp_path: Path, database_url: str) -> None:
    settings = dev_settings(tmp_path, database_url=database_url, access_token_expire_minutes=7)
    async with serving(settings) as http:
        body = await GraphQLClient(http).post(
            'mutation { signUp(email: "a@example.com", password: "correct horse") { expiresIn } }'
        )
    assert body["data"]["signUp"]["expiresIn"] == 7 * 60


def test_the_served_app_leaves_the_startup_heap_out_of_garbage_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVIRONMENT", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'planner.db'}")
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / ".secret_key"))
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    threshold = gc.get_threshold()
    try:
        app = create_served_app()
        assert isinstance(app, FastAPI)
        assert gc.get_freeze_count() > 10_000  # modules, schema and app at least
        assert gc.get_threshold() == (SERVING_GC_THRESHOLD, *threshold[1:])
    finally:  # the test process keeps collecting as before
        gc.unfreeze()
        gc.set_threshold(*threshold)
