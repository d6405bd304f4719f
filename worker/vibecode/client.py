"""The VibeCode API client: one method per remote call, answers parsed into releasebot.model objects.

Each method holds the whole shape of its call (route, request body, where the answer's data sits), so a
shape this project had to assume (tests/data/api/README.md says which) is corrected in that method alone.
Retries happen once, below the client, in urllib3 (`Retry`); what is left after them is raised as a
`worker.vibecode.errors.VibeError`.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from releasebot import __version__
from releasebot.comment import MAX_COMMENT_CHARS
from releasebot.errors import ConfigError
from releasebot.model import Comment, Message, Task
from releasebot.normalize import condensed
from releasebot.settings import Settings
from worker.vibecode.deadline import ANSWER_SECONDS, DeadlineAdapter, request_deadline
from worker.vibecode.errors import (
    ProtocolError,
    TransientError,
    VibeError,
    error_from_exception,
    error_from_response,
    redact,
    unreadable_answer,
)

log = logging.getLogger(__name__)

USER_AGENT = f"releasebot/{__version__}"
DEFAULT_TIMEOUT = (3.05, 15)  # (connect, read) seconds
RATE_LIMITED = 429  # the gateway turned the request away: nothing was applied, so even a POST may be resent
RETRY_STATUSES = (RATE_LIMITED, 500, 502, 503, 504)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
SEARCH_PATH = "/tasks/search"  # a POST that only reads, so it is retried like a GET
TASK_FIELDS_NEEDED = ("id", "status")
# The request layer waits at most this long for one Retry-After (six retries: about a minute); a portal that
# wants longer is left to the job's own retry, which waits up to errors.MAX_RETRY_AFTER without holding a worker.
REQUEST_RETRY_AFTER_MAX = 10
MAX_JSON_DEPTH = 64  # deeper answers are not the API's shapes: refused before anything walks them
# An answer's body, counted as it arrives (on the wire, and again once gunzipped: a 400 KB gzip bomb inflated
# to 1.3 GB before this). The largest real answer, a chat page of 200 long messages, is a few megabytes.
MAX_ANSWER_BYTES = 8 * 1024 * 1024
READ_CHUNK = 64 * 1024
# What a result keeps of the task: a title or a date this long is not one (the rest is cut); tags are written
# back as a whole list, so a task whose tags pass these bounds is refused rather than cut.
MAX_TITLE_CHARS = 1_000
MAX_DATE_CHARS = 64
MAX_TAGS = 100
MAX_TAG_CHARS = 255
TRUE_WORDS = frozenset({"y", "yes", "true", "1"})
FALSE_WORDS = frozenset({"n", "no", "false", "0", ""})
_REQUIRED = object()


@dataclass(frozen=True)
class ChatPage:
    """One page of a task chat, newest message first; `skipped` says which odd messages were left out."""

    messages: tuple[Message, ...]
    has_next_page: bool
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommentPage:
    """One page of a task's human comments."""

    comments: tuple[Comment, ...]
    has_more: bool


@dataclass(frozen=True)
class TaskPage:
    """One page of a task search."""

    tasks: tuple[Task, ...]
    has_more: bool


def default_retry(backoff_factor: float = 0.5) -> Retry:
    """The retry policy: bounded exponential backoff, Retry-After honoured, the last answer kept."""
    return Retry(
        total=6, read=2, backoff_factor=backoff_factor, backoff_max=30, retry_after_max=REQUEST_RETRY_AFTER_MAX,
        status_forcelist=RETRY_STATUSES, allowed_methods=IDEMPOTENT_METHODS,
        respect_retry_after_header=True, raise_on_status=False,
    )


