"""What the composition root hands the GraphQL layer: long-lived, shared objects."""

from dataclasses import dataclass, field

from auth.accounts import Accounts
from db.engine import Database
from graph.limits import QueryLimits


@dataclass(frozen=True)
class Services:
    database: Database
    accounts: Accounts
    limits: QueryLimits = field(default_factory=QueryLimits)
    # A page of events loads its creators in one batch up front (schema/types.py);
    # off: each event's creator is loaded on its own, batched by the user loader.
    preload_creators: bool = True
