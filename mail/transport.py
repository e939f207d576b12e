"""Where a mail goes: an SMTP server (aiosmtplib), or in development a folder of .eml
files. A failed send says whether trying again later can help."""

import logging
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib

from mail.config import SmtpConfig

logger = logging.getLogger("planner.mail")


class SendFailed(Exception):
    """`permanent`: the server refused for good (5xx); otherwise try again later."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send(self, message: EmailMessage) -> None:
        config = self.config
        try:
            await aiosmtplib.send(
                message,
                hostname=config.host,
                port=config.port,
                username=config.username or None,
                password=config.password or None,
                use_tls=config.security == "tls",
                start_tls=config.security == "starttls",
                timeout=config.timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            raise SendFailed(
                f"recipient refused ({codes})", permanent=all(c >= 500 for c in codes)
            ) from error
        except aiosmtplib.SMTPResponseException as error:
            raise SendFailed(
                f"{error.code} {error.message}"[:200], permanent=error.code >= 500
            ) from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            # Unreachable, disconnected, timed out, TLS trouble: the server may be back.
            raise SendFailed(f"{type(error).__name__}: {error}"[:200], permanent=False) from error


class FolderTransport:
    """Development without a mail server: each mail becomes an .eml file (open it with
    any mail program, or read the link in it) and the log names the file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]", "_", str(message["Message-ID"]).strip("<>"))
        path = self.folder / f"{stem}.eml"
        try:
            path.write_bytes(bytes(message))
        except OSError as error:
            raise SendFailed(f"cannot write {path}: {error}", permanent=False) from error
        logger.info("Mail %r to %s written to %s", message["Subject"], message["To"], path)


def build_transport(smtp: SmtpConfig | None, folder: Path) -> Transport:
    return FolderTransport(folder) if smtp is None else SmtpTransport(smtp)
