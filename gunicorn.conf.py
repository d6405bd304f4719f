"""gunicorn reads this file from the working directory: a misconfigured web process stops with one line.

Workers: gunicorn's own default, WEB_CONCURRENCY (which Heroku sets by dyno size), since the Procfile gives
no --workers. Logs: gunicorn's lines and the app's, to stdout in LOG_FORMAT (releasebot.logs).
"""

import os
import sys

from releasebot.errors import ConfigError
from releasebot.logs import logging_config
from releasebot.settings import Settings, load_dotenv_file

# Threads, not one request per process: a client sending its request slowly holds one thread (for at most
# web.body_deadline.BODY_READ_SECONDS while its body trickles in), never the whole web process.
worker_class = "gthread"
threads = 8

load_dotenv_file()
try:
    logconfig_dict = logging_config(os.environ)
except ConfigError as error:
    print(f"releasebot web: {error}", file=sys.stderr)
    sys.exit(1)


def on_starting(server):
    """Check the configuration in the master, before any worker boots and fails with a traceback."""
    try:
        Settings.from_env(os.environ).require("BITRIX_APP_TOKEN")
    except ConfigError as error:
        print(f"releasebot web: {error}", file=sys.stderr)
        sys.exit(1)
