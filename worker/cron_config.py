"""RQ cron configuration for the `clock` process: `rq cron worker.cron_config`."""

from rq import cron

from releasebot.settings import QUEUE_NAME
from worker.jobs import sweep

SWEEP_INTERVAL = 300  # seconds; a missed event is picked up within five minutes

cron.register(sweep, QUEUE_NAME, interval=SWEEP_INTERVAL, job_timeout=600, result_ttl=3600, name="sweep")
