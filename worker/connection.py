"""The one Redis client class of every process: web, CLI, and `rq worker`/`rq cron` (`--connection-class`).

Heroku Redis speaks TLS with a self-signed certificate: a client that verifies it fails with
CERTIFICATE_VERIFY_FAILED. `rq worker --url` builds its own client, so the leniency has to live in the class
RQ is told to use, not in a helper only our code calls.
"""

from __future__ import annotations

from redis import Redis

CLASS_PATH = "worker.connection.ReleasebotRedis"  # what the Procfile passes as --connection-class
CONNECT_TIMEOUT = 2.0
SOCKET_TIMEOUT = 5.0


class ReleasebotRedis(Redis):
    """A Redis client whose `rediss://` URLs accept a self-signed certificate (Heroku Redis)."""

    @classmethod
    def from_url(cls, url: str, **kwargs) -> ReleasebotRedis:
        """As Redis.from_url; for `rediss://` the certificate is not verified unless the caller says so."""
        if url.startswith("rediss://"):
            kwargs.setdefault("ssl_cert_reqs", None)
            kwargs.setdefault("ssl_check_hostname", False)
        return super().from_url(url, **kwargs)


def redis_from_url(url: str, **overrides) -> Redis:
    """A client with the short timeouts that keep the webhook and the CLI quick to fail (not for workers)."""
    options = {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT} | overrides
    return ReleasebotRedis.from_url(url, **options)