class VibeClient:
    """A thin client of the VibeCode API; `session=None` builds one with the retry policy mounted."""

    def __init__(self, base_url: str, api_key: str, *, bearer_token: str = "",
                 session: requests.Session | None = None, timeout=DEFAULT_TIMEOUT,
                 before_request: Callable[[], None] | None = None, retries: Retry | None = None,
                 on_answer: Callable[[str], None] | None = None, answer_seconds: float = ANSWER_SECONDS):
        if not api_key:
            raise ConfigError("VIBE_API_KEY is not set: the VibeCode client needs a key")
        self.base_url = base_url.rstrip("/")
        self._secrets = (api_key, bearer_token)
        self._headers = _auth_headers(api_key, bearer_token)
        self._timeout = timeout
        self._answer_seconds = answer_seconds  # each request's whole answer (deadline.py)
        self._before_request = before_request or _no_op
        self._on_answer = on_answer or _ignore_answer  # told each call's final HTTP status, or "no_answer"
        self._retrying = session is None
        self._session = session or retrying_session(
            self.base_url, retries or default_retry(), self._before_request)

    @classmethod
    def from_settings(cls, settings: Settings, **kw) -> VibeClient:
        """A client for the configured API; ConfigError names VIBE_API_KEY when it is unset."""
        settings.require("VIBE_API_KEY")
        return cls(settings.vibe_base_url, settings.vibe_api_key,
                   bearer_token=settings.vibe_bearer_token, **kw)

    def __repr__(self) -> str:
        return f"VibeClient({self.base_url!r})"

    def __enter__(self) -> VibeClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def get_task(self, task_id: int) -> Task:
        """The task's id, status, title, closed date and tags."""
        data = self._call("GET", f"/tasks/{_positive(task_id)}")["data"]
        return _task(_object(data, "task"))

    def chat_page(self, task_id: int, *, limit: int, last_id: int | None = None) -> ChatPage:
        """One page of the task's chat, newest first; `last_id` asks for the messages older than it."""
        params = {"limit": _positive(limit, "limit")}
        if last_id is not None:
            params["lastId"] = _positive(last_id, "last_id")
        body = self._call("GET", f"/tasks/{_positive(task_id)}/chat/messages", params=params)
        data = _object(body["data"], "chat page")
        messages, skipped = _messages(_list(_field(data, "messages"), "messages"))
        return ChatPage(messages, _bool(_field(data, "hasNextPage", False)), skipped)

    def list_comments(self, task_id: int, *, limit: int = 50, offset: int = 0) -> CommentPage:
        """One page of the task's human comments."""
        params = {"limit": limit, "offset": offset}
        body = self._call("GET", f"/tasks/{_positive(task_id)}/comments", params=params)
        items = _list(body["data"], "comments")
        comments = tuple(c for c in map(_comment_or_none, items) if c is not None)
        return CommentPage(comments, _has_more(body, len(items), limit))

    def post_comment(self, task_id: int, text: str) -> int:
        """Post a BB-code comment to the task and return the new comment's id; never retried once sent."""
        if len(text) > MAX_COMMENT_CHARS:
            raise ValueError(f"a comment holds at most {MAX_COMMENT_CHARS} characters, not {len(text)}")
        data = self._call("POST", f"/tasks/{_positive(task_id)}/comments", json={"text": text})["data"]
        return _int(_field(_object(data, "created comment"), "id"), "comment id")

    def update_task(self, task_id: int, fields: dict) -> str | None:
        """Set the given task fields (tags are replaced as a whole list); the task's changedDate after the
        change when the answer carries the task (assumed: PATCH answers the task as it is now), else None."""
        data = self._call("PATCH", f"/tasks/{_positive(task_id)}", json=dict(fields)).get("data")
        return (_text(_field(data, "changedDate", None)) or None) if isinstance(data, dict) else None

    def search_tasks(self, filter: dict, *, order: dict | None = None, select: list[str] | None = None,
                     limit: int = 50, offset: int = 0) -> TaskPage:
        """One page of the tasks matching a Mongo-style filter, e.g. {"status": 5}."""
        query = {"filter": filter, "limit": limit, "offset": offset}
        if order:
            query["order"] = order
        if select is not None:
            query["select"] = list(dict.fromkeys([*TASK_FIELDS_NEEDED, *select]))
        body = self._call("POST", SEARCH_PATH, json=query)
        tasks = tuple(_task(_object(t, "task")) for t in _list(body["data"], "tasks"))
        return TaskPage(tasks, _has_more(body, len(tasks), limit))

    def me(self) -> dict:
        """What the key is: its `scopes`, `accessMode` and owner, as the API describes it."""
        return _object(self._call("GET", "/me")["data"], "me")

    def user_id(self) -> int:
        """The id of the Bitrix24 user the key acts as: the author of the bot's comments."""
        return _positive_id(_field(self.me(), "userId"), "me userId")

    def _call(self, method: str, path: str, *, params: dict | None = None, json: object = None) -> dict:
        """Send one request (urllib3 retries it) and return the success envelope, or raise a VibeError."""
        what = f"{method} {path}"
        self._before_request()
        started = time.monotonic()
        try:
            status, headers, body = self._exchange(method, path, params, json)
        except VibeError as error:
            self._on_answer("no_answer")
            raise self._mark(error, method, path) from None
        self._on_answer(str(status))
        log.debug("%s -> HTTP %s in %.2fs", what, status, time.monotonic() - started)
        try:
            return self._envelope(status, headers, body, what)
        except VibeError as error:
            raise self._mark(error, method, path) from None

    def _exchange(self, method: str, path: str, params: dict | None, json: object) -> tuple[int, dict, bytes]:
        """The answer's status, headers and whole body, read within the deadline and the size cap."""
        what = f"{method} {path}"
        with request_deadline(self._answer_seconds) as deadline:
            try:
                response = self._session.request(
                    method, self.base_url + path, params=params, json=json, headers=self._headers,
                    timeout=self._timeout, allow_redirects=False, stream=True)
                with response:
                    return response.status_code, response.headers, _capped_body(response, what)
            except requests.RequestException as exc:
                if deadline.expired:
                    raise TransientError(f"{what}: the answer was not whole within {deadline.seconds:g} s",
                                         code="SLOW_ANSWER") from None
                raise error_from_exception(exc, what, secrets=self._secrets) from exc
            except UnicodeError:  # requests decodes a redirect's Location as UTF-8, and raises when it is not
                raise ProtocolError(f"{what} answered with headers that are not UTF-8 text",
                                    code="BAD_HEADERS") from None

    def _mark(self, error: VibeError, method: str, path: str) -> VibeError:
        """Note whether the request layer already retried this failure, so the job does not retry it again."""
        idempotent = method in IDEMPOTENT_METHODS or path == SEARCH_PATH
        retried_status = error.status in (None, *RETRY_STATUSES) if idempotent else error.status == RATE_LIMITED
        error.retried = self._retrying and retried_status
        return error

    def _envelope(self, status: int, headers, raw: bytes, what: str) -> dict:
        """The `{"success": true, "data": ...}` envelope of an answer; errors and odd shapes raise."""
        body = redact_json(_json_or_none(raw), self._secrets)
        failed = isinstance(body, dict) and body.get("success") is False
        if status >= 300 or failed:
            raise error_from_response(status, body, headers, secrets=self._secrets)
        if not isinstance(body, dict) or "data" not in body:
            raise unreadable_answer(status, headers, raw, what, secrets=self._secrets)
        return body


