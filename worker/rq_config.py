"""RQ's settings module for `rq worker --config worker.rq_config` and `rq cron --config worker.rq_config`.

RQ imports it at start, after the platform's environment is set: so REDIS_URL is read here, after a local
`.env`, and not expanded by the shell from a Procfile line (which would happen before `.env` is read).
DICT_CONFIG gives RQ's loggers and ours the one log format (LOG_FORMAT) on stdout.
"""

import os
import sys

from releasebot.errors import ConfigError
from releasebot.logs import logging_config
from releasebot.settings import Settings, load_dotenv_file

load_dotenv_file()
try:
    REDIS_URL = Settings.from_env(os.environ).redis_url
    DICT_CONFIG = logging_config(os.environ)
except ConfigError as error:
    print(f"releasebot: {error}", file=sys.stderr)
    raise SystemExit(1) from None
