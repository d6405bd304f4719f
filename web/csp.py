"""The Content-Security-Policy of every page: scripts only from this site, or inline ones the page itself
carries (each allowed by its hash), so text that slips into a page unescaped cannot run as script.

rq-dashboard's job page renders a failed job's exception unescaped (rq-dashboard 0.9); the worker keeps the
portal's words out of those exceptions, and this policy stops anything that gets there all the same. The
dashboard builds its rows with underscore templates, which compile with `new Function`: under /rq alone
the policy also allows eval (an injected `<script>` or `onerror=` still does not run).
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Response, request

from web.dashboard import PREFIX as DASHBOARD

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.I)
NOT_SCRIPT = re.compile(r"""\btype=["']?text/(?!javascript)""", re.I)  # templates: data, never run
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def content_security_policy(response: Response) -> Response:
    """Add the policy to an HTML page, allowing the inline scripts it carries by their hashes."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    hashes = [f"'sha256-{_digest(m.group('body'))}'" for m in INLINE_SCRIPT.finditer(response.get_data(as_text=True))
              if not NOT_SCRIPT.search(m.group("attrs"))]
    if request.path.startswith(f"{DASHBOARD}/"):
        hashes.append("'unsafe-eval'")
    response.headers["Content-Security-Policy"] = POLICY.format(scripts="".join(f" {h}" for h in hashes))
    return response


def _digest(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
