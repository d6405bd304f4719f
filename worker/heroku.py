"""The worker class for the stock `rq worker` CLI: Heroku-safe, and refuses to start misconfigured."""

from __future__ import annotations

import sys

from rq.worker import HerokuWorker

from releasebot.errors import ReleasebotError
from releasebot.settings import load_dotenv_file
from worker import jobs


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

    def execute_job(self, job, queue):
        """Look at the rules file before each fork, so that the last good rules live in this process."""
        cache = jobs.rules_cache()
        cache.current()
        cache.publish(self.connection)
        return super().execute_job(job, queue)
