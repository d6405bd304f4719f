"""Which releases a task chat names: rules applied to its messages, newest first, page by page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from releasebot.comment import find_marker
from releasebot.model import Message, Release
from releasebot.normalize import plain_text
from releasebot.rules import Match, Rules

__all__ = ["Explanation", "Match", "ReleaseScan", "explain", "extract_releases"]

SYSTEM = "system message"
OWN_COMMENT = "the bot's own comment"
QUOTED_ONLY = "quoted text only"


class ReleaseScan:
    """Reads messages newest first; for each component keeps the version from the newest message naming it."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.seen = 0
        self._releases: dict[str, Release] = {}

    def feed(self, messages: Iterable[Message]) -> None:
        """Read the next messages (older than those fed before); those past max_messages are ignored."""
        for message in messages:
            if not self.wants_more:
                return
            self._read(message)

    @property
    def wants_more(self) -> bool:
        """False once max_messages non-system messages were read."""
        return self.remaining > 0

    @property
    def remaining(self) -> int:
        """How many more non-system messages are wanted."""
        return max(0, self.rules.max_messages - self.seen)

    @property
    def releases(self) -> tuple[Release, ...]:
        """One release per component, from the newest message naming it."""
        return tuple(self._releases.values())

    def _read(self, message: Message) -> None:
        if message.is_system:
            return
        self.seen += 1
        if find_marker(message.text) is not None:
            return
        for match in self.rules.match(message.text):
            self._releases.setdefault(match.component, _release(match, message))


def extract_releases(rules: Rules, messages: Iterable[Message]) -> tuple[Release, ...]:
    """The releases named in messages given newest first (a one-page ReleaseScan)."""
    scan = ReleaseScan(rules)
    scan.feed(messages)
    return scan.releases


@dataclass(frozen=True)
class Explanation:
    """What the rules make of one message: skipped and why, or what matched and by which rule."""

    message: Message
    matches: tuple[Match, ...] = ()
    skipped: str = ""
    quoted: tuple[Match, ...] = ()  # what the quoted text would have named, had quotes counted

    @property
    def verdict(self) -> str:
        """One line: the matches with their rules, why the message was skipped, or "no match"."""
        if self.matches:
            return ", ".join(f"{m.component} {m.version} (rule {m.rule})" for m in self.matches)
        verdict = f"skipped: {self.skipped}" if self.skipped else "no match"
        if self.quoted:
            named = ", ".join(f"{m.component} {m.version}" for m in self.quoted)
            verdict += f" (the quoted text names {named}, but quotes never count)"
        return verdict


def explain(rules: Rules, message: Message) -> Explanation:
    """Why a message yields what it does, for `releasebot rules test`."""
    if message.is_system:
        return Explanation(message, skipped=SYSTEM)
    if find_marker(message.text) is not None:
        return Explanation(message, skipped=OWN_COMMENT)
    matches = tuple(rules.match(message.text))
    quoted = () if matches else _quoted_matches(rules, message.text)
    if not matches and message.text.strip() and not plain_text(message.text).strip():
        return Explanation(message, skipped=QUOTED_ONLY, quoted=quoted)
    return Explanation(message, matches, quoted=quoted)


def _quoted_matches(rules: Rules, text: str) -> tuple[Match, ...]:
    """What the message would name if its quoted text counted."""
    return tuple(rules.match_plain(plain_text(text, keep_quotes=True)))


def _release(match: Match, message: Message) -> Release:
    return Release(match.component, match.version, match.rule,
                   message.id, message.author_id, message.created_at)
