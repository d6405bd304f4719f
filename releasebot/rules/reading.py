"""The one policy for reading a message: clauses, rules, guards and components together.

For each clause that holds a version, every rule is tried in file order. A pair counts only when its
component passes (a known component or alias, or no word from the never-components list), its version is a
version (not a time, date, IP address, size or amount), and no guard finds a cue in the clause. Across a
message, the first rule (then the first pair) naming a component wins. A rollback guard's pairs are
withdrawals. The worker, `releasebot rules test` and every rule's examples go through `read`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasebot.clauses import clauses, has_version
from releasebot.rules.guards import Guard, first_guard
from releasebot.rules.match import Match, Refusal, Rule
from releasebot.rules.vocabulary import canonical_component, version_problem

if TYPE_CHECKING:
    from releasebot.rules.model import Rules

MAX_PAIRS_PER_MESSAGE = 50  # a message naming more releases than this is not about one task


@dataclass(frozen=True)
class Reading:
    """What one message says: the releases it names, what was refused and why, what it withdraws."""

    matches: tuple[Match, ...] = ()
    refused: tuple[Refusal, ...] = ()
    withdrawn: tuple[str, ...] = ()


def read(rules: Rules, plain: str, only: Iterable[Rule] | None = None) -> Reading:
    """What the plain text of a message names, by the rules (or `only` these) and the file's guards."""
    reader = _Reader(rules, tuple(rules.rules if only is None else only))
    for clause in clauses(plain):
        if has_version(clause):
            reader.clause(clause)
    return reader.reading()


class _Reader:
    def __init__(self, rules: Rules, chosen: tuple[Rule, ...]):
        self.rules, self.chosen = rules, chosen
        self.matches: dict[str, Match] = {}
        self.refused: list[Refusal] = []
        self.withdrawn: dict[str, None] = {}

    def clause(self, clause: str) -> None:
        """Read one clause: its pairs count unless a guard stops them."""
        found: list[Match] = []
        for rule in self.chosen:
            matches, refused = rule.scan(clause, self.accept)
            found.extend(matches)
            self.refused.extend(refused)
        stopped = first_guard(self.rules.guards, clause) if found or self.rules.withdrawing else None
        if stopped is None:
            for match in found[:MAX_PAIRS_PER_MESSAGE]:
                if len(self.matches) < MAX_PAIRS_PER_MESSAGE:
                    self.matches.setdefault(match.component, match)
            return
        guard, cue = stopped
        reason = f"guard {guard.name}: {cue!r}"
        self.refused.extend(Refusal(m.rule, m.component, m.version, reason) for m in found)
        self.withdraw(guard, clause)

    def withdraw(self, guard: Guard, clause: str) -> None:
        """A rollback clause withdraws each component its pattern finds."""
        if guard.withdraws_rule is None:
            return
        for match in guard.withdraws_rule.scan(clause, self.accept)[0]:
            self.withdrawn.setdefault(match.component, None)

    def accept(self, raw: str, version: str, before: str, after: str) -> tuple[str, str]:
        """The component as recorded, or why the pair is not a release."""
        problem = version_problem(version, before, after)
        if problem:
            return "", problem
        return self.rules.component_for(canonical_component(raw))

    def reading(self) -> Reading:
        """Everything read so far."""
        return Reading(tuple(self.matches.values()), tuple(self.refused), tuple(self.withdrawn))
