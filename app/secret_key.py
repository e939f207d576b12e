"""The key that signs tokens: SECRET_KEY, or in development one generated and kept.

Outside development a missing or short key is refused, and in production so is a key
that has been published (in docs, examples, tests): anyone could sign tokens with it.
"""

import secrets
from pathlib import Path

MIN_SECRET_BYTES = 32
KNOWN_DEVELOPMENT_KEYS = frozenset(
    {
        "test-secret-key-that-is-long-enough-0123456789",
        "change-me-to-a-long-random-secret-key-of-32-bytes",
        "development-secret-key-not-for-production-use",
        "secret" * 6,
        "changeme" * 4,
    }
)


class ConfigurationError(RuntimeError):
    pass


def resolve_secret_key(environment: str, secret_key: str | None, key_file: Path) -> str:
    """SECRET_KEY, or in development a generated one persisted in `key_file` so that
    tokens stay valid across restarts."""
    if secret_key is not None:
        if environment != "development" and len(secret_key.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes")
        if environment == "production" and secret_key in KNOWN_DEVELOPMENT_KEYS:
            raise ConfigurationError("SECRET_KEY is a known development value")
        return secret_key
    if environment != "development":
        raise ConfigurationError("SECRET_KEY is required outside development")
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key
