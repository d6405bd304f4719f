"""The worker class for the stock `rq worker` CLI: Heroku-safe, and refuses to start misconfigured.

Its connection class is infra.connection.PatientRedis (`rq worker --connection-class`): a worker started
while Redis is down waits for it instead of exiting, which on Heroku would be a crash loop.
"""

from __future__ import annotations

import logging
import signal
import sys

from redis.exceptions import ConnectionError as RedisConnectionError
from rq.worker import HerokuWorker

from infra.connection import wait_for_redis
from infra.queueing import requeue_if_asked
from releasebot.errors import ReleasebotError
from releasebot.settings import load_dotenv_file
from store import open_database
from worker import jobs

log = logging.getLogger(__name__)

# An idle worker blocks in dequeue at most this long, so RQ's maintenance (which re-queues the job of a
# killed worker) and the rules check run on time; stock RQ blocks for worker_ttl - 15 s (405 s).
MAX_DEQUEUE_WAIT = 30


class ReleasebotWorker(HerokuWorker):
    """HerokuWorker that checks VIBE_API_KEY, the rules file and the database's schema before taking any job."""

    def __init__(self, *args, **kwargs):
        load_dotenv_file()
        try:
            jobs.rules_cache().current()
            _check_database(jobs.settings().database_url)
        except ReleasebotError as error:
            print(f"releasebot worker: {error}", file=sys.stderr)
            raise SystemExit(1) from None
        super().__init__(*args, **kwargs)
        wait_for_redis(self.connection)
        jobs.rules_cache().publish(self.connection)

    def bootstrap(self, *args, **kwargs):
        """RQ announces the worker before it listens for SIGTERM (after starting the scheduler): a stop in
        between killed it unannounced, alive to /healthz for worker_ttl. A stop then is noted, and honoured
        as RQ starts listening."""
        self._stop_noted = False
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._note_stop)
        super().bootstrap(*args, **kwargs)

    def _note_stop(self, signum, frame):
        self.log.info("Worker %s: stop requested while starting (%s)", self.name, signal.Signals(signum).name)
        self._stop_noted = True

    def _install_signal_handlers(self):
        super()._install_signal_handlers()
        if getattr(self, "_stop_noted", False):
            self._stop_requested = True  # the work loop stops before its first dequeue; teardown says goodbye

    @property
    def dequeue_timeout(self) -> int:
        """Seconds an idle worker blocks waiting for a job: short enough for maintenance to run on time."""
        return max(1, min(super().dequeue_timeout, MAX_DEQUEUE_WAIT, self.maintenance_interval // 2))

    def run_maintenance_tasks(self):
        """RQ's maintenance, and a look at the rules file, so /healthz learns of an edit without a job."""
        super().run_maintenance_tasks()
        self._publish_rules()

    def heartbeat(self, *args, **kwargs):
        """Also look at the rules file, so that /healthz shows a fresh rules status while no job comes."""
        super().heartbeat(*args, **kwargs)
        self._publish_rules()

    def _publish_rules(self) -> None:
        cache = jobs.rules_cache()
        cache.look()
        cache.publish(self.connection)

    def unsubscribe(self):
        """Stop listening for RQ's commands without waiting for the listening thread (a daemon, gone with the
        process): once unsubscribed, redis-py 8 has it wait up to RQ's 60 s for a new subscription, and RQ
        joins it, so a stopped worker hung past honcho's (5 s) or Heroku's (30 s) grace and was killed."""
        if self.pubsub_thread:
            self.log.info("Worker %s: unsubscribing from channel %s", self.name, self.pubsub_channel_name)
            self.pubsub.unsubscribe()
    def handle_job_success(self, job, queue, *args, **kwargs):
        """RQ's success handling, then the task queued again if an event came while its job ran: the job may
        have read the chat before that event's message (infra.queueing.RUNS_AGAIN)."""
        super().handle_job_success(job, queue, *args, **kwargs)
        requeue_if_asked(queue, job)

    def execute_job(self, job, queue):
        """Look at the rules file before each fork, so that the last good rules live in this process."""
        cache = jobs.rules_cache()
        cache.current()
        cache.publish(self.connection, if_changed=True)  # heartbeats refresh checkedAt; no write per job
        try:
            return super().execute_job(job, queue)
        except RedisConnectionError as error:
            # Stock RQ quits here; a worker that outlives a Redis restart needs no one to act.
            self.log.error("Redis went away during job %s (%s): waiting for it to come back", job.id, error)
            wait_for_redis(self.connection, stop=lambda: self._stop_requested)
            self.log.info("Redis answers again: back to work")


def _check_database(url: str) -> None:
    """The schema is the code's (SQLite: brought there); connections closed before any job forks."""
    open_database(url).dispose()
