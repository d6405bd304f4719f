"""gunicorn reads this file from the working directory: a misconfigured web process stops with one line."""

import os
import sys

from releasebot.errors import ConfigError
from releasebot.settings import Settings, load_dotenv_file

# Threads, not one request per process: a client sending its request slowly holds one thread (for at most
# web.body_deadline.BODY_READ_SECONDS while its body trickles in), never the whole web process.
worker_class = "gthread"
threads = 8


def on_starting(server):
    """Check the configuration in the master, before any worker boots and fails with a traceback."""
    load_dotenv_file()
    try:
        Settings.from_env(os.environ).require("BITRIX_APP_TOKEN")
    except ConfigError as error:
        print(f"releasebot web: {error}", file=sys.stderr)
        sys.exit(1)
