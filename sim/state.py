"""The simulated portal: keys, tasks, chats and comments behind one lock, and the rules the API enforces."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timedelta

from releasebot.comment import MAX_COMMENT_CHARS
from sim import wire
from sim.edits import apply_patch, check_patch
from sim.error_answers import ApiError, bitrix_error, invalid_params
from sim.event_sender import EventSender
from sim.faults import FaultInjector
from sim.portal import ApiKey, ChatMessage, PortalOptions, SimTask, TaskComment
from sim.recording import Recorder
from sim.scenario import (
    ScenarioError,
    boolean,
    load_scenario,
    message_spec,
    parse_int,
    parse_time,
)
from sim.search import parse_query, run_query

DEFAULT_PAGE = 50
MAX_PAGE = 200
LEGACY_MAX_PAGE = 50
MAX_COMMENT_PAGE = 50
RUNTIME_STEP = timedelta(seconds=1)
CONTROL_FIELDS = {"messages", "members", "legacy", "closedDate", "notify"}


def require_scope(key: ApiKey, scope: str = "task") -> None:
    """403 SCOPE_DENIED unless the key has the scope."""
    if scope not in key.scopes:
        raise ApiError(403, "SCOPE_DENIED", f"The key lacks the '{scope}' scope",
                       hint="issue a key with the scopes task, tasks and im")


def require_writable(key: ApiKey) -> None:
    """403 WRITE_BLOCKED_READONLY_KEY for a read-only key."""
    if key.read_only:
        raise ApiError(403, "WRITE_BLOCKED_READONLY_KEY", "This key is read-only",
                       hint="use a key with write access to change tasks or post comments")


class SimState:
    """The whole portal and its machinery (faults, recordings, events); every method is thread-safe."""

    def __init__(self, scenario=None):
        self._lock = threading.RLock()
        self.recorder = Recorder()
        self.events = EventSender()
        self.load(scenario)

    def load(self, source) -> None:
        """Replace the portal with a scenario (a path, a dict, or None for the demo); recordings restart."""
        scenario = load_scenario(source)
        faults = FaultInjector(scenario.faults)
        with self._lock:
            self._scenario = scenario
            self.faults = faults
        self.events.config = scenario.events
        self.recorder.clear()

    @property
    def portal(self) -> PortalOptions:
        """The portal-wide options."""
        return self._scenario.portal

    def set_legacy(self, legacy: bool) -> None:
        """Switch old-portal chat paging on or off for the whole portal."""
        with self._lock:
            self._scenario.portal = dataclasses.replace(self._scenario.portal, legacy=legacy)

    def close(self) -> None:
        """Stop background work (event delivery)."""
        self.events.close()

    def first_key(self) -> str | None:
        """The first key of the scenario: the one a demo or a test uses by default."""
        return next(iter(self._scenario.keys), None)

    def authenticate(self, api_key: str | None, authorization: str | None) -> ApiKey:
        """The key of a call, or a 401 saying what is wrong with it."""
        if not api_key:
            raise ApiError(401, "MISSING_API_KEY", "The X-Api-Key header is missing",
                           hint="send your key as X-Api-Key: vibe_api_...")
        key = self._scenario.keys.get(api_key)
        if key is None:
            raise ApiError(401, "INVALID_API_KEY", "The API key is not valid", hint="check VIBE_API_KEY")
        if key.is_app_key:
            _check_bearer(key, authorization)
        if key.expired:
            raise ApiError(401, "TOKEN_EXPIRED", "The key's session token has expired", hint="get a new one")
        return key

    @staticmethod
    def whoami(key: ApiKey) -> dict:
        """GET /me."""
        return {"userId": key.user_id, "scopes": sorted(key.scopes),
                "accessMode": "readonly" if key.read_only else "full"}

    def task_json(self, task_id: int) -> dict:
        """GET /tasks/<id>."""
        with self._lock:
            return wire.task_json(self._task(task_id), self.portal)

    def patch_task(self, task_id: int, body: dict) -> dict:
        """PATCH /tasks/<id>: the task as it is after the change."""
        changes = check_patch(body)
        with self._lock:
            task = self._task(task_id)
            apply_patch(task, changes, self._now(task))
            answer = wire.task_json(task, self.portal)
        self.events.task_changed(task_id)
        return answer

    def chat_page(self, task_id: int, key: ApiKey, limit: int | None, last_id: int | None) -> dict:
        """GET /tasks/<id>/chat/messages: newest first, older than last_id, hasNextPage."""
        with self._lock:
            task = self._scenario.tasks.get(task_id)
            if task is None or task.chat is None:
                raise ApiError(404, "TASK_CHAT_NOT_FOUND", f"Task {task_id} has no chat",
                               hint="Bitrix24 creates a task's chat with its first message")
            self._check_chat_access(task, key)
            legacy = self._legacy(task)
            size = min(limit or DEFAULT_PAGE, LEGACY_MAX_PAGE if legacy else MAX_PAGE)
            older = [m for m in reversed(task.chat) if last_id is None or m.id < last_id]
            page = older[:size]
            has_next = len(page) == size if legacy else len(older) > size
            return {"messages": [wire.message_json(m) for m in page], "hasNextPage": has_next}

    def _check_chat_access(self, task: SimTask, key: ApiKey) -> None:
        if "im" not in key.scopes:
            raise bitrix_error("insufficient_scope")
        if task.members is not None and key.user_id not in task.members | self.portal.admins:
            raise bitrix_error("ACCESS_ERROR")

    def comments_page(self, task_id: int, limit: int | None, offset: int | None) -> tuple[list, dict]:
        """GET /tasks/<id>/comments: human comments oldest first, and the list meta."""
        with self._lock:
            human = [c for c in self._task(task_id).comments if not c.is_system]
        start, size = offset or 0, min(limit or DEFAULT_PAGE, MAX_COMMENT_PAGE)
        page = human[start:start + size]
        return [wire.comment_json(c) for c in page], list_meta(len(human), start + len(page))

    def add_comment(self, task_id: int, key: ApiKey, text) -> int:
        """POST /tasks/<id>/comments: the new comment's id; it shows in the chat too on new portals, not on old
        (legacy) ones."""
        text = check_comment_text(text)
        with self._lock:
            task = self._task(task_id)
            now = self._now(task)
            shown = None if self._legacy(task) else self._append_message(task, ChatMessage(0, key.user_id, text, now))
            comment_id = self._scenario.comment_ids.take()
            task.comments.append(TaskComment(comment_id, key.user_id, text, now, False, shown and shown.id))
            task.changed_date = now
        self.events.task_changed(task_id)
        return comment_id

    def search(self, body: dict) -> tuple[list, dict]:
        """POST /tasks/search: the page of tasks and the list meta."""
        query = parse_query(body, self.portal.timezone)
        with self._lock:
            page, total = run_query(query, list(self._scenario.tasks.values()))
            found = [wire.task_json(task, self.portal, query.select) for task in page]
        return found, list_meta(total, query.offset + len(found))

    def task_snapshot(self, task_id: int) -> dict:
        """Everything about a task, for the control API."""
        with self._lock:
            return snapshot(self._task(task_id))

    def change_task(self, task_id: int, body: dict) -> dict:
        """Change (or create) a task from the control API: PATCH fields plus messages, members, legacy."""
        changes = check_patch({k: v for k, v in body.items() if k not in CONTROL_FIELDS}, allow_empty=True)
        control = control_changes(body, self.portal.timezone)
        with self._lock:
            task = self._scenario.tasks.get(task_id) or SimTask(task_id, f"Task {task_id}")
            apply_patch(task, changes, self._now(task))
            for name in ("closed_date", "members", "legacy"):
                if name in control:
                    setattr(task, name, control[name])
            for spec in control.get("messages", []):
                message = ChatMessage(0, spec.author_id, spec.text, spec.created_at or self._now(task),
                                      spec.is_system)
                self._append_message(task, message)
            self._scenario.tasks[task_id] = task
            answer = snapshot(task)
        if body.get("notify", True):
            self.events.task_changed(task_id)
        return answer

    def stats(self) -> dict:
        """Counts of calls, faults and events, and the size of the portal."""
        with self._lock:
            tasks = len(self._scenario.tasks)
        sent = self.events.sent()
        return {**self.recorder.stats(), "tasks": tasks,
                "events": {"sent": len(sent), "failed": sum("error" in e for e in sent)}}

    def _legacy(self, task: SimTask) -> bool:
        """Whether the task behaves as on an old portal (chat pages of 50, comments not in the chat)."""
        return self.portal.legacy if task.legacy is None else task.legacy

    def _task(self, task_id: int) -> SimTask:
        task = self._scenario.tasks.get(task_id)
        if task is None:
            raise ApiError(404, "ENTITY_NOT_FOUND", f"Task {task_id} not found")
        return task

    def _append_message(self, task: SimTask, message: ChatMessage) -> ChatMessage:
        """Add a message to the task's chat (creating the chat), giving it the next id."""
        message.id = self._scenario.message_ids.take()
        task.chat = [*(task.chat or []), message]
        return message

    def _now(self, task: SimTask) -> datetime:
        """The portal's clock, kept after the task's newest message, comment or change so dates keep increasing
        (a message after the bot's tag write is a later change, as on a portal)."""
        now = datetime.now(self.portal.timezone).replace(microsecond=0)
        latest = [entry.created_at for entry in [*(task.chat or [])[-1:], *task.comments[-1:]]]
        latest += [task.changed_date] if task.changed_date else []
        return max([now, *(moment + RUNTIME_STEP for moment in latest)])


