"""The Flask app: receives Bitrix24 events, queues them, and serves results, health and metrics."""

from __future__ import annotations

import logging
import logging.config
import os
from collections.abc import Mapping

from flask import Flask, jsonify, render_template, request
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from infra.connection import redis_from_url
from infra.queueing import webhook_enqueuers
from releasebot.errors import ConfigError
from releasebot.logs import logging_config
from releasebot.settings import Settings, load_dotenv_file
from store import ResultStore, failure, open_database
from web.body_deadline import MAX_BODY_BYTES, BodyDeadline
from web.component_urls import ComponentConverter
from worker.jobs import process_task

# Tests that give no DATABASE_URL (and no engine) get a database of their own, in memory.
TEST_DATABASE_URL = "sqlite://"


def create_app(test_config: Mapping[str, str] | None = None, connection: Redis | None = None,
               engine: Engine | None = None) -> Flask:
    """Build the app from the environment (or from `test_config`, a given Redis and database in tests)."""
    if test_config is None:
        settings = _settings_from_environment()
    else:
        settings = Settings.from_env(test_config).require("BITRIX_APP_TOKEN")
    app = Flask(__name__)
    app.url_map.converters["component"] = ComponentConverter
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    app.extensions["releasebot.settings"] = settings
    app.extensions["releasebot.redis"] = connection or redis_from_url(settings.redis_url)
    app.extensions["releasebot.store"] = ResultStore(engine or _database(settings, test_config))
    app.extensions["releasebot.queue"] = Queue(
        settings.queue_name, connection=app.extensions["releasebot.redis"]
    )
    app.extensions["releasebot.enqueuers"] = webhook_enqueuers(app.extensions["releasebot.redis"], process_task)
    from web import access, health, pages, results, webhook
    from web.csp import content_security_policy
    from web.dashboard import mount_dashboard

    app.before_request(access.require_read_token)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(pages.bp)
    try:
        mount_dashboard(app, settings)
    except ConfigError as error:
        if test_config is not None:
            raise
        raise _stop_gunicorn(error) from None
    app.after_request(content_security_policy)
    app.register_error_handler(HTTPException, _error)
    app.register_error_handler(RedisError, _redis_down)
    app.register_error_handler(SQLAlchemyError, _database_down)
    app.wsgi_app = BodyDeadline(app.wsgi_app)
    return app


def _database(settings: Settings, test_config: Mapping[str, str] | None) -> Engine:
    """The record's database, its schema ready; a database behind (or unreachable) stops gunicorn in one line."""
    if test_config is not None:
        return open_database(test_config.get("DATABASE_URL") or TEST_DATABASE_URL)
    try:
        return open_database(settings.database_url)
    except ConfigError as error:
        raise _stop_gunicorn(error) from None


def _settings_from_environment() -> Settings:
    """Settings from os.environ (and .env); logs go to stdout in LOG_FORMAT; a bad setting stops in one line."""
    load_dotenv_file()
    try:
        settings = Settings.from_env(os.environ).require("BITRIX_APP_TOKEN")
        if not logging.getLogger().handlers:  # gunicorn.conf.py configures logging when gunicorn reads it
            logging.config.dictConfig(logging_config(os.environ))
        return settings
    except ConfigError as error:
        raise _stop_gunicorn(error) from None


def _stop_gunicorn(error: ConfigError) -> Exception:
    """The error to raise for a bad setting: gunicorn prints its message alone and stops, where any other
    error is a traceback (gunicorn.conf.py checks the required ones before booting, but is only read from the
    working directory)."""
    from gunicorn.errors import AppImportError

    return AppImportError(f"releasebot web: {error}")


# Paths answered in JSON (for the portal, scripts and monitors); errors elsewhere are pages for people.
JSON_PATHS = ("/api/", "/bitrix/", "/healthz", "/metrics")


def _error(error: HTTPException):
    """An HTTP error as JSON for machines, or as a page for people; its headers (WWW-Authenticate) kept."""
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    if request.path.startswith(JSON_PATHS):
        # "accepted" is the webhook's word (did the bot take the event?); the read API only says what went wrong.
        accepted = {"accepted": False} if request.path.startswith("/bitrix/") else {}
        return jsonify(accepted | {"error": error.description}), error.code, headers
    return render_template("error.html", code=error.code, description=error.description), error.code, headers


def _redis_down(error: RedisError):
    """Whatever reads Redis (results, pages, metrics) answers 503 saying so, as JSON or as a page; the webhook
    and /healthz answer Redis trouble themselves."""
    if request.path.startswith(JSON_PATHS):
        return jsonify({"error": f"Redis does not answer: {error}; check REDIS_URL"}), 503
    description = f"Redis does not answer ({error}); check REDIS_URL and that Redis is running"
    return render_template("error.html", code=503, description=description), 503


def _database_down(error: SQLAlchemyError):
    """Whatever reads the record answers 503 when the database does not, as JSON or as a page."""
    logging.getLogger(__name__).error("the database did not answer: %s", failure(error))
    description = f"the database does not answer ({failure(error)}); check DATABASE_URL"
    if request.path.startswith(JSON_PATHS):
        return jsonify({"error": description}), 503
    return render_template("error.html", code=503, description=description), 503
