"""What a simulated portal holds: API keys, tasks with their chats and comments, portal options, events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DEFAULT_SCOPES = ("task", "tasks", "im")
DEFAULT_AUTHOR_ID = 20294


@dataclass(frozen=True)
class ApiKey:
    """One API key the portal accepts, and what it may do."""

    key: str
    user_id: int = 1
    scopes: frozenset[str] = frozenset(DEFAULT_SCOPES)
    read_only: bool = False
    bearer: str | None = None  # app keys: the only session token accepted; None accepts any
    expired: bool = False

    @property
    def is_app_key(self) -> bool:
        """Application keys also need Authorization: Bearer."""
        return self.key.startswith("vibe_app_")


@dataclass
class ChatMessage:
    """One message of a task chat (also the shape of a task comment)."""

    id: int
    author_id: int
    text: str
    created_at: datetime
    is_system: bool = False


@dataclass
class TaskComment:
    """One task comment; message_id links it to its copy in the chat."""

    id: int
    author_id: int
    text: str
    created_at: datetime
    is_system: bool = False
    message_id: int | None = None


@dataclass
class SimTask:
    """A task as the portal holds it."""

    id: int
    title: str
    status: int = 2
    closed_date: datetime | None = None
    group_id: int = 0
    tags: list[str] = field(default_factory=list)
    chat: list[ChatMessage] | None = None
    comments: list[TaskComment] = field(default_factory=list)
    members: frozenset[int] | None = None  # None: every user is a member of the chat
    legacy: bool | None = None  # None: as the portal
    changed_date: datetime | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PortalOptions:
    """Portal-wide behaviour."""

    prefix: str = "/v1"
    timezone: object = None
    start: datetime | None = None
    legacy: bool = False
    upper_case_keys: bool = False
    string_numbers: bool = False
    admins: frozenset[int] = frozenset()


@dataclass(frozen=True)
class EventsConfig:
    """Where and how the portal posts task events."""

    url: str
    application_token: str
    member_id: str = ""
    domain: str = "example.bitrix24.com"
    handler_id: int = 1


class IdSequence:
    """Increasing ids: each new one is above every id taken so far."""

    def __init__(self, first: int):
        self._next = first

    def take(self, wanted: int | None = None) -> int:
        """The wanted id (recorded as used), or the next free one."""
        taken = self._next if wanted is None else wanted
        self._next = max(self._next, taken + 1)
        return taken


@dataclass
class Scenario:
    """Everything a scenario defines, built and checked."""

    portal: PortalOptions
    keys: dict[str, ApiKey]
    tasks: dict[int, SimTask]
    faults: dict
    events: EventsConfig | None
    message_ids: IdSequence
    comment_ids: IdSequence
