"""gunicorn reads this file from the working directory: a misconfigured web process stops with one line.

Workers: gunicorn's own default, WEB_CONCURRENCY (which Heroku sets by dyno size), since the Procfile gives
no --workers. Logs: gunicorn's lines and the app's, to stdout in LOG_FORMAT (releasebot.logs).
"""

import os
import sys

from releasebot.errors import ConfigError
from releasebot.logs import logging_config
from releasebot.settings import Settings, load_dotenv_file

# gevent: each connection is a greenlet, so a client sending its request slowly holds a few kilobytes, not one
# of a handful of threads. 200 clients trickling their bodies made real events wait 10 s (p50) with 8 threads
# and 3 ms with gevent (bench/slow_clients_bench.py). Each connection is bounded too: its request line and
# headers must arrive within `keepalive` seconds (gevent's worker times the head out), its body within
# web.body_deadline.BODY_READ_SECONDS, and a worker holds at most `worker_connections` at once.
worker_class = "gevent"
worker_connections = 1000
keepalive = 2

load_dotenv_file()
try:
    logconfig_dict = logging_config(os.environ)
except ConfigError as error:
    print(f"releasebot web: {error}", file=sys.stderr)
    sys.exit(1)


def post_worker_init(worker):
    """Say when a worker has loaded the app and takes requests (tests wait for every worker to say it)."""
    worker.log.info("worker %s ready", worker.pid)


def on_starting(server):
    """Check the configuration in the master, before any worker boots and fails with a traceback."""
    try:
        Settings.from_env(os.environ).require("BITRIX_APP_TOKEN")
    except ConfigError as error:
        print(f"releasebot web: {error}", file=sys.stderr)
        sys.exit(1)