def retrying_session(base_url: str, retry: Retry, before_attempt: Callable[[], None]) -> requests.Session:
    """A session retrying idempotent calls and the search; other POSTs only when nothing was sent."""
    paced = _paced(retry, before_attempt)
    methods = frozenset(paced.allowed_methods or IDEMPOTENT_METHODS)
    session = requests.Session()
    # Proxies, .netrc and CA bundles from the environment are looked up on every request otherwise.
    session.trust_env = False
    # urllib3 retries connect errors whatever the method, but a read timeout or a 5xx only for allowed
    # methods: a POST /comments that may have been applied is therefore never sent twice.
    without_post = paced.new(allowed_methods=methods - {"POST"})
    with_post = paced.new(allowed_methods=methods | {"POST"})
    session.mount(base_url, DeadlineAdapter(max_retries=without_post))
    session.mount(base_url + SEARCH_PATH, DeadlineAdapter(max_retries=with_post))
    return session


def _capped_body(response: requests.Response, what: str) -> bytes:
    """The whole body, decoded; past MAX_ANSWER_BYTES on the wire or decoded, a ProtocolError (not read on)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
        raise _too_large(what, response.status_code, f"announced {int(declared):,} bytes")
    chunks, size = [], 0
    for chunk in response.iter_content(READ_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES or response.raw.tell() > MAX_ANSWER_BYTES:
            raise _too_large(what, response.status_code, "sent more")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(what: str, status: int, how: str) -> ProtocolError:
    return ProtocolError(f"{what} {how} than the {MAX_ANSWER_BYTES // 1024 ** 2} MB any answer of the API fits in",
                         status=status, code="ANSWER_TOO_LARGE",
                         action="check that VIBE_BASE_URL is the VibeCode API and not another server")


class _PacedRetry(Retry):
    """A Retry calling `before_attempt` before each retry, so retries wait for the shared rate limiter too."""

    before_attempt: Callable[[], None]

    def new(self, **kw) -> _PacedRetry:
        retry = super().new(**kw)
        retry.before_attempt = self.before_attempt
        return retry

    def sleep(self, response=None) -> None:
        super().sleep(response)
        self.before_attempt()

    def parse_retry_after(self, retry_after: str) -> float:
        """Seconds to wait, at most retry_after_max; 0 (the backoff instead) for a value that is not one."""
        try:
            seconds = super().parse_retry_after(retry_after)
        except (InvalidHeader, ValueError, OverflowError):
            return 0.0
        return min(seconds, self.retry_after_max)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """Also retry a POST the gateway rate-limited: it was turned away before anything was applied."""
        if status_code == RATE_LIMITED and status_code in (self.status_forcelist or ()):
            return True
        return super().is_retry(method, status_code, has_retry_after)


def _paced(retry: Retry, before_attempt: Callable[[], None]) -> _PacedRetry:
    """The caller's Retry policy, unchanged, with the before-attempt hook."""
    paced = _PacedRetry()
    vars(paced).update(vars(retry))  # Retry keeps its whole policy in plain attributes, which new() copies
    paced.before_attempt = before_attempt
    return paced


