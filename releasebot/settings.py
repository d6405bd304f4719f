"""Settings read once from an environment mapping (12-factor); never at import time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from releasebot.errors import ConfigError

DEFAULT_REDIS_URL = "redis://localhost:6379/0"
DEFAULT_DATABASE_URL = "sqlite:///releasebot.db"  # the embedded default: a SQLite file in the working directory
DEFAULT_VIBE_BASE_URL = "https://vibecode.bitrix24.com/v1"
DEFAULT_RULES_FILE = "rules.yaml"
DEFAULT_PORT = 5000
DEFAULT_RATE_LIMIT = "50/2"  # the portal's leaky bucket: burst 50, then 2 requests a second
QUEUE_NAME = "releasebot"
DEFAULT_TASK_URL_TEMPLATE = "{portal}/company/personal/user/0/tasks/task/view/{id}/"

REDIS_SCHEMES = ("redis", "rediss", "unix")
# Keys and tokens are one word: a space inside one is a comment or a sentence pasted after the value
# (`READ_TOKEN=abc   the token for pages`), which would otherwise become the secret itself.
SECRETS = ("VIBE_API_KEY", "VIBE_BEARER_TOKEN", "BITRIX_APP_TOKEN", "READ_TOKEN")

HINTS = {
    "VIBE_API_KEY": "issue a VibeCode key with the scopes task, tasks and im and set it as VIBE_API_KEY",
    "BITRIX_APP_TOKEN": "copy the application token shown when the Bitrix24 outgoing webhook was saved",
}


@dataclass(frozen=True)
class Settings:
    """Everything the processes are configured with; build it with `from_env`."""

    redis_url: str = DEFAULT_REDIS_URL
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)  # may hold a password
    vibe_api_key: str = field(default="", repr=False)
    vibe_base_url: str = DEFAULT_VIBE_BASE_URL
    vibe_bearer_token: str = field(default="", repr=False)
    bitrix_app_tokens: tuple[str, ...] = field(default=(), repr=False)
    rules_file: str = DEFAULT_RULES_FILE
    port: int = DEFAULT_PORT
    queue_name: str = QUEUE_NAME
    rate_limit: tuple[int, float] = field(default_factory=lambda: parse_rate_limit(DEFAULT_RATE_LIMIT))
    read_token: str = field(default="", repr=False)
    portal_url: str = ""
    task_url_template: str = DEFAULT_TASK_URL_TEMPLATE
    public_url: str = ""
    rq_dashboard: bool = False  # RQ_DASHBOARD=1: rq-dashboard at /rq (the `dashboard` extra), behind READ_TOKEN

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read settings from a mapping such as os.environ; empty values count as unset."""

        def get(name: str, default: str = "") -> str:
            return (env.get(name) or "").strip() or default

        for name in SECRETS:
            _one_word(get(name), name)
        port = get("PORT", str(DEFAULT_PORT))
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ConfigError(f"PORT must be a TCP port number (1-65535), got {port!r}")
        tokens = tuple(t.strip() for t in get("BITRIX_APP_TOKEN").split(",") if t.strip())
        return cls(
            redis_url=_redis_url(get("REDIS_URL", DEFAULT_REDIS_URL)),
            database_url=_database_url(get("DATABASE_URL"), on_heroku=bool(get("DYNO"))),
            vibe_api_key=get("VIBE_API_KEY"),
            vibe_base_url=_base_url(get("VIBE_BASE_URL", DEFAULT_VIBE_BASE_URL), "VIBE_BASE_URL",
                                    DEFAULT_VIBE_BASE_URL),
            vibe_bearer_token=get("VIBE_BEARER_TOKEN"),
            bitrix_app_tokens=tokens,
            rules_file=get("RULES_FILE", DEFAULT_RULES_FILE),
            port=int(port),
            rate_limit=parse_rate_limit(get("VIBE_RATE_LIMIT", DEFAULT_RATE_LIMIT)),
            read_token=get("READ_TOKEN"),
            portal_url=_base_url(get("PORTAL_URL"), "PORTAL_URL", "https://example.bitrix24.com"),
            task_url_template=_task_url_template(get("TASK_URL_TEMPLATE", DEFAULT_TASK_URL_TEMPLATE)),
            public_url=_base_url(get("PUBLIC_URL"), "PUBLIC_URL", "https://releasebot.example.com"),
            rq_dashboard=_switch(get("RQ_DASHBOARD", "0"), "RQ_DASHBOARD"),
        )

    def require(self, *names: str) -> Settings:
        """Raise ConfigError naming the first required variable that is unset."""
        present = {
            "VIBE_API_KEY": bool(self.vibe_api_key),
            "BITRIX_APP_TOKEN": bool(self.bitrix_app_tokens),
        }
        for name in names:
            if not present[name]:
                raise ConfigError(f"{name} is not set: {HINTS[name]}")
        return self


