"""What the composition root hands the GraphQL layer: long-lived, shared objects."""

from dataclasses import dataclass, field

from auth.account_mail import AccountMail
from auth.accounts import Accounts
from auth.invites import Invites
from auth.planning import Planning
from db.engine import Database
from graph.limits import QueryLimits
from graph.live_hub import LiveHub
from mail.sender import MailSender


@dataclass(frozen=True)
class Services:
    database: Database
    accounts: Accounts
    limits: QueryLimits = field(default_factory=QueryLimits)
    # A page of events loads its creators in one batch up front (schema/types.py);
    # off: each event's creator is loaded on its own, batched by the user loader.
    preload_creators: bool = True
    # The mailed account flows (auth/account_mail.py); None: built without them.
    account_mail: AccountMail | None = None
    # This instance's outbox sender, run by the app's lifespan; None: another
    # instance sends (MAIL_SENDER=false) or mail is off.
    mail_sender: MailSender | None = None
    # This worker's live updates (subscriptions, their sockets, the change feed), run
    # by the app's lifespan; None: built without them.
    live: LiveHub | None = None
    # Built from the accounts' database, clock and sign-in throttle settings (failed
    # invite codes are throttled like sign-ins), so the composition root need not
    # know them.
    planning: Planning = field(init=False)
    invites: Invites = field(init=False)

    def __post_init__(self) -> None:
        accounts = self.accounts
        object.__setattr__(self, "planning", Planning(self.database, accounts.clock))
        invites = Invites(self.database, accounts.clock, accounts.sessions.throttle)
        object.__setattr__(self, "invites", invites)
