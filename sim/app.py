"""The simulator's Flask app: the VibeCode API under the portal prefix, the control API under /_sim."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from sim import api, control
from sim.error_answers import CODE_FOR_STATUS, ApiError
from sim.state import SimState

CONTROL_PREFIX = "/_sim"
HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}


def create_sim_app(state: SimState) -> Flask:
    """A Flask app serving `state`; the API prefix is the one the state's portal has now."""
    app = Flask("sim")
    app.json.sort_keys = False
    app.extensions[api.STATE_EXTENSION] = state
    app.register_blueprint(api.blueprint, url_prefix=state.portal.prefix)
    app.register_blueprint(control.blueprint, url_prefix=CONTROL_PREFIX)
    app.register_error_handler(ApiError, api_error_answer)
    app.register_error_handler(HTTPException, http_error_answer)
    app.after_request(record_call)
    return app


def api_error_answer(error: ApiError):
    """An API error as its JSON body, status and headers."""
    return jsonify(error.body()), error.status, error.headers()


def http_error_answer(error: HTTPException):
    """Routing and server errors in the same envelope as the API's own."""
    status = error.code or 500
    code = HTTP_CODES.get(status) or CODE_FOR_STATUS.get(status, "INTERNAL_ERROR")
    message = error.description or error.name
    if status in (404, 405):
        message = f"no such endpoint: {request.method} {request.path}"
    return api_error_answer(ApiError(status, code, message))


def record_call(response: Response) -> Response:
    """Record every call outside the control API with what it was answered."""
    if not request.path.startswith(CONTROL_PREFIX):
        api.sim_state().recorder.record(call_record(response))
    return response


def call_record(response: Response) -> dict:
    """One recorded call."""
    answer = response.get_json(silent=True) if response.is_json else None
    error = answer.get("error") if isinstance(answer, dict) else None
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": request.method,
        "path": request.path,
        "route": request.url_rule.rule if request.url_rule else request.path,
        "query": request.args.to_dict(),
        "json": request.get_json(silent=True),
        "apiKey": request.headers.get("X-Api-Key"),
        "status": response.status_code,
        "errorCode": error.get("code") if isinstance(error, dict) else None,
        "fault": g.get("fault"),
    }
