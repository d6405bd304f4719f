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
            cache = jobs.rules_cache()
            cache.current()
        except ReleasebotError as error:
            print(f"releasebot worker: {error}", file=sys.stderr)
            raise SystemExit(1) from None
        super().__init__(*args, **kwargs)
        cache.publish(self.connection)

