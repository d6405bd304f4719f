"""The loaded form of rules.yaml: the rule set, examples and problems (the rules themselves are in match.py)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from releasebot.comment import DEFAULT_TEMPLATE
from releasebot.errors import ReleasebotError
from releasebot.normalize import plain_text
from releasebot.rules.guards import Guard, GuardSet
from releasebot.rules.match import Match, Rule, RuleSet
from releasebot.rules.reading import Reading, read
from releasebot.rules.vocabulary import NEVER_COMPONENTS, component_problem

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
    tags_template: str = ""  # post.tags: one tag per release; empty writes none
    field_name: str = ""  # post.field: a UF_ custom field set to the releases as text; empty writes none
    path: str = "rules.yaml"
    sha256: str = ""
    guards: tuple[Guard, ...] = ()
    components: dict[str, str] = field(default_factory=dict)  # every known name and alias -> the component
    never_components: frozenset[str] = NEVER_COMPONENTS
    fragments: dict[str, str] = field(default_factory=dict)

    def match(self, text: str) -> list[Match]:
        """What a raw message names: one match per component, the first rule that names it winning."""
        return list(self.read(text).matches)

    def match_plain(self, plain: str) -> list[Match]:
        """Like match, on text already normalized."""
        return list(read(self, plain).matches)

    def read(self, text: str) -> Reading:
        """Everything the rules make of a raw message: releases, refusals with reasons, withdrawals."""
        return read(self, plain_text(text))

    @functools.cached_property
    def prefilter(self) -> RuleSet:
        """All the rules in one RE2 set: one pass over a clause says which rules can match it."""
        return RuleSet(self.rules)

    @functools.cached_property
    def guard_sets(self) -> dict[str, GuardSet]:
        """The guards as sets: all of them, those that look at a whole clause, those that withdraw."""
        return {"all": GuardSet(self.guards),
                "anywhere": GuardSet(tuple(guard for guard in self.guards if guard.anywhere)),
                "withdrawing": GuardSet(tuple(guard for guard in self.guards if guard.withdraws))}

    @property
    def withdrawing(self) -> bool:
        """Whether any guard withdraws what it stops (so clauses without a match are looked at too)."""
        return any(guard.withdraws for guard in self.guards)

    def component_for(self, name: str) -> tuple[str, str]:
        """(the component a name stands for, "") or ("", why it is not one)."""
        if self.components:
            known = self.components.get(name)
            return (known, "") if known else ("", f"{name!r} is not in `components:`")
        problem = component_problem(name, self.never_components)
        return ("", problem) if problem else (name, "")

    @property
    def example_count(self) -> int:
        """How many examples the rules carry (all of them passed at load)."""
        return sum(len(rule.examples) for rule in self.rules)
