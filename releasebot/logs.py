"""One log format for every process: logfmt-style text (the default) or JSON, one line per event, secrets removed.

This module only formats: `logging_config` returns a `logging.config.dictConfig` mapping that the processes'
own start-up code applies (gunicorn.conf.py, worker/rq_config.py, web.create_app, the CLI).

A log call adds fields with `extra={"task": 53, "outcome": "found"}`; they follow the message as `key=value`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from releasebot.errors import ConfigError

FORMATS = ("text", "json")
DEFAULT_FORMAT = "text"
REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6  # shorter values are no real secret, and replacing them would shred ordinary words
SECRET_VARIABLES = ("VIBE_API_KEY", "VIBE_BEARER_TOKEN", "BITRIX_APP_TOKEN", "READ_TOKEN")
URL_PASSWORD = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<password>[^@\s/]+)@")
BARE_VALUE = re.compile(r"[^\s=\"\\]+")
# Terminal colours some libraries put in their messages (werkzeug's request lines): a log line is plain text.
ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")
# gunicorn logs everything, its info lines too, to a logger named gunicorn.error: named for what it is.
LOGGER_LABELS = {"gunicorn.error": "gunicorn"}
# Attributes every LogRecord has; anything else on a record came from `extra=` and is printed as a field.
RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class LogFormatError(ConfigError):
    """LOG_FORMAT names no known format."""


def check_format(name: str | None) -> str:
    """The format LOG_FORMAT asks for (empty: text); anything else says what is allowed."""
    chosen = (name or "").strip().lower() or DEFAULT_FORMAT
    if chosen not in FORMATS:
        raise LogFormatError(f"LOG_FORMAT must be text or json, got {name!r}")
    return chosen


def secrets_in(env: Mapping[str, str]) -> tuple[str, ...]:
    """The secret values set in the environment: keys, tokens, and the password inside REDIS_URL."""
    values = [part.strip() for name in SECRET_VARIABLES for part in (env.get(name) or "").split(",")]
    password = urlsplit(env.get("REDIS_URL") or "").password
    return tuple(v for v in [*values, password or ""] if len(v) >= MIN_SECRET_LENGTH)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, and any password written inside a URL, replaced."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", text)


class _Formatter(logging.Formatter):
    """The shared part: the fields of a record, and redaction of the finished line."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = tuple(secrets)

    def fields(self, record: logging.LogRecord) -> dict:
        """time, level, logger, msg, the `extra=` fields, and the traceback if any."""
        fields = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": LOGGER_LABELS.get(record.name, record.name),
            "msg": ANSI_STYLE.sub("", record.getMessage()),
        }
        fields.update((k, v) for k, v in vars(record).items() if k not in RECORD_ATTRIBUTES and not k.startswith("_"))
        if record.exc_info:
            fields["error"] = self.formatException(record.exc_info)
        return fields

    def format(self, record: logging.LogRecord) -> str:
        """One line, secrets removed."""
        return redact(self.render(self.fields(record)), self.secrets)

    def render(self, fields: dict) -> str:
        raise NotImplementedError


class TextFormatter(_Formatter):
    """logfmt-style: `time=… level=info logger=worker.jobs msg="task 53 (event): found im 24.500.0" task=53`."""

    def render(self, fields: dict) -> str:
        """key=value pairs, values quoted when they hold spaces, quotes or newlines."""
        return " ".join(f"{key}={_logfmt_value(value)}" for key, value in fields.items())


class JsonFormatter(_Formatter):
    """One JSON object a line, the same fields as the text format."""

    def render(self, fields: dict) -> str:
        """The fields as compact JSON; values JSON cannot hold become strings."""
        return json.dumps(fields, ensure_ascii=False, default=str)


def _logfmt_value(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if text and BARE_VALUE.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def formatter(log_format: str = DEFAULT_FORMAT, secrets: Iterable[str] = ()) -> logging.Formatter:
    """The formatter for LOG_FORMAT (a dictConfig `()` factory)."""
    return (JsonFormatter if check_format(log_format) == "json" else TextFormatter)(secrets)


def logging_config(env: Mapping[str, str], level: str = "INFO", stream: str = "stdout") -> dict:
    """A dictConfig mapping: everything to stdout through the one formatter, gunicorn's and RQ's loggers too."""
    handler = {"class": "logging.StreamHandler", "stream": f"ext://sys.{stream}", "formatter": "releasebot"}
    quiet = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"releasebot": {"()": "releasebot.logs.formatter",
                                      "log_format": check_format(env.get("LOG_FORMAT")),
                                      "secrets": list(secrets_in(env))}},
        "handlers": {"stdout": handler},
        "root": {"level": level, "handlers": ["stdout"]},
        # gunicorn and RQ attach handlers of their own; these send their records to the root handler instead.
        "loggers": {name: dict(quiet) for name in ("gunicorn.error", "gunicorn.access", "rq.worker", "rq.job",
                                                   "rq.cron", "rq.scheduler")},
    }