def _no_op() -> None:
    """The default before-request hook."""


def _ignore_answer(status: str) -> None:
    """The default answer hook."""


def _auth_headers(api_key: str, bearer_token: str) -> dict[str, str]:
    """The headers sent with every call; an application key also needs its session's bearer token."""
    headers = {"X-Api-Key": api_key, "Accept": "application/json", "User-Agent": USER_AGENT}
    if bearer_token:
        headers["Authorization"] = f"Bearer {bearer_token}"
    return headers


def _json_or_none(raw: bytes) -> object:
    """The parsed JSON body, or None when there is none, it is not JSON, or it nests past any API shape."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return body if _depth_at_most(body, MAX_JSON_DEPTH) else None


def _depth_at_most(value: object, limit: int) -> bool:
    """Whether `value` nests lists and objects at most `limit` deep (checked without recursion)."""
    level = [value]
    for _ in range(limit + 1):
        level = [child for item in level for child in _children(item)]
        if not level:
            return True
    return False


def _children(value: object) -> list:
    """The members of a JSON list or object (keys and values), else none."""
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return value if isinstance(value, list) else []


def redact_json(value: object, secrets) -> object:
    """A parsed JSON answer with every secret redacted from every string in it, keys as well as values."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {redact(str(k), secrets): redact_json(v, secrets) for k, v in value.items()}
    return value


def _has_more(body: dict, count: int, limit: int) -> bool:
    """`meta.hasMore` of a list answer; without meta, a full page is taken to mean there may be more."""
    meta = body.get("meta")
    if isinstance(meta, dict) and _field(meta, "hasMore", None) is not None:
        return _bool(_field(meta, "hasMore"))
    return count >= limit


def _task(data: dict) -> Task:
    """A Task from the API's task object (camelCase or Bitrix UPPER_CASE keys)."""
    return Task(
        id=_int(_field(data, "id"), "task id"),
        status=_int(_field(data, "status"), "task status"),
        title=_text(_field(data, "title", ""))[:MAX_TITLE_CHARS],
        closed_date=_text(_field(data, "closedDate", None))[:MAX_DATE_CHARS] or None,
        changed_date=_text(_field(data, "changedDate", None))[:MAX_DATE_CHARS] or None,
        tags=_tags(_field(data, "tags", None)),
        responsible_id=_optional_int(_field(data, "responsibleId", None), "responsibleId"),
        group_id=_optional_int(_field(data, "groupId", None), "groupId"),
        custom_fields=tuple((k, _text(v)) for k, v in data.items()
                            if str(k).startswith("UF_") and not isinstance(v, dict | list)),
    )


def _messages(items: list) -> tuple[tuple[Message, ...], tuple[str, ...]]:
    """The page's messages; one the client cannot read is left out with a note, never failing the page."""
    messages, skipped = [], []
    for position, item in enumerate(items):
        try:
            messages.append(_message(item))
        except ProtocolError as error:
            skipped.append(f"chat message #{position + 1} of a page skipped: {error.message}")
    return tuple(messages), tuple(skipped)
