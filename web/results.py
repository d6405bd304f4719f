"""The read API: what the bot knows about tasks and releases, as JSON and as release notes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request
from werkzeug.utils import secure_filename

from releasebot import notes
from releasebot.attention import OUTCOMES as ATTENTION_OUTCOMES
from web import queries
from worker.store import MAX_LISTED

bp = Blueprint("results", __name__)


@bp.get("/api/tasks/<int:task_id>")
def task_result(task_id: int):
    """The latest result for a task."""
    result = queries.store().get(task_id)
    if result is None:
        abort(404, description=f"task {task_id} has not been processed")
    return jsonify(result.to_json())


@bp.get("/api/tasks")
def tasks_needing_attention():
    """Tasks whose latest result is failed or not_found, newest first, with what to do."""
    outcome = request.args.get("outcome", "")
    if outcome not in ATTENTION_OUTCOMES:
        abort(400, description=f"outcome must be one of {', '.join(ATTENTION_OUTCOMES)}")
    limit = request.args.get("limit", MAX_LISTED, type=int)
    return jsonify({"outcome": outcome, "tasks": queries.needing_attention(outcome, min(max(limit, 1), MAX_LISTED))})


@bp.get("/api/releases")
def releases():
    """Every known component/version with its task count and first and last announcement."""
    return jsonify({"releases": queries.store().releases()})


@bp.get("/api/releases/<component:component>/<version>")
def release_tasks(component: str, version: str):
    """The tasks shipped in one component/version, as JSON objects or as release notes."""
    fmt = request.args.get("format", "json")
    if fmt not in notes.FORMATS:
        abort(400, description=f"format must be one of {', '.join(notes.FORMATS)}")
    tasks = queries.release_tasks(component, version)
    if not tasks:
        abort(404, description=f"no task is known to have shipped in {component} {version}")
    component = component.lower()
    if fmt == "json":
        response = jsonify({"component": component, "version": version, "tasks": tasks})
    else:  # content_type, not mimetype: the media type already names its charset (Flask would add it again)
        response = Response(notes.render(fmt, component, version, tasks), content_type=notes.MEDIA_TYPES[fmt])
    return _as_download(response, fmt, component, version)


def _as_download(response: Response, fmt: str, component: str, version: str) -> Response:
    """`?download=1` saves the answer, in any format, as a file."""
    if request.args.get("download"):
        name = secure_filename(f"{component}-{version}.{notes.EXTENSIONS[fmt]}") or "notes.txt"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
