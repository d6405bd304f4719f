"""Scenario files, parsed into the portal a simulator starts with (portal.py). YAML or JSON; see demo.yaml.

Sections (all optional):
  portal:  prefix (/v1), timezone (+02:00), start (date of the first message without one; default now-1d),
           legacy (every task as on an old portal: chat pages of 50, comments not in the chat),
           upper_case_keys, string_numbers, admins [user ids]
  keys:    [{key, userId (1), scopes ([task, tasks, im]), readOnly, bearer, expired}]; default: vibe_api_demo
  tasks:   [{id, title, status, closedDate, groupId, tags, members, legacy, chat, comments,
             description/responsibleId/createdBy/createdDate/deadline/priority/UF_...}]
  faults:  as faults.FaultInjector.configure takes them
  events:  {url, application_token, member_id, domain, handler_id}
A chat is a list of messages oldest first (absent or null: the task has no chat). A message is a string
(a human message by user 20294) or {id, authorId, text, createdAt, isSystem}; missing ids and dates are
assigned in order. A list item {generate: {count, text, first, last, authorIds}} stands for `count`
messages: `first` (the oldest) and `last` (the newest) if given, and fillers whose text has {n} replaced by
their number. Comments take the same shapes. Dates are ISO 8601, or `now` / `now-90m` (units s, m, h, d).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from releasebot.errors import ConfigError
from sim.portal import (
    DEFAULT_AUTHOR_ID,
    DEFAULT_SCOPES,
    ApiKey,
    ChatMessage,
    EventsConfig,
    IdSequence,
    PortalOptions,
    Scenario,
    SimTask,
    TaskComment,
)

DEMO_SCENARIO = Path(__file__).with_name("demo.yaml")
DEFAULT_KEYS = [{"key": "vibe_api_demo"}]
DEFAULT_FILLER = "message {n}"
FIRST_MESSAGE_ID = 9000
FIRST_COMMENT_ID = 700
MESSAGE_STEP = timedelta(minutes=1)
RELATIVE_TIME = re.compile(r"now(?:-(\d+)([smhd]))?")
TIME_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
STATUSES = range(1, 8)
SECTIONS = {"portal", "keys", "tasks", "faults", "events"}
PORTAL_FIELDS = {"prefix", "timezone", "start", "legacy", "upper_case_keys", "string_numbers", "admins"}
KEY_FIELDS = {"key", "userId", "scopes", "readOnly", "bearer", "expired"}
TASK_FIELDS = {"id", "title", "status", "closedDate", "groupId", "tags", "members", "legacy", "chat",
               "comments"}
TASK_EXTRA_FIELDS = {"description", "responsibleId", "createdBy", "createdDate", "deadline", "priority"}
MESSAGE_FIELDS = {"id", "authorId", "text", "createdAt", "isSystem"}
GENERATE_FIELDS = {"count", "text", "first", "last", "authorIds"}
EVENT_FIELDS = {"url", "application_token", "member_id", "domain", "handler_id"}


class ScenarioError(ConfigError):
    """A scenario file or body is wrong; the message names the place (tasks[1].chat[3]) and the problem."""


@dataclass(frozen=True)
class MessageSpec:
    """A message as written in a scenario or a control call, before it gets its id and date."""

    text: str
    author_id: int
    is_system: bool
    id: int | None
    created_at: datetime | None


def read_scenario(source: dict | str | Path | None) -> dict:
    """The raw scenario: a dict as given, a YAML/JSON file read, or the demo scenario for None."""
    if isinstance(source, dict):
        return source
    path = Path(source or DEMO_SCENARIO)
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario: {exc.strerror}") from None
    except (ValueError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: not valid YAML or JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with portal, keys, tasks, faults, events")
    return raw


def load_scenario(source: dict | str | Path | None) -> Scenario:
    """Read and build a scenario; errors name the file and the place in it."""
    name = "scenario" if isinstance(source, dict) else str(source or DEMO_SCENARIO)
    try:
        return ScenarioBuilder().build(read_scenario(source))
    except ScenarioError as exc:
        message = str(exc)
        raise ScenarioError(message if message.startswith(name) else f"{name}: {message}") from None


def parse_time(value, where: str, tz) -> datetime:
    """An aware datetime from an ISO string, a YAML date/datetime, or now / now-90m; naive ones get tz."""
    if isinstance(value, str) and (relative := RELATIVE_TIME.fullmatch(value.strip())):
        amount, unit = relative.groups()
        ago = timedelta(**{TIME_UNITS[unit or "s"]: int(amount or 0)})
        return datetime.now(tz).replace(microsecond=0) - ago
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ScenarioError(f"{where}: not an ISO 8601 date: {value!r}") from None
    if not isinstance(value, datetime):
        raise ScenarioError(f"{where}: expected a date, got {value!r}")
    return value if value.tzinfo else value.replace(tzinfo=tz)


def parse_int(value, where: str, minimum: int = 0) -> int:
    """An integer (numeric strings allowed) of at least `minimum`."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ScenarioError(f"{where}: expected an integer >= {minimum}, got {value!r}")
    return value


