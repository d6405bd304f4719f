"""The Flask app: receives Bitrix24 events, queues them, and serves results."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask, jsonify
from redis import Redis
from rq import Queue
from werkzeug.exceptions import HTTPException

from releasebot.settings import Settings, load_dotenv_file
from web.body_deadline import BodyDeadline
from worker.connection import redis_from_url

MAX_BODY_BYTES = 64 * 1024  # a task event is well under 2 KB; anything this big is not one


def create_app(test_config: Mapping[str, str] | None = None, connection: Redis | None = None) -> Flask:
    """Build the app from the environment (or from `test_config` and a given Redis in tests)."""
    if test_config is None:
        load_dotenv_file()
    settings = Settings.from_env(test_config if test_config is not None else os.environ)
    settings.require("BITRIX_APP_TOKEN")
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    app.extensions["releasebot.settings"] = settings
    app.extensions["releasebot.redis"] = connection or redis_from_url(settings.redis_url)
    app.extensions["releasebot.queue"] = Queue(
        settings.queue_name, connection=app.extensions["releasebot.redis"]
    )
    from web import results, webhook

    app.register_blueprint(webhook.bp)
    app.register_blueprint(results.bp)
    app.register_error_handler(HTTPException, _json_error)
    app.wsgi_app = BodyDeadline(app.wsgi_app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app


def _json_error(error: HTTPException):
    """Every HTTP error as JSON, so the portal and operators see why."""
    return jsonify({"accepted": False, "error": error.description}), error.code
