"""A real SMTP server for tests (aiosmtpd on a loopback port), that records what it
accepts and can be told to refuse (4xx, 5xx) or be down."""

import asyncio
import re
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller

from tests.servers import free_port

RESET_SUBJECT = "Reset your Planner password"
VERIFY_SUBJECT = "Confirm your email address for Planner"
CHANGE_SUBJECT = "Confirm your new email address for Planner"
NOTICE_SUBJECT = "Your Planner email address is about to change"
TOKEN = re.compile(r"#token=([A-Za-z0-9_-]+)")


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def to(self) -> str:
        return str(self.message["To"])

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return cast(str, part.get_content())

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None
        return cast(str, part.get_content())

    def link(self) -> str:
        match = re.search(r"https?://\S+", self.text())
        assert match, self.text()
        return match.group(0)

    def token(self) -> str:
        match = TOKEN.search(self.text())
        assert match, self.text()
        return match.group(1)


@dataclass
class MailServer:
    port: int = field(default_factory=lambda: free_port(range(18700, 18800)))
    received: list[Received] = field(default_factory=list)
    # An SMTP reply to DATA instead of accepting, e.g. "451 4.3.0 Try again later".
    refuse_with: str | None = None
    refused: int = 0
    _controller: Controller | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.refuse_with is not None:
                self.refused += 1
                return self.refuse_with
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str, subject: str | None = None) -> list[Received]:
        with self._lock:
            return [
                mail
                for mail in self.received
                if address in mail.recipients and subject in (None, mail.subject)
            ]

    async def wait_for(
        self, address: str, count: int = 1, subject: str | None = None, seconds: float = 20.0
    ) -> Received:
        """The `count`-th mail to `address` (with this subject), waiting for the sender
        (a bound, not a timing assertion: a missing mail fails once it has run out)."""
        for _ in range(int(seconds / 0.02)):
            mails = self.to(address, subject)
            if len(mails) >= count:
                return mails[count - 1]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no mail #{count} to {address}; got {self.received}")
