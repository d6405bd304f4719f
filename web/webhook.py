"""POST /bitrix/events: verify, parse, enqueue, answer — nothing else on this path."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request
from redis.exceptions import RedisError

from releasebot.bitrix_event import MalformedEvent, parse_event, token_is_valid
from worker.metrics import Metrics
from worker.queueing import enqueue_task

bp = Blueprint("events", __name__)
log = logging.getLogger(__name__)


@bp.post("/bitrix/events")
def receive_event():
    """The Bitrix24 outgoing-webhook handler."""
    form = request.form
    if not token_is_valid(form, current_app.extensions["releasebot.settings"].bitrix_app_tokens):
        return _answer(401, "unauthorized", accepted=False, error="missing or wrong auth[application_token]")
    try:
        event = parse_event(form)
    except MalformedEvent as error:
        return _answer(400, "malformed", accepted=False, error=str(error))
    if not event.should_queue:
        return _answer(200, "ignored", accepted=True, queued=False, reason=f"{event.name} is not acted on")
    try:
        queued, reason = enqueue_task(current_app.extensions["releasebot.queue"], event.task_id)
    except RedisError as error:
        log.error("event for task %s not queued, Redis unavailable: %s", event.task_id, error,
                  extra={"task": event.task_id})
        return _answer(503, "", accepted=False, error="queue unavailable: Redis does not answer; check REDIS_URL")
    answer = "queued" if queued else "already_queued"
    return _answer(200, answer, accepted=True, queued=queued, reason=reason, taskId=event.task_id)


def _answer(status: int, counted_as: str, **body):
    """The JSON answer, counted for /metrics by its kind (not when Redis is away: nothing can count it)."""
    if counted_as:
        Metrics(current_app.extensions["releasebot.redis"]).count_event(counted_as)
    return jsonify(body), status
