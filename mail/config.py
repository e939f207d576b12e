"""What the mail sender needs to know from the settings."""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: Security = "starttls"
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class MailConfig:
    # None: write .eml files to `folder` instead (development without a mail server).
    smtp: SmtpConfig | None
    folder: Path
    mail_from: str = "Planner <no-reply@planner.invalid>"
    frontend_url: str = "http://127.0.0.1:8000"
    # False: this instance runs no sender (another one does, or mail is off).
    run_sender: bool = True
    poll_seconds: float = 2.0
    # Backoff after a failed attempt: first_retry, doubling, at most max_retry.
    first_retry_seconds: float = 5.0
    max_retry_seconds: float = 900.0
    # How long a claimed job is this instance's; after that (it died?) anyone's.
    lease_seconds: float = 120.0
    batch_size: int = 10
