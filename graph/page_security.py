"""The Content-Security-Policy of the app's own HTML pages (GraphiQL, /docs).

Only the app's origin: scripts, styles, fonts and API calls come from 'self'; an
inline script runs only if its SHA-256 is listed (FastAPI's /docs page has one), and
so does an inline style (GraphiQL's menus add one).
Images may also be data: URLs, which the vendored style sheets use for icons.
"""

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.responses import HTMLResponse

# An inline <script> with no src attribute, and its text.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
_DATA_BLOCK = re.compile(r"\btype=[\"']application/json[\"']")


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for the page's inline scripts (JSON data blocks are not
    scripts: the browser never runs them)."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
        for attributes, text in _INLINE_SCRIPT.findall(html)
        if not _DATA_BLOCK.search(attributes)
    ]


def content_security_policy(
    script_hashes: Iterable[str] = (), style_hashes: Iterable[str] = ()
) -> str:
    directives = {
        "default-src": "'none'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": " ".join(["'self'", *style_hashes]),
        "img-src": "'self' data:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def secured_page(html: str, style_hashes: Iterable[str] = ()) -> HTMLResponse:
    """The page with a policy that allows exactly its own inline scripts, and the
    inline styles whose hashes are given."""
    policy = content_security_policy(inline_script_hashes(html), style_hashes)
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(html, headers=headers)
