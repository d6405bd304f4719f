"""Results: what the bot knows about tasks and releases."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template
from redis.exceptions import RedisError

from worker.store import ResultStore

bp = Blueprint("results", __name__)


def _store() -> ResultStore:
    return ResultStore(current_app.extensions["releasebot.redis"])


@bp.get("/api/tasks/<int:task_id>")
def task_result(task_id: int):
    """The latest result for a task."""
    result = _store().get(task_id)
    if result is None:
        abort(404, description=f"task {task_id} has not been processed")
    return jsonify(result.to_json())


@bp.get("/api/releases")
def releases():
    """Every known component/version with its task count."""
    return jsonify({"releases": _store().releases()})


@bp.get("/api/releases/<component>/<version>")
def release_tasks(component: str, version: str):
    """The tasks shipped in one component/version."""
    tasks = _store().tasks_in(component, version)
    if not tasks:
        abort(404, description=f"no task is known to have shipped in {component} {version}")
    return jsonify({"component": component, "version": version, "tasks": tasks})


@bp.get("/releases")
def releases_page():
    """The release index as a page for people."""
    return render_template("releases.html", rows=_store().releases(with_task_ids=True))


@bp.errorhandler(RedisError)
def redis_down(error):
    """Results need Redis; say so instead of a 500."""
    return jsonify({"error": f"Redis does not answer: {error}; check REDIS_URL"}), 503
