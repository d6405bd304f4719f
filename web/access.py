"""READ_TOKEN: when set, pages and /api/* need it (HTTP Basic password or Bearer); health and webhook stay open."""

from __future__ import annotations

import hmac

from flask import current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

OPEN_PATHS = frozenset({"/healthz", "/bitrix/events"})
REALM = "releasebot"


def given_token() -> str:
    """The token the request carries: the Basic password (any user name) or the Bearer token."""
    auth = request.authorization
    if auth is None:
        return ""
    return (auth.password if auth.type == "basic" else auth.token) or ""


def token_matches(given: str, expected: str) -> bool:
    """Compare in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())


def require_read_token() -> None:
    """Before every request: refuse a protected path without READ_TOKEN, so a browser asks for it."""
    expected = current_app.extensions["releasebot.settings"].read_token
    if not expected or request.path in OPEN_PATHS:
        return
    if not token_matches(given_token(), expected):
        raise Unauthorized("this page needs the read token: give it as the password (any user name) or as "
                           "Authorization: Bearer", www_authenticate=WWWAuthenticate("basic", {"realm": REALM}))