def _switch(text: str, name: str) -> bool:
    """An on/off variable: 1/true/yes/on or 0/false/no/off, any case."""
    value = text.lower()
    if value not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ConfigError(f"{name} must be 1 or 0 (or true/false), got {text!r}")
    return value in {"1", "true", "yes", "on"}


def parse_rate_limit(text: str) -> tuple[int, float]:
    """Read VIBE_RATE_LIMIT as `BURST/RATE`, e.g. `50/2`."""
    try:
        burst, rate = text.split("/")
        parsed = (int(burst), float(rate))
    except ValueError:
        raise ConfigError(f"VIBE_RATE_LIMIT must look like BURST/RATE, e.g. 50/2, got {text!r}") from None
    if parsed[0] < 1 or not parsed[1] > 0:
        raise ConfigError(f"VIBE_RATE_LIMIT needs a burst of at least 1 and a positive rate, got {text!r}")
    return parsed


def _base_url(text: str, name: str, example: str) -> str:
    """An http(s) address without its trailing slash, or "" when unset."""
    if not text:
        return ""
    if not text.startswith(("https://", "http://")):
        raise ConfigError(f"{name} must start with https:// (e.g. {example}), got {text!r}")
    _one_address(text, name, example)
    return text.rstrip("/")


def _database_url(text: str, on_heroku: bool) -> str:
    """DATABASE_URL: PostgreSQL (`postgres://`, as Heroku sets it, or `postgresql://`) or SQLite; the SQLite
    default is refused on a Heroku dyno (DYNO is set), whose files are lost at every restart."""
    if not text and on_heroku:
        raise ConfigError("DATABASE_URL is not set: on Heroku the SQLite default would be lost at every restart; "
                          "heroku addons:create heroku-postgresql:essential-0 sets it")
    text = text or DEFAULT_DATABASE_URL
    if not text.startswith(("postgres://", "postgresql://", "postgresql+psycopg://", "sqlite://")):
        scheme = text.split("://", 1)[0] if "://" in text else text[:20]
        raise ConfigError(f"DATABASE_URL must be a PostgreSQL URL (postgres://USER:PASSWORD@HOST/NAME) or "
                          f"sqlite:///FILE, got one starting {scheme!r}")
    return text


def _redis_url(text: str) -> str:
    """REDIS_URL: a redis://, rediss:// or unix:// address."""
    example = DEFAULT_REDIS_URL
    if text.partition("://")[0] not in REDIS_SCHEMES:
        raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix:// (e.g. {example}), "
                          f"got {_shown(text)!r}")
    _one_address(text, "REDIS_URL", example)
    return text


def _one_address(text: str, name: str, example: str) -> None:
    """A URL is one word with a host: text after it (a comment on the same line) is refused."""
    if any(c.isspace() for c in text) or not (_host(text) or text.startswith("unix://")):
        raise ConfigError(f"{name} must be one address, e.g. {example}, got {_shown(text)!r}: "
                          "put a comment on its own line")


def _host(url: str) -> str:
    """The host part of a URL, or "" when it has none or cannot be read."""
    try:
        return urlsplit(url).netloc
    except ValueError:  # e.g. brackets that are not an IPv6 address
        return ""


def _one_word(text: str, name: str) -> None:
    """A key or token with a space inside is refused (BITRIX_APP_TOKEN: each of its comma-separated
    tokens); the message never shows the value."""
    parts = text.split(",") if name == "BITRIX_APP_TOKEN" else [text]
    if any(len(part.split()) > 1 for part in parts):
        raise ConfigError(f"{name} has a space inside: a key or token is one word; "
                          "put a comment on its own line (the value is not shown here)")


def _shown(text: str) -> str:
    """A URL as it may be printed: without its password."""
    head, at, tail = text.rpartition("@")
    return f"{head.rpartition(':')[0]}:[redacted]@{tail}" if at and ":" in head.partition("://")[2] else text


def _task_url_template(text: str) -> str:
    """TASK_URL_TEMPLATE: must place the task's {id}."""
    if "{id}" not in text:
        raise ConfigError(f"TASK_URL_TEMPLATE must contain {{id}} (default {DEFAULT_TASK_URL_TEMPLATE}), "
                          f"got {text!r}")
    return text


def load_dotenv_file(path: str = ".env") -> None:
    """Read a local .env into os.environ without overriding what is already set."""
    from dotenv import load_dotenv

    load_dotenv(path, override=False)