def parse_timezone(value, where: str):
    """A fixed offset from '+02:00'."""
    try:
        return datetime.strptime(str(value), "%z").tzinfo
    except ValueError:
        raise ScenarioError(f"{where}: expected an offset like +02:00, got {value!r}") from None


def message_spec(item, where: str, tz) -> MessageSpec:
    """Check one message written as a string or a mapping."""
    if isinstance(item, str):
        item = {"text": item}
    mapping(item, where, MESSAGE_FIELDS)
    if not isinstance(item.get("text"), str):
        raise ScenarioError(f"{where}.text: every message needs a text")
    is_system = boolean(item.get("isSystem", False), f"{where}.isSystem")
    author_id = 0 if is_system else parse_int(item.get("authorId", DEFAULT_AUTHOR_ID), f"{where}.authorId")
    message_id = parse_int(item["id"], f"{where}.id", 1) if "id" in item else None
    created_at = parse_time(item["createdAt"], f"{where}.createdAt", tz) if "createdAt" in item else None
    return MessageSpec(item["text"], author_id, is_system, message_id, created_at)


def mapping(value, where: str, known: set[str]) -> dict:
    """Check a mapping has only known fields (UF_ custom fields aside)."""
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: expected a mapping, got {value!r}")
    unknown = sorted(k for k in value if k not in known and not str(k).startswith("UF_"))
    if unknown:
        raise ScenarioError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
    return value


def boolean(value, where: str) -> bool:
    """A true/false value."""
    if not isinstance(value, bool):
        raise ScenarioError(f"{where}: expected true or false, got {value!r}")
    return value


def string_list(value, where: str) -> list[str]:
    """A list of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{where}: expected a list of strings, got {value!r}")
    return list(value)


def jsonable(value):
    """Scenario values as JSON can carry them (YAML dates become ISO strings)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


