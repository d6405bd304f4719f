"""POST /bitrix/events: verify, parse, enqueue, answer — nothing else on this path."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, jsonify, request
from redis.exceptions import RedisError
from werkzeug.exceptions import ClientDisconnected

from infra.metrics import Metrics
from infra.queueing import QueueFull, enqueue_task
from releasebot.bitrix_event import DOMAIN_FIELD, MalformedEvent, parse_event, token_is_valid
from releasebot.links import portal_from_domain
from web.body_deadline import BODY_READ_SECONDS
from worker.store import ResultStore

bp = Blueprint("events", __name__)
PORTAL_SEEN = "releasebot.portal-seen"  # auth[domain] of the portal this process last stored
# A comment queues its task below every task event: a task closing never waits behind a flood of comments.
COMMENT_EVENT = "ONTASKCOMMENTADD"
log = logging.getLogger(__name__)


@bp.post("/bitrix/events")
def receive_event():
    """The Bitrix24 outgoing-webhook handler."""
    form = _form()
    if not token_is_valid(form, current_app.extensions["releasebot.settings"].bitrix_app_tokens):
        return _answer(401, "unauthorized", accepted=False, error="missing or wrong auth[application_token]")
    try:
        event = parse_event(form)
    except MalformedEvent as error:
        return _answer(400, "malformed", accepted=False, error=str(error))
    if not event.should_queue:
        return _answer(200, "ignored", accepted=True, queued=False, reason=f"{event.name} is not acted on")
    try:
        # One Redis call, which also counts the answer for /metrics.
        source = "comment" if event.name == COMMENT_EVENT else "event"
        queued, reason = enqueue_task(current_app.extensions["releasebot.enqueuers"][source], event.task_id, source)
    except QueueFull as error:
        log.warning("event for task %s not queued: %s", event.task_id, error)
        return _answer(503, "", accepted=False, error=str(error))
    except RedisError as error:
        log.error("event for task %s not queued, Redis unavailable: %s", event.task_id, error,
                  extra={"task": event.task_id})
        return _answer(503, "", accepted=False, error="queue unavailable: Redis does not answer; check REDIS_URL")
    _remember_portal(form)
    return _answer(200, "", accepted=True, queued=queued, reason=reason, taskId=event.task_id)


def _remember_portal(form) -> None:
    """The portal the events come from makes task links, unless PORTAL_URL says otherwise. Stored once per
    portal this process sees, so that the event path keeps its one Redis call."""
    domain, extensions = form.get(DOMAIN_FIELD), current_app.extensions
    if domain == extensions.get(PORTAL_SEEN) or extensions["releasebot.settings"].portal_url:
        return
    portal = portal_from_domain(domain)
    if portal:
        ResultStore(extensions["releasebot.redis"]).remember_portal(portal)
        extensions[PORTAL_SEEN] = domain


def _form():
    """The form, once the body is known to be whole and UTF-8 (werkzeug reads one that is not as a form)."""
    try:
        body = request.get_data(cache=True)
    except ClientDisconnected:  # how gevent reports the read the body deadline ended (or a client gone)
        body = b""
    if request.content_length is not None and len(body) < request.content_length:
        abort(408, description=f"the body did not arrive within {BODY_READ_SECONDS:g} s: send it at once")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, description="the body is not UTF-8 form data: Bitrix24 sends UTF-8")
    return request.form


def _answer(status: int, counted_as: str, **body):
    """The JSON answer, counted for /metrics by its kind (not when Redis is away, nor when queueing counted it)."""
    if counted_as:
        Metrics(current_app.extensions["releasebot.redis"]).count_event(counted_as)
    return jsonify(body), status
