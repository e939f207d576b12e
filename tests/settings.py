"""Settings for tests, built one way: never from the machine's environment or .env."""

from typing import Any

from app.settings import Settings

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Test settings on `database_url`: a known secret, and bcrypt at its lowest cost
    (still real bcrypt) so that the suite stays fast."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "bcrypt_rounds": 4,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
