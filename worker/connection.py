"""Redis connections built from REDIS_URL, with the timeouts that keep the webhook fast."""

from __future__ import annotations

from redis import Redis

CONNECT_TIMEOUT = 2.0
SOCKET_TIMEOUT = 5.0


def redis_from_url(url: str, **overrides) -> Redis:
    """A Redis client; `rediss://` accepts Heroku Redis's self-signed certificate."""
    return Redis.from_url(url, **{**redis_options(url), **overrides})


def redis_options(url: str) -> dict:
    """The client options for a REDIS_URL: short timeouts, and Heroku's self-signed TLS accepted."""
    options = {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}
    if url.startswith("rediss://"):
        options["ssl_cert_reqs"] = None
    return options
