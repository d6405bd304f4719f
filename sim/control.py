"""The control API under /_sim/ (no key): see and steer the simulator from tests, demos and a shell.

GET  /_sim/requests?path_contains=&method=&status=   every API call answered, oldest first
POST /_sim/reset                                      forget recorded calls
POST /_sim/scenario                                   replace the whole portal with a JSON scenario
                                                      (faults too; the /v1 prefix stays as started)
GET  /_sim/faults, POST /_sim/faults                  the faults in force; set or clear them (faults.py)
GET  /_sim/tasks/<id>                                 a task with its chat, comments and members
POST /_sim/tasks/<id>                                 change or create a task: PATCH fields, closedDate,
                                                      messages [...], members, legacy, notify (default true)
GET  /_sim/stats                                      counts of calls, faults and events
GET  /_sim/events                                     every task event posted, with the handler's answer
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from releasebot.errors import ConfigError
from sim.api import json_body, positive_id, query_number, sim_state
from sim.error_answers import invalid_params

blueprint = Blueprint("sim_control", __name__)


@blueprint.errorhandler(ConfigError)
def bad_setting(error: ConfigError):
    """A wrong scenario, fault or task change is the caller's mistake: 400 saying which."""
    answer = invalid_params(str(error))
    return jsonify(answer.body()), answer.status


@blueprint.get("/requests")
def recorded_requests():
    """The recorded calls, optionally filtered."""
    calls = sim_state().recorder.calls(request.args.get("path_contains"), request.args.get("method"),
                                       query_number("status"))
    return jsonify({"requests": calls})


@blueprint.post("/reset")
def reset():
    """Forget recorded calls."""
    sim_state().recorder.clear()
    return jsonify({"reset": True})


@blueprint.post("/scenario")
def replace_scenario():
    """Replace the portal with the scenario in the body (the routes' prefix stays as the app started)."""
    sim_state().load(json_body())
    return jsonify({"loaded": True})


@blueprint.get("/faults")
def faults():
    """The faults in force."""
    return jsonify(sim_state().faults.describe())


@blueprint.post("/faults")
def set_faults():
    """Set or clear faults."""
    return jsonify(sim_state().faults.configure(json_body()))


@blueprint.get("/tasks/<task_id>")
def task(task_id: str):
    """Everything about one task."""
    return jsonify(sim_state().task_snapshot(positive_id(task_id)))


@blueprint.post("/tasks/<task_id>")
def change_task(task_id: str):
    """Change or create a task."""
    return jsonify(sim_state().change_task(positive_id(task_id), json_body()))


@blueprint.get("/stats")
def stats():
    """Counts of calls, faults and events."""
    return jsonify(sim_state().stats())


@blueprint.get("/events")
def events():
    """The task events posted so far."""
    return jsonify({"events": sim_state().events.sent()})