def _optional_int(value: object, what: str) -> int | None:
    """An integer field the bot only shows: absent, null, empty or not an integer is None."""
    try:
        return None if value in (None, "") else _int(value, what)
    except ProtocolError:
        return None


def _message(data: object) -> Message:
    """A Message from one chat message object; a missing isSystem falls back to authorId 0."""
    data = _object(data, "message")
    author_id = _int(_field(data, "authorId", 0), "message authorId")
    return Message(
        id=_positive_id(_field(data, "id"), "message id"),
        author_id=author_id,
        text=condensed(_text(_field(data, "text", ""))),
        created_at=_text(_field(data, "createdAt", ""))[:MAX_DATE_CHARS],
        is_system=_bool(_field(data, "isSystem", author_id == 0)),
    )


def _comment(data: object) -> Comment:
    """A Comment from one comment object."""
    data = _object(data, "comment")
    return Comment(
        id=_int(_field(data, "id"), "comment id"),
        author_id=_int(_field(data, "authorId", 0), "comment authorId"),
        text=_text(_field(data, "text", "")),
        created_at=_text(_field(data, "createdAt", "")),
    )


def _comment_or_none(data: object) -> Comment | None:
    """A Comment, or None for one the client cannot read (it cannot be the bot's)."""
    try:
        return _comment(data)
    except ProtocolError:
        return None


def _tags(value: object) -> tuple[str, ...]:
    """Tag names from a list of names, or of objects with a title (or a Bitrix map of id -> object)."""
    items = list(value.values() if isinstance(value, dict) else value if isinstance(value, list) else ())
    if len(items) > MAX_TAGS:
        raise ProtocolError(f"the task has {len(items)} tags, more than the {MAX_TAGS} the bot reads",
                            code="TOO_MANY_TAGS")
    tags = tuple(t if isinstance(t, str) else _text(_field(_object(t, "tag"), "title", "")) for t in items)
    if any(len(tag) > MAX_TAG_CHARS for tag in tags):
        raise ProtocolError(f"the task has a tag longer than {MAX_TAG_CHARS} characters: not a Bitrix24 tag",
                            code="BAD_TAG")
    return tags


@functools.cache
def _spellings(name: str) -> tuple[str, str, str]:
    """A camelCase field name, its Bitrix UPPER_SNAKE and its snake_case spelling (worked out once)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return name, snake.upper(), snake


def _field(data: dict, name: str, default: object = _REQUIRED) -> object:
    """A field by its camelCase name, or by its Bitrix UPPER_SNAKE or its snake_case spelling."""
    for key in _spellings(name):
        if key in data:
            return data[key]
    if default is _REQUIRED:
        raise ProtocolError(f"the answer lacks the field {name!r} (it has {', '.join(sorted(data)[:12])})",
                            code="MISSING_FIELD")
    return default


def _int(value: object, what: str) -> int:
    """An integer sent as a number or as a string of digits."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,19}\s*", value):
        return int(value)
    raise ProtocolError(f"{what} is not an integer: {value!r}", code="BAD_FIELD")


def _positive_id(value: object, what: str) -> int:
    """An id the bot sends back as a cursor: a positive integer."""
    number = _int(value, what)
    if number < 1:
        raise ProtocolError(f"{what} is not a positive integer: {number}", code="BAD_FIELD")
    return number


def _bool(value: object) -> bool:
    """A flag sent as a JSON bool, 0/1, or Bitrix's "Y"/"N"."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise ProtocolError(f"not a yes/no flag: {value!r}", code="BAD_FIELD")


def _text(value: object) -> str:
    """A string field that may be null."""
    return "" if value is None else str(value)


def _object(value: object, what: str) -> dict:
    """`value` if it is a JSON object."""
    if not isinstance(value, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(value).__name__}", code="BAD_SHAPE")
    return value


def _list(value: object, what: str) -> list:
    """`value` if it is a JSON array."""
    if not isinstance(value, list):
        raise ProtocolError(f"{what}: expected a JSON array, got {type(value).__name__}", code="BAD_SHAPE")
    return value


def _positive(value: int, what: str = "task_id") -> int:
    """An id or limit the caller passes: a positive integer (which also keeps it from altering the path)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    return value