def _check_bearer(key: ApiKey, authorization: str | None) -> None:
    """An application key needs Authorization: Bearer <session token>."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or (key.bearer and token.strip() != key.bearer):
        raise ApiError(401, "INVALID_APP_KEY", "An application key needs a valid Authorization: Bearer token",
                       hint="send Authorization: Bearer <session token> with a vibe_app_ key")


def check_comment_text(text) -> str:
    """A comment text: a non-empty string of at most 20,000 characters."""
    if not isinstance(text, str) or not text.strip():
        raise invalid_params("text is required and must not be empty", hint='send {"text": "..."}')
    if len(text) > MAX_COMMENT_CHARS:
        raise invalid_params(f"text is {len(text)} characters; at most {MAX_COMMENT_CHARS} are allowed")
    return text


def control_changes(body: dict, tz) -> dict:
    """The control-only fields of a task change, checked before anything is applied."""
    control = {}
    if "closedDate" in body:
        closed = body["closedDate"]
        control["closed_date"] = parse_time(closed, "closedDate", tz) if closed is not None else None
    if "members" in body:
        members = body["members"]
        if members is not None and not isinstance(members, list):
            raise ScenarioError(f"members: expected a list of user ids or null, got {members!r}")
        control["members"] = None if members is None else frozenset(parse_int(m, "members") for m in members)
    if "legacy" in body:
        control["legacy"] = None if body["legacy"] is None else boolean(body["legacy"], "legacy")
    messages = body.get("messages") or []
    control["messages"] = [message_spec(item, f"messages[{i}]", tz) for i, item in enumerate(messages)]
    return control


def list_meta(total: int, seen: int) -> dict:
    """The meta of a list answer."""
    return {"total": total, "hasMore": seen < total, "truncated": False}


def snapshot(task: SimTask) -> dict:
    """The control API's full view of a task."""
    comments = [{**wire.comment_json(comment), "isSystem": comment.is_system, "messageId": comment.message_id}
                for comment in task.comments]
    return {
        **wire.task_fields(task),
        "members": sorted(task.members) if task.members is not None else None,
        "legacy": task.legacy,
        "chat": [wire.message_json(m) for m in task.chat] if task.chat is not None else None,
        "comments": comments,
    }
