"""Value objects shared by the worker, the web app and the CLI: tasks, messages, results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

OUTCOMES = ("found", "not_found", "no_chat", "not_closed", "failed")
MAX_NAME_CHARS = 64  # a component or version longer than this is not one: the job drops the pair with a note
# Outcomes that say what the task shipped in (or that nothing did): a later failure is recorded beside them.
FINAL_OUTCOMES = frozenset({"found", "not_found", "no_chat"})
LAST_FAILURE = "lastFailure"  # the result JSON key of a failure met after a final result
OPTIONAL_KEYS = ("commentMessageId", "newestMessageId", "rulesSha")  # result JSON keys present when known


@dataclass(frozen=True)
class Task:
    """The few task fields the bot needs."""

    id: int
    status: int
    title: str = ""
    closed_date: str | None = None
    tags: tuple[str, ...] = ()
    responsible_id: int | None = None
    group_id: int | None = None
    custom_fields: tuple[tuple[str, str], ...] = ()  # UF_* fields as (name, text), for `post.field`
    changed_date: str | None = None  # a task changed after its result (a late message) is read again

    def custom_field(self, name: str) -> str | None:
        """The text of a UF_* custom field, or None when the task does not carry it."""
        return dict(self.custom_fields).get(name)


@dataclass(frozen=True)
class Message:
    """One task chat message as the API returns it (text still has its BB-codes)."""

    id: int
    author_id: int
    text: str
    created_at: str
    is_system: bool = False


@dataclass(frozen=True)
class Comment:
    """One task comment (human comments only, as the API lists them)."""

    id: int
    author_id: int
    text: str
    created_at: str = ""


@dataclass(frozen=True)
class Release:
    """A component and version found in one chat message, and by which rule."""

    component: str
    version: str
    rule: str
    message_id: int
    author_id: int
    message_at: str
    message_text: str = ""  # the announcing message as a reader sees it, for release pages and notes

    def to_json(self) -> dict:
        """The release as it appears in the result JSON."""
        data = {
            "component": self.component,
            "version": self.version,
            "rule": self.rule,
            "messageId": self.message_id,
            "authorId": self.author_id,
            "messageAt": self.message_at,
        }
        return data | ({"messageText": self.message_text} if self.message_text else {})

    @classmethod
    def from_json(cls, data: dict) -> Release:
        """Inverse of to_json."""
        return cls(
            data["component"], data["version"], data["rule"],
            int(data["messageId"]), int(data["authorId"]), data["messageAt"], data.get("messageText", ""),
        )


@dataclass(frozen=True)
class TaskInfo:
    """What the job's GET /tasks/{id} told about the task, kept with the result (no extra request)."""

    title: str = ""
    closed_date: str | None = None
    responsible_id: int | None = None
    group_id: int | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    # The task's changedDate as the bot left it (after its own comment and tags), when known: the sweep and
    # backfill read a task again only when it changed after that, so the bot's own writes never count.
    changed_date: str | None = None

    @classmethod
    def of(cls, task: Task, url: str | None = None, tags: tuple[str, ...] | None = None) -> TaskInfo:
        """The info of a task as read, with its link and (when the bot changed them) its tags now."""
        return cls(task.title, task.closed_date, task.responsible_id, task.group_id,
                   task.tags if tags is None else tags, url, task.changed_date)

    def to_json(self) -> dict:
        """The `task` object of the result JSON."""
        data = {"title": self.title, "closedDate": self.closed_date, "responsibleId": self.responsible_id,
                "groupId": self.group_id, "tags": list(self.tags), "url": self.url}
        return data | ({"changedDate": self.changed_date} if self.changed_date else {})

    @classmethod
    def from_json(cls, data: dict) -> TaskInfo:
        """Inverse of to_json."""
        return cls(str(data.get("title") or ""), data.get("closedDate"), data.get("responsibleId"),
                   data.get("groupId"), tuple(data.get("tags") or ()), data.get("url"), data.get("changedDate"))


