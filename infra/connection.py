"""The one Redis client class of every process: web, CLI, and `rq worker`/`rq cron` (`--connection-class`).

Heroku Redis speaks TLS with a self-signed certificate: a client that verifies it fails with
CERTIFICATE_VERIFY_FAILED. `rq worker --url` builds its own client, so the leniency has to live in the class
RQ is told to use, not in a helper only our code calls.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

CLASS_PATH = "infra.connection.PatientRedis"  # what the Procfile passes to rq worker and rq cron
CONNECT_TIMEOUT = 2.0
SOCKET_TIMEOUT = 5.0
REDIS_WAIT_MAX = 10.0  # seconds between pings while Redis is away
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


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


def wait_for_redis(connection: Redis, stop: Callable[[], bool] = lambda: False) -> None:
    """Return once Redis answers a ping (or `stop()` says to give up), pinging with growing pauses."""
    delay = 0.5
    while not stop():
        try:
            connection.ping()
            return
        except REDIS_DOWN as error:
            log.warning("Redis does not answer (%s): trying again in %.1f s", error, delay)
            time.sleep(delay)
            delay = min(delay * 2, REDIS_WAIT_MAX)


class PatientRedis(ReleasebotRedis):
    """The Redis client of `rq worker` and `rq cron`: TLS as ReleasebotRedis (Heroku's self-signed
    certificate), and built from a URL it waits for the server to answer before it is handed out."""

    @classmethod
    def from_url(cls, url: str, **kwargs) -> PatientRedis:
        connection = super().from_url(url, **kwargs)
        wait_for_redis(connection)
        return connection
