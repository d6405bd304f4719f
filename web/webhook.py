"""POST /bitrix/events: verify, parse, enqueue, answer — nothing else on this path."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, jsonify, request
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ClientDisconnected

from infra.queueing import QueueFull, enqueue_task
from releasebot.bitrix_event import DOMAIN_FIELD, MalformedEvent, parse_event, token_is_valid
from releasebot.links import portal_from_domain
from store import failure
from web.body_deadline import BODY_READ_SECONDS, MAX_BODY_BYTES

bp = Blueprint("events", __name__)
PORTAL_SEEN = "releasebot.portal-seen"  # the portal in force for links, once this process knows it
TOO_BIG = f"the body is over {MAX_BODY_BYTES // 1024} KB: a Bitrix24 task event is under 2 KB"
# A comment queues its task below every task event: a task closing never waits behind a flood of comments.
COMMENT_EVENT = "ONTASKCOMMENTADD"
log = logging.getLogger(__name__)


@bp.post("/bitrix/events")
def receive_event():
    """The Bitrix24 outgoing-webhook handler."""
    form, enqueuers = _form(), current_app.extensions["releasebot.enqueuers"]
    enqueuer = enqueuers["event"]  # counts the answers given before queueing (all share the counters)
    if not token_is_valid(form, current_app.extensions["releasebot.settings"].bitrix_app_tokens):
        enqueuer.count("unauthorized")
        return _answer(401, accepted=False, error="missing or wrong auth[application_token]")
    try:
        event = parse_event(form)
    except MalformedEvent as error:
        enqueuer.count("malformed")
        return _answer(400, accepted=False, error=str(error))
    if not event.should_queue:
        enqueuer.count("ignored")
        return _answer(200, accepted=True, queued=False, reason=f"{event.name} is not acted on")
    try:
        # One Redis call, which also counts the answer for /metrics (none is counted with Redis away).
        source = "comment" if event.name == COMMENT_EVENT else "event"
        queued, reason = enqueue_task(enqueuers[source], event.task_id, source)
    except QueueFull as error:
        log.warning("event for task %s not queued: %s", event.task_id, error)
        return _answer(503, accepted=False, error=str(error))
    except RedisError as error:
        log.error("event for task %s not queued, Redis unavailable: %s", event.task_id, error,
                  extra={"task": event.task_id})
        return _answer(503, accepted=False, error="queue unavailable: Redis does not answer; check REDIS_URL")
    _remember_portal(form)
    return _answer(200, accepted=True, queued=queued, reason=reason, taskId=event.task_id)


def _remember_portal(form) -> None:
    """The portal the events come from makes task links, unless PORTAL_URL says otherwise. The first portal
    stored keeps them: a later auth[domain], even one sent with the token, cannot point the links elsewhere.
    Looked up once per process, so that the event path keeps its one Redis call. The event is queued by now:
    a database that does not answer costs the link, not the event (a later event stores it)."""
    extensions = current_app.extensions
    if extensions.get(PORTAL_SEEN) or extensions["releasebot.settings"].portal_url:
        return
    portal = portal_from_domain(form.get(DOMAIN_FIELD))
    if portal:
        store = extensions["releasebot.store"]
        try:
            known = store.portal()
            if known is None:
                store.remember_portal(portal)
        except SQLAlchemyError as error:
            log.warning("portal %s not stored, the database did not answer: %s", portal, failure(error))
            return
        extensions[PORTAL_SEEN] = known or portal


def _form():
    """The form, once the body is known to be whole, within MAX_BODY_BYTES and UTF-8 (werkzeug reads one
    that is not as a form)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        abort(413, description=TOO_BIG)
    try:
        body = request.get_data(cache=True)
    except ClientDisconnected:  # how gevent reports the read the body deadline ended (or a client gone)
        body = b""
    if request.content_length is None and len(body) >= MAX_BODY_BYTES:
        # A chunked body has no Content-Length: werkzeug stops reading it at the limit, without an error.
        abort(413, description=TOO_BIG)
    if request.content_length is not None and len(body) < request.content_length:
        abort(408, description=f"the body did not arrive within {BODY_READ_SECONDS:g} s: send it at once")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, description="the body is not UTF-8 form data: Bitrix24 sends UTF-8")
    return request.form


def _answer(status: int, **body):
    """The JSON answer."""
    return jsonify(body), status
