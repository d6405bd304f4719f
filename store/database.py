"""The database of the record: the engine for DATABASE_URL, and its schema brought to (or checked against) the code's.

PostgreSQL in production (`postgres://` as Heroku sets it, or `postgresql://`), a SQLite file as the embedded
default. A SQLite database migrates itself when opened; a PostgreSQL one is migrated by `releasebot db upgrade`
(the release phase), and a process that finds it behind stops with one line saying so.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from releasebot.errors import ConfigError
from store.schema import SCHEMA_REVISION

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 30_000  # how long a SQLite writer waits for another one before "database is locked"
PG_CONNECT_SECONDS = 10
WRITE = {"releasebot_write": True}  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)


class SchemaBehind(ConfigError):
    """The database's schema is older (or newer) than this code's; the message says what to run."""


class DatabaseUnavailable(ConfigError):
    """The database does not answer (or refuses us); the message says which and where to look."""


def failure(error: SQLAlchemyError) -> str:
    """The driver's own first line of a database error, without SQLAlchemy's statement and links."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def engine_url(url: str) -> str:
    """DATABASE_URL as SQLAlchemy takes it: `postgres://` (Heroku) and `postgresql://` use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(engine_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable)"


def open_engine(url: str) -> Engine:
    """An engine for DATABASE_URL; ConfigError naming the problem when it is not a database we support."""
    try:
        parsed = make_url(engine_url(url))
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL must look like postgres://USER:PASSWORD@HOST/NAME or sqlite:///FILE, "
                          f"got {shown(url)!r}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": PG_CONNECT_SECONDS})
    raise ConfigError(f"DATABASE_URL must be a PostgreSQL or SQLite URL, got {shown(url)!r}")


def _sqlite_engine(url) -> Engine:
    """SQLite with WAL (readers never wait for the writer) and writers that wait for each other instead of
    failing; the driver's own transaction handling is off so that BEGIN is ours (SQLAlchemy's recipe)."""
    memory = url.database in (None, "", ":memory:")
    extra = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}} if memory else {}
    engine = create_engine(url, **extra)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
            _write_ahead_log(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")  # WAL's safe setting: durable across a process crash
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A writer takes the write lock first: a read-then-write transaction cannot fail halfway with BUSY.
        immediate = connection.get_execution_options().get("releasebot_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _write_ahead_log(cursor) -> None:
    """Put the file in WAL mode (a property of the file, kept once set). Switching takes a lock that SQLite
    does not wait for, busy_timeout or not: processes opening a new file together (gunicorn forks its workers
    at once) would see "database is locked", so the switch is tried again until SQLITE_BUSY_MS has passed."""
    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def alembic_config(engine: Engine | None = None):
    """Alembic's configuration for the store's migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration's revision, as Alembic reads the migrations folder."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database, or None when it has no releasebot tables yet (read without
    Alembic, whose import alone would slow every process start)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every migration the database lacks; (revision before, revision now)."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, head_revision()


def ready(engine: Engine) -> Engine:
    """The engine once its schema is the code's: SQLite migrates itself, PostgreSQL must already be there."""
    have, need = current_revision(engine), SCHEMA_REVISION
    if have == need:
        return engine
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return engine
    if have != need:
        where = shown(engine.url.render_as_string(hide_password=False))
        state = f"is at schema revision {have}" if have else "has no releasebot tables yet"
        raise SchemaBehind(f"the database {where} {state}, this code needs {need}: run `releasebot db upgrade` "
                           f"(on Heroku the release phase runs it)")
    return engine


def open_database(url: str) -> Engine:
    """The engine for DATABASE_URL with its schema ready (see `ready`); one clear error when it cannot be."""
    engine = open_engine(url)
    try:
        return ready(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise DatabaseUnavailable(f"the database {shown(url)} does not answer ({failure(error)}): "
                                  f"check DATABASE_URL and that the database is running") from None
