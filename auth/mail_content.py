"""What a mail says, as the flows that enqueue mail decide it when the sender asks
(auth/account_mail.py, auth/invite_mail.py); mail/templates.py writes it out."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MailContent:
    """What the sender needs to write a job's mail (mail/templates.py)."""

    kind: str
    recipient: str
    # The frontend path the link opens, and the token for its #token= fragment.
    link_path: str | None = None
    token: str | None = None
    # The template's values: never an email address but the recipient's own.
    values: dict[str, str] = field(default_factory=dict)
