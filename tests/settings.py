"""Settings for tests, built one way: never from the machine's environment or .env."""

import tempfile
from pathlib import Path
from typing import Any

from app.settings import Settings

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
# Never the project's own mail folder; tests that read mails pass their own.
TEST_MAIL_DIR = Path(tempfile.gettempdir()) / "planner-test-mail"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Test settings on `database_url`: a known secret, and bcrypt at its lowest cost
    (still real bcrypt) so that the suite stays fast. No mail sender runs unless a
    test asks for one (`mail_sender=True`): mails are only enqueued."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "bcrypt_rounds": 4,
        "mail_sender": False,
        "mail_dir": TEST_MAIL_DIR,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