@dataclass(frozen=True)
class ApiErrorInfo:
    """A permanent API error, recorded in a failed result: what it was and what the operator must do."""

    code: str
    message: str
    status: int | None = None
    action: str = ""


@dataclass(frozen=True)
class TaskResult:
    """The outcome of processing one task, as stored and served by GET /api/tasks/<id>."""

    task_id: int
    outcome: str
    processed_at: str
    releases: tuple[Release, ...] = ()
    comment_id: int | None = None
    error: ApiErrorInfo | None = None
    task: TaskInfo | None = None
    tags_added: tuple[str, ...] = ()  # tags the bot put on the task for this result (others are never touched)
    quiet: bool = False  # recorded by `backfill --index-only`: no comment, no tag, until the result changes
    extra: dict = field(default_factory=dict)
    comment_message_id: int | None = None  # the bot's comment as found in the chat (a message id)
    newest_message_id: int | None = None  # the newest chat message, not the bot's, the result was read up to
    rules_sha: str | None = None  # the rules the result was read with

    @property
    def has_comment(self) -> bool:
        """True when the task carries the bot's comment for this result, by comment or chat message id."""
        return bool(self.comment_id or self.comment_message_id)

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {self.outcome!r}")

    def to_json(self) -> dict:
        """The result JSON served by GET /api/tasks/<id> (README, HTTP)."""
        data = {
            "taskId": self.task_id,
            "outcome": self.outcome,
            "releases": [r.to_json() for r in self.releases],
            "commentId": self.comment_id,
            "processedAt": self.processed_at,
        }
        for name, value in (("commentMessageId", self.comment_message_id),
                            ("newestMessageId", self.newest_message_id), ("rulesSha", self.rules_sha)):
            if value is not None:
                data[name] = value
        if self.error is not None:
            data["error"] = {k: v for k, v in asdict(self.error).items() if v not in (None, "")}
        if self.task is not None:
            data["task"] = self.task.to_json()
        if self.tags_added:
            data["tagsAdded"] = list(self.tags_added)
        if self.quiet:
            data["quiet"] = True
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: dict) -> TaskResult:
        """Inverse of to_json."""
        known = {"taskId", "outcome", "releases", "commentId", "processedAt", "error", "task", "tagsAdded", "quiet",
                 *OPTIONAL_KEYS}
        error = data.get("error")
        task = data.get("task")
        return cls(
            task_id=int(data["taskId"]),
            outcome=data["outcome"],
            processed_at=data["processedAt"],
            releases=tuple(Release.from_json(r) for r in data.get("releases", [])),
            comment_id=data.get("commentId"),
            error=ApiErrorInfo(**error) if error else None,
            task=TaskInfo.from_json(task) if isinstance(task, dict) else None,
            tags_added=tuple(data.get("tagsAdded") or ()),
            quiet=bool(data.get("quiet")),
            extra={k: v for k, v in data.items() if k not in known},
            comment_message_id=data.get("commentMessageId"),
            newest_message_id=data.get("newestMessageId"),
            rules_sha=data.get("rulesSha"),
        )


def settled(previous: TaskResult | None, result: TaskResult) -> TaskResult:
    """What to record when `result` follows `previous`: a failure never replaces a final result; the final
    result stays, with the failure beside it as `lastFailure` (its error and when it happened)."""
    if result.outcome != "failed" or previous is None or previous.outcome not in FINAL_OUTCOMES:
        return result
    failure = {k: v for k, v in asdict(result.error).items() if v not in (None, "")} if result.error else {}
    return replace(previous, extra=previous.extra | {LAST_FAILURE: failure | {"at": result.processed_at}})


def without_failure(result: TaskResult) -> TaskResult:
    """The result without the failure recorded beside it (a later run read the task again)."""
    return replace(result, extra={k: v for k, v in result.extra.items() if k != LAST_FAILURE})
