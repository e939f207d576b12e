"""Which browser origins may call the API, as CORSMiddleware options.

Tokens travel in the Authorization header, not in cookies, so credentials mode stays
off; the header must still be allowed, since a frontend's request with it is
preflighted.
"""

from collections.abc import Sequence
from typing import Any

# Any port on the loopback names: the dev servers of frontends.
LOCALHOST_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?"


def cors_options(origins: Sequence[str], *, allow_localhost: bool) -> dict[str, Any]:
    return {
        "allow_origins": [origin.rstrip("/") for origin in origins],
        "allow_origin_regex": LOCALHOST_ORIGINS if allow_localhost else None,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["Authorization", "Content-Type"],
        "expose_headers": ["X-Request-ID"],
        "allow_credentials": False,
        "max_age": 600,
    }