class ScenarioBuilder:
    """Turns a raw scenario dict into a Scenario, assigning missing ids and dates in order."""

    def __init__(self):
        self.message_ids = IdSequence(FIRST_MESSAGE_ID)
        self.comment_ids = IdSequence(FIRST_COMMENT_ID)
        self.portal = PortalOptions()

    def build(self, raw: dict) -> Scenario:
        """The whole scenario."""
        mapping(raw, "scenario", SECTIONS)
        self.portal = self.portal_options(raw.get("portal") or {})
        keys = self.keys(raw.get("keys", DEFAULT_KEYS))
        tasks = self.tasks(raw.get("tasks") or [])
        faults = raw.get("faults") or {}
        if not isinstance(faults, dict):
            raise ScenarioError(f"faults: expected a mapping, got {faults!r}")
        events = self.events(raw["events"]) if raw.get("events") else None
        return Scenario(self.portal, keys, tasks, faults, events, self.message_ids, self.comment_ids)

    def portal_options(self, raw: dict) -> PortalOptions:
        """The portal section."""
        mapping(raw, "portal", PORTAL_FIELDS)
        tz = parse_timezone(raw.get("timezone", "+02:00"), "portal.timezone")
        flags = {name: boolean(raw.get(name, False), f"portal.{name}")
                 for name in ("legacy", "upper_case_keys", "string_numbers")}
        admins = frozenset(parse_int(a, "portal.admins") for a in raw.get("admins") or [])
        start = parse_time(raw.get("start", "now-1d"), "portal.start", tz)
        return PortalOptions(self.prefix(raw.get("prefix", "/v1")), tz, start, admins=admins, **flags)

    @staticmethod
    def prefix(value) -> str:
        """The API prefix, '/v1' style."""
        if not isinstance(value, str) or not value.startswith("/") or value.endswith("/"):
            raise ScenarioError(f"portal.prefix: expected a path like /v1, got {value!r}")
        return value

    def keys(self, raw) -> dict[str, ApiKey]:
        """The keys section."""
        if not isinstance(raw, list):
            raise ScenarioError(f"keys: expected a list of keys, got {raw!r}")
        keys = [self.key(item, f"keys[{i}]") for i, item in enumerate(raw)]
        return {k.key: k for k in keys}

    @staticmethod
    def key(raw, where: str) -> ApiKey:
        """One key."""
        mapping(raw, where, KEY_FIELDS)
        if not isinstance(raw.get("key"), str) or not raw["key"]:
            raise ScenarioError(f"{where}.key: every key needs its key string")
        return ApiKey(
            key=raw["key"],
            user_id=parse_int(raw.get("userId", 1), f"{where}.userId", 1),
            scopes=frozenset(string_list(raw.get("scopes", list(DEFAULT_SCOPES)), f"{where}.scopes")),
            read_only=boolean(raw.get("readOnly", False), f"{where}.readOnly"),
            bearer=raw.get("bearer"),
            expired=boolean(raw.get("expired", False), f"{where}.expired"),
        )

    def tasks(self, raw) -> dict[int, SimTask]:
        """The tasks section; ids must be unique."""
        if not isinstance(raw, list):
            raise ScenarioError(f"tasks: expected a list of tasks, got {raw!r}")
        tasks = {}
        for i, item in enumerate(raw):
            task = self.task(item, f"tasks[{i}]")
            if task.id in tasks:
                raise ScenarioError(f"tasks[{i}].id: task {task.id} is defined twice")
            tasks[task.id] = task
        return tasks

    def task(self, raw, where: str) -> SimTask:
        """One task."""
        mapping(raw, where, TASK_FIELDS | TASK_EXTRA_FIELDS)
        task_id = parse_int(raw.get("id"), f"{where}.id", 1)
        status = parse_int(raw.get("status", 2), f"{where}.status", 1)
        if status not in STATUSES:
            raise ScenarioError(f"{where}.status: expected 1..7, got {status}")
        task = SimTask(task_id, str(raw.get("title", f"Task {task_id}")), status,
                       self.closed_date(raw, status, where),
                       parse_int(raw.get("groupId", 0), f"{where}.groupId"),
                       string_list(raw.get("tags", []), f"{where}.tags"))
        task.changed_date = task.closed_date or self.portal.start
        self.task_people(task, raw, where)
        task.chat = self.chat(raw.get("chat"), f"{where}.chat")
        task.comments = self.comments(raw.get("comments") or [], f"{where}.comments")
        task.extra = {k: jsonable(v) for k, v in raw.items() if k not in TASK_FIELDS}
        return task

    def closed_date(self, raw: dict, status: int, where: str) -> datetime | None:
        """The closedDate as written; a closed task without one was closed at the portal's start."""
        if raw.get("closedDate") is not None:
            return parse_time(raw["closedDate"], f"{where}.closedDate", self.portal.timezone)
        return self.portal.start if status == 5 else None

    def task_people(self, task: SimTask, raw: dict, where: str) -> None:
        """The chat members and the per-task legacy switch."""
        if raw.get("members") is not None:
            if not isinstance(raw["members"], list):
                raise ScenarioError(f"{where}.members: expected a list of user ids")
            task.members = frozenset(parse_int(m, f"{where}.members") for m in raw["members"])
        if raw.get("legacy") is not None:
            task.legacy = boolean(raw["legacy"], f"{where}.legacy")

    def chat(self, raw, where: str) -> list[ChatMessage] | None:
        """A chat: None when the task has none."""
        if raw is None:
            return None
        return self.entries(raw, where, self.message_ids)

    def comments(self, raw, where: str) -> list[TaskComment]:
        """The task's comments (system ones are kept but never listed by the API)."""
        return [TaskComment(m.id, m.author_id, m.text, m.created_at, m.is_system)
                for m in self.entries(raw, where, self.comment_ids)]

    def entries(self, raw, where: str, ids: IdSequence) -> list[ChatMessage]:
        """Messages oldest first, generators expanded, ids and dates assigned."""
        items = [raw] if isinstance(raw, dict) else raw
        if not isinstance(items, list):
            raise ScenarioError(f"{where}: expected a list of messages or {{generate: ...}}")
        messages: list[ChatMessage] = []
        for i, item in enumerate(items):
            for spec in self.expand(item, f"{where}[{i}]"):
                messages.append(self.message(spec, messages, f"{where}[{i}]", ids))
        return messages

    def expand(self, item, where: str) -> list[MessageSpec]:
        """One written item as the messages it stands for."""
        if isinstance(item, dict) and "generate" in item:
            mapping(item, where, {"generate"})
            return self.generated(item["generate"], f"{where}.generate")
        return [message_spec(item, where, self.portal.timezone)]

    def generated(self, raw, where: str) -> list[MessageSpec]:
        """count messages: first, fillers, last."""
        mapping(raw, where, GENERATE_FIELDS)
        count = parse_int(raw.get("count"), f"{where}.count", 1)
        fixed = [raw.get("first"), raw.get("last")]
        fillers = count - sum(text is not None for text in fixed)
        if fillers < 0:
            raise ScenarioError(f"{where}.count: {count} is fewer than the first and last messages")
        authors = [parse_int(a, f"{where}.authorIds", 1) for a in raw.get("authorIds") or [DEFAULT_AUTHOR_ID]]
        text = str(raw.get("text", DEFAULT_FILLER))
        texts = [fixed[0], *(text.replace("{n}", str(n + 1)) for n in range(fillers)), fixed[1]]
        texts = [t for t in texts if t is not None]
        return [MessageSpec(str(text), authors[n % len(authors)], False, None, None)
                for n, text in enumerate(texts)]

    def message(self, spec: MessageSpec, previous: list[ChatMessage], where: str,
                ids: IdSequence) -> ChatMessage:
        """Give a spec its id (increasing along the chat) and its date (a minute after the previous one)."""
        last = previous[-1] if previous else None
        if spec.id is not None and last and spec.id <= last.id:
            raise ScenarioError(f"{where}.id: ids must increase along a chat ({spec.id} after {last.id})")
        created_at = spec.created_at or (last.created_at + MESSAGE_STEP if last else self.portal.start)
        return ChatMessage(ids.take(spec.id), spec.author_id, spec.text, created_at, spec.is_system)

    def events(self, raw) -> EventsConfig:
        """The events section."""
        mapping(raw, "events", EVENT_FIELDS)
        for name in ("url", "application_token"):
            if not isinstance(raw.get(name), str) or not raw[name]:
                raise ScenarioError(f"events.{name}: required to send events")
        return EventsConfig(raw["url"], raw["application_token"], str(raw.get("member_id", "")),
                            str(raw.get("domain", EventsConfig.domain)),
                            parse_int(raw.get("handler_id", 1), "events.handler_id", 1))
