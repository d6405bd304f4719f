"""The loaded form of rules.yaml: the rule set, examples and problems (the rules themselves are in match.py)."""

from __future__ import annotations

from dataclasses import dataclass

from releasebot.comment import DEFAULT_TEMPLATE
from releasebot.errors import ReleasebotError
from releasebot.normalize import plain_text
from releasebot.rules.match import Match, Rule, first_per_component

DEFAULT_STATUSES = frozenset({5})
DEFAULT_MAX_MESSAGES = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rules file, where it is, and what to do about it."""

    path: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" + (f"\n  hint: {self.hint}" if self.hint else "")


class RulesError(ReleasebotError):
    """The rules file cannot be used; `problems` lists everything wrong with it at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Rules:
    """A loaded, valid rules file."""

    rules: tuple[Rule, ...]
    trigger_statuses: frozenset[int] = DEFAULT_STATUSES
    max_messages: int = DEFAULT_MAX_MESSAGES
    comment_template: str = DEFAULT_TEMPLATE
    path: str = "rules.yaml"
    sha256: str = ""

    def match(self, text: str) -> list[Match]:
        """What a raw message names: one match per component, the first rule that names it winning."""
        return self.match_plain(plain_text(text))

    def match_plain(self, plain: str) -> list[Match]:
        """Like match, on text already normalized."""
        return first_per_component(self.rules, plain)

    @property
    def example_count(self) -> int:
        """How many examples the rules carry (all of them passed at load)."""
        return sum(len(rule.examples) for rule in self.rules)
