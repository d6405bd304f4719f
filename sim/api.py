"""The VibeCode API routes the bot uses, under the portal prefix (/v1): each checks input, asks the state."""

from __future__ import annotations

import re
import time

from flask import Blueprint, current_app, g, jsonify, make_response, request

from sim.error_answers import invalid_params
from sim.state import SimState, require_scope, require_writable

STATE_EXTENSION = "releasebot_sim"
DIGITS = re.compile(r"[0-9]+")
COMMENT_FIELDS = {"text"}

blueprint = Blueprint("vibecode", __name__)


def sim_state() -> SimState:
    """The state the running app serves."""
    return current_app.extensions[STATE_EXTENSION]


@blueprint.before_request
def admit_call():
    """Every call: the key first, then whatever faults are in force."""
    state = sim_state()
    g.key = state.authenticate(request.headers.get("X-Api-Key"), request.headers.get("Authorization"))
    verdict = state.faults.judge(request.method, request.path)
    g.fault = verdict.fault
    if verdict.error and verdict.applied:
        g.answer_instead = verdict.error
    elif verdict.error:
        raise verdict.error
    if verdict.delay:
        time.sleep(verdict.delay)


@blueprint.after_request
def answer_with_the_applied_fault(response):
    """A call carried out under an `applied` fault is answered with the fault, as if the reply was lost."""
    error = g.pop("answer_instead", None)
    if error is None or response.status_code >= 400:
        return response
    return make_response(jsonify(error.body()), error.status, error.headers())


def ok(data, status: int = 200, meta: dict | None = None):
    """The success envelope."""
    body = {"success": True, "data": data}
    if meta is not None:
        body["meta"] = meta
    return jsonify(body), status


def positive_id(value: str, name: str = "taskId") -> int:
    """A path or query id: digits only, above zero."""
    if not DIGITS.fullmatch(value) or int(value) < 1:
        raise invalid_params(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def query_number(name: str, minimum: int = 1) -> int | None:
    """An integer query parameter of at least `minimum`, or None when absent."""
    value = request.args.get(name)
    if value is None:
        return None
    if not DIGITS.fullmatch(value) or int(value) < minimum:
        kind = "a positive integer" if minimum > 0 else "a non-negative integer"
        raise invalid_params(f"{name} must be {kind}, got {value!r}")
    return int(value)


def json_body() -> dict:
    """The JSON object the call sent."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise invalid_params("the body must be a JSON object", hint="send Content-Type: application/json")
    return body


@blueprint.get("/me")
def me():
    """Who the key acts as, and what it may do."""
    return ok(sim_state().whoami(g.key))


@blueprint.get("/tasks/<task_id>")
def get_task(task_id: str):
    """One task."""
    require_scope(g.key)
    return ok(sim_state().task_json(positive_id(task_id)))


@blueprint.patch("/tasks/<task_id>")
def patch_task(task_id: str):
    """Change a task's fields."""
    require_scope(g.key)
    require_writable(g.key)
    return ok(sim_state().patch_task(positive_id(task_id), json_body()))


@blueprint.get("/tasks/<task_id>/chat/messages")
def chat_messages(task_id: str):
    """A page of the task's chat, newest first."""
    require_scope(g.key)
    task = positive_id(task_id)
    limit, last_id = query_number("limit"), query_number("lastId")
    return ok(sim_state().chat_page(task, g.key, limit, last_id))


@blueprint.get("/tasks/<task_id>/comments")
def list_comments(task_id: str):
    """A page of the task's human comments."""
    require_scope(g.key)
    task = positive_id(task_id)
    comments, meta = sim_state().comments_page(task, query_number("limit"), query_number("offset", 0))
    return ok(comments, meta=meta)


@blueprint.post("/tasks/<task_id>/comments")
def post_comment(task_id: str):
    """Post a comment."""
    require_scope(g.key)
    require_writable(g.key)
    task, body = positive_id(task_id), json_body()
    unknown = sorted(set(body) - COMMENT_FIELDS)
    if unknown:
        raise invalid_params(f"unknown field {unknown[0]!r}", hint='send {"text": "..."}')
    return ok({"id": sim_state().add_comment(task, g.key, body.get("text"))}, 201)


@blueprint.post("/tasks/search")
def search_tasks():
    """Find tasks by a Mongo-style filter."""
    require_scope(g.key)
    tasks, meta = sim_state().search(json_body())
    return ok(tasks, meta=meta)
