"""What the app factory needs to know from the settings, and nothing more."""

from dataclasses import dataclass, field
from pathlib import Path

from graph.persisted_queries import PersistedQuerySettings


@dataclass(frozen=True)
class AppConfig:
    graphiql: bool = True
    # Origins browsers may call the API from; with cors_allow_localhost also any
    # loopback origin (frontends' dev servers; never in production).
    cors_origins: tuple[str, ...] = ()
    cors_allow_localhost: bool = True
    # Proxies whose X-Forwarded-For names the client; empty: the TCP peer is the client.
    forwarded_allow_ips: str = ""
    max_body_bytes: int = 1024 * 1024
    # Expired refresh tokens are purged this often (0: only by the CLI command).
    purge_interval_seconds: int = 3600
    persisted_queries: PersistedQuerySettings = field(default_factory=PersistedQuerySettings)
    # A trusted-documents manifest: only its operations run (docs/HTTP.md).
    trusted_documents: Path | None = None
