"""The one Settings class: read once from the environment (or ./.env), then handed out
part by part. Each layer gets its own small config from one method here, never the
whole Settings."""

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.config import AppConfig
from app.secret_key import ConfigurationError, resolve_secret_key
from auth.account_mail import AccountMailSettings
from auth.accounts import SessionSettings
from auth.throttle import ThrottleSettings
from auth.tokens import TokenSettings
from db.engine import PoolSettings
from graph.limits import QueryLimits
from graph.live_hub import LiveConfig
from graph.persisted_queries import PersistedQuerySettings
from mail.config import MailConfig, SmtpConfig

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Names are case-insensitive environment variables: DATABASE_URL, SECRET_KEY, ..."""

    model_config = SettingsConfigDict(env_file=PROJECT_DIR / ".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    # The database (db/engine.py's PoolSettings).
    database_url: str = f"sqlite:///{PROJECT_DIR / 'planner.db'}"
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout: float = Field(default=10.0, gt=0)
    db_pool_recycle: int = Field(default=1800, ge=-1)
    db_pool_pre_ping: bool = True
    db_connect_timeout: float = Field(default=5.0, gt=0)
    db_command_timeout: float = Field(default=30.0, gt=0)

    # Tokens (auth/tokens.py) and the key that signs them (app/secret_key.py).
    secret_key: str | None = None
    # Where the development secret is kept between restarts (never committed).
    secret_key_file: Path = PROJECT_DIR / ".secret_key"
    # Comma-separated keys that still verify tokens after SECRET_KEY was rotated.
    previous_secret_keys: str = ""
    access_token_expire_minutes: int = Field(default=30, ge=1)
    jwt_issuer: str = "planner"
    jwt_audience: str = "planner"

    # Passwords, sessions and sign-in throttling (auth/).
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)
    refresh_token_expire_days: int = Field(default=14, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    login_address_max_failures_per_minute: int = Field(default=30, ge=1)
    # Expired refresh tokens are purged at startup and then this often (0: only by
    # `python main.py purge-tokens`).
    purge_interval_seconds: int = Field(default=3600, ge=0)

    # The GraphQL endpoint's limits (OWASP GraphQL Cheat Sheet; graph/limits.py).
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=15, ge=0)
    max_tokens: int = Field(default=2000, ge=1)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    # Not below `first`'s default of 20, which would make the default page invalid.
    max_page_size: int = Field(default=100, ge=20)
    graphql_cache_size: int = Field(default=256, ge=1)
    introspection: bool | None = None
    graphiql: bool | None = None

    # HTTP around it (app/factory.py).
    # Comma-separated origins (scheme://host[:port]) browsers may call the API from.
    cors_origins: str = ""
    # Proxies whose X-Forwarded-For is believed (comma-separated IPs or networks, "*"
    # for any); empty: the TCP peer is the client.
    forwarded_allow_ips: str = ""

    # Live updates: subscriptions over graphql-transport-ws (docs/LIVE.md).
    subscription_init_timeout_seconds: float = Field(default=5.0, gt=0)
    max_subscriptions_per_connection: int = Field(default=20, ge=1)
    # Per worker: each worker counts the sockets it holds.
    max_connections_per_user: int = Field(default=10, ge=1)
    subscription_max_message_bytes: int = Field(default=64 * 1024, ge=1024)
    # Undelivered changes one subscription may hold; beyond: an error on it.
    subscription_queue_size: int = Field(default=100, ge=1)
    # SQLite: how often each worker reads the change log.
    live_poll_seconds: float = Field(default=0.2, gt=0)

    # Automatic persisted queries and trusted documents (docs/HTTP.md).
    apq: bool = True
    apq_memory_chars: int = Field(default=8 * 1024 * 1024, ge=0)
    apq_max_stored: int = Field(default=5_000, ge=1)
    # A manifest (Apollo's or GraphQL Codegen's): only its operations run.
    trusted_documents: Path | None = None
    # Mail (mail/, auth/account_mail.py; docs/ACCOUNTS.md). No SMTP_HOST: mails are
    # written as .eml files to MAIL_DIR (refused in production unless MAIL_ENABLED=false).
    smtp_host: str = ""
    # Default: 465 with SMTP_SECURITY=tls, 587 with starttls, 25 with none.
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_from: str = "Planner <no-reply@planner.invalid>"
    # Where the links in mails point: FRONTEND_URL + path + #token=...
    frontend_url: str = "http://127.0.0.1:8000"
    # false: no mail at all; the flows that need it answer MAIL_DISABLED.
    mail_enabled: bool = True
    # false: this instance sends no mail (another one does); it still enqueues.
    mail_sender: bool = True
    mail_dir: Path = PROJECT_DIR / "mail-outbox"
    mail_poll_seconds: float = Field(default=2.0, gt=0)
    mail_retry_seconds: float = Field(default=5.0, gt=0)
    mail_retry_max_seconds: float = Field(default=900.0, gt=0)
    mail_lease_seconds: float = Field(default=120.0, gt=0)
    mail_max_per_address_per_hour: int = Field(default=5, ge=1)
    mail_max_per_client_per_hour: int = Field(default=30, ge=1)
    # Sent and given-up mails are purged this long after (with the periodic purge).
    mail_retention_hours: int = Field(default=168, ge=1)
    password_reset_token_minutes: int = Field(default=30, ge=1)
    email_verification_token_hours: int = Field(default=48, ge=1)
    # true: unverified users may sign in and read, not create, join or invite to events.
    require_verified_email: bool = False

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def dev_default(self, value: bool | None) -> bool:
        """An explicit setting, else on everywhere but production."""
        return value if value is not None else not self.is_production

    def signing_key(self) -> str:
        """The key that signs tokens; raises ConfigurationError when it is unfit."""
        return resolve_secret_key(self.environment, self.secret_key, self.secret_key_file)

    def pool(self) -> PoolSettings:
        return PoolSettings(
            size=self.db_pool_size,
            max_overflow=self.db_max_overflow,
            timeout_seconds=self.db_pool_timeout,
            recycle_seconds=self.db_pool_recycle,
            pre_ping=self.db_pool_pre_ping,
            connect_timeout_seconds=self.db_connect_timeout,
            command_timeout_seconds=self.db_command_timeout,
        )

    def tokens(self, secret_key: str) -> TokenSettings:
        """`secret_key`: the resolved one (app/secret_key.py), not the raw setting."""
        previous = tuple(k.strip() for k in self.previous_secret_keys.split(",") if k.strip())
        return TokenSettings(
            secret_key=secret_key,
            access_ttl=timedelta(minutes=self.access_token_expire_minutes),
            issuer=self.jwt_issuer,
            audience=self.jwt_audience,
            previous_keys=previous,
        )

    def sessions(self) -> SessionSettings:
        return SessionSettings(
            refresh_ttl=timedelta(days=self.refresh_token_expire_days),
            throttle=ThrottleSettings(
                max_failures=self.login_max_failures,
                window=timedelta(seconds=self.login_window_seconds),
                address_max_failures_per_minute=self.login_address_max_failures_per_minute,
            ),
        )

    def query_limits(self) -> QueryLimits:
        return QueryLimits(
            max_depth=self.max_query_depth,
            max_aliases=self.max_aliases,
            max_tokens=self.max_tokens,
            max_body_bytes=self.max_body_bytes,
            max_page_size=self.max_page_size,
            cache_size=self.graphql_cache_size,
            introspection=self.dev_default(self.introspection),
            suggestions=not self.is_production,
        )

    def live(self) -> LiveConfig:
        return LiveConfig(
            init_timeout_seconds=self.subscription_init_timeout_seconds,
            max_subscriptions_per_connection=self.max_subscriptions_per_connection,
            max_connections_per_user=self.max_connections_per_user,
            max_message_bytes=self.subscription_max_message_bytes,
            queue_size=self.subscription_queue_size,
            poll_seconds=self.live_poll_seconds,
        )

    def account_mail(self) -> AccountMailSettings:
        return AccountMailSettings(
            enabled=self.mail_enabled,
            reset_ttl=timedelta(minutes=self.password_reset_token_minutes),
            verify_ttl=timedelta(hours=self.email_verification_token_hours),
            max_per_address_per_hour=self.mail_max_per_address_per_hour,
            max_per_client_per_hour=self.mail_max_per_client_per_hour,
            require_verified_email=self.require_verified_email,
            retention=timedelta(hours=self.mail_retention_hours),
        )

    def mail(self) -> MailConfig:
        """Raises ConfigurationError in production without SMTP_HOST while mail is on:
        mails written to a folder on a server would silently never arrive."""
        if self.is_production and not self.smtp_host and self.mail_enabled:
            raise ConfigurationError(
                "SMTP_HOST is not set: set it (and SMTP_USERNAME, SMTP_PASSWORD, MAIL_FROM), "
                "or switch mail off with MAIL_ENABLED=false"
            )
        default_port = {"tls": 465, "starttls": 587, "none": 25}[self.smtp_security]
        smtp = None
        if self.smtp_host:
            smtp = SmtpConfig(
                host=self.smtp_host,
                port=self.smtp_port or default_port,
                security=self.smtp_security,
                username=self.smtp_username or None,
                password=self.smtp_password or None,
                timeout_seconds=self.smtp_timeout_seconds,
            )
        return MailConfig(
            smtp=smtp,
            folder=self.mail_dir,
            mail_from=self.mail_from,
            frontend_url=self.frontend_url,
            run_sender=self.mail_enabled and self.mail_sender,
            poll_seconds=self.mail_poll_seconds,
            first_retry_seconds=self.mail_retry_seconds,
            max_retry_seconds=self.mail_retry_max_seconds,
            lease_seconds=max(self.mail_lease_seconds, self.smtp_timeout_seconds * 2),
        )

    def app(self) -> AppConfig:
        origins = tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())
        return AppConfig(
            graphiql=self.dev_default(self.graphiql),
            cors_origins=origins,
            cors_allow_localhost=not self.is_production,
            forwarded_allow_ips=self.forwarded_allow_ips.strip(),
            max_body_bytes=self.max_body_bytes,
            purge_interval_seconds=self.purge_interval_seconds,
            persisted_queries=self.persisted_queries(),
            trusted_documents=self.trusted_documents,
        )

    def persisted_queries(self) -> PersistedQuerySettings:
        return PersistedQuerySettings(
            enabled=self.apq, memory_chars=self.apq_memory_chars, max_stored=self.apq_max_stored
        )


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
