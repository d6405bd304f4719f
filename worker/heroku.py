"""The worker class for the stock `rq worker` CLI: Heroku-safe, and refuses to start misconfigured."""

from __future__ import annotations

import sys
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from rq.worker import HerokuWorker

from releasebot.errors import ReleasebotError
from releasebot.settings import load_dotenv_file
from worker import jobs

REDIS_WAIT_MAX = 10.0  # seconds between pings while Redis is away


class ReleasebotWorker(HerokuWorker):
    """HerokuWorker that checks VIBE_API_KEY and the rules file before taking any job."""

    def __init__(self, *args, **kwargs):
        load_dotenv_file()
        try:
            jobs.rules_cache().current()
        except ReleasebotError as error:
            print(f"releasebot worker: {error}", file=sys.stderr)
            raise SystemExit(1) from None
        super().__init__(*args, **kwargs)
        jobs.rules_cache().publish(self.connection)

    def heartbeat(self, *args, **kwargs):
        """Also look at the rules file, so that /healthz shows a fresh rules status while no job comes."""
        super().heartbeat(*args, **kwargs)
        cache = jobs.rules_cache()
        cache.look()
        cache.publish(self.connection)

    def execute_job(self, job, queue):
        """Look at the rules file before each fork, so that the last good rules live in this process."""
        cache = jobs.rules_cache()
        cache.current()
        cache.publish(self.connection)
        try:
            return super().execute_job(job, queue)
        except RedisConnectionError as error:
            # Stock RQ quits here; a worker that outlives a Redis restart needs no one to act.
            self.log.error("Redis went away during job %s (%s): waiting for it to come back", job.id, error)
            self._wait_for_redis()

    def _wait_for_redis(self) -> None:
        delay = 0.5
        while not self._stop_requested:
            try:
                self.connection.ping()
            except RedisConnectionError:
                time.sleep(delay)
                delay = min(delay * 2, REDIS_WAIT_MAX)
                continue
            self.log.info("Redis answers again: back to work")
            return
