"""The one policy for reading a message: clauses, rules, guards and components together.

For each clause that holds a version, every rule is tried in file order. A pair counts only when its
component passes (a known component or alias, or no word from the never-components list), its version is a
version (not a time, date, IP address, size or amount), and no guard finds a cue in the clause. Across a
message, the first rule (then the first pair) naming a component wins. A rollback guard's pairs are
withdrawals. The worker, `releasebot rules test` and every rule's examples go through `read`.
"""

from __future__ import annotations

import re
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
TURN_RE = re.compile(r",?\s+(?:but|however|although|though|whereas|except)\s+|,\s*(?:но|однако|хотя|а(?!\s+также))\s+|"
                     r"\s+\(|\)|;\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What one message says: the releases it names, what was refused and why, what it withdraws."""

    matches: tuple[Match, ...] = ()
    refused: tuple[Refusal, ...] = ()
    withdrawn: tuple[str, ...] = ()


def segments(clause: str) -> list[tuple[int, str]]:
    """The clause cut where it turns ("…, but …", "(…)", "; а …"): (start in UTF-8 bytes, text) each.

    A guard's cue stops only the pairs of its own segment, unless that segment names no version
    ("im 24.500.0 is live, but this change is not in it"): then it stops the whole clause.
    """
    parts, start = [], 0
    for cut in TURN_RE.finditer(clause):
        parts.append((start, clause[start:cut.start()]))
        start = cut.end()
    parts.append((start, clause[start:]))
    offsets, done, position = [], 0, 0
    for start, text in parts:
        position += len(clause[done:start].encode("utf-8"))
        offsets.append((position, text))
        done = start
    return offsets


def _segment_of(parts: list[tuple[int, str]], at: int) -> int:
    return max(index for index, (start, _) in enumerate(parts) if start <= at or index == 0)


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
        """Read one clause: its pairs count unless a guard stops them (see `stops`)."""
        found: list[Match] = []
        for rule in self.chosen:
            matches, refused = rule.scan(clause, self.accept)
            found.extend(matches)
            self.refused.extend(refused)
        if not found and not self.rules.withdrawing:
            return
        parts = segments(clause)
        stops = [first_guard(self.rules.guards, text) for _, text in parts]
        whole = next((stop for (_, text), stop in zip(parts, stops, strict=True) if stop and not has_version(text)),
                     None)
        for match in found:
            stop = whole or stops[_segment_of(parts, match.at)]
            if stop is None:
                if len(self.matches) < MAX_PAIRS_PER_MESSAGE:
                    self.matches.setdefault(match.component, match)
            else:
                reason = f"guard {stop[0].name}: {stop[1]!r}"
                self.refused.append(Refusal(match.rule, match.component, match.version, reason))
        for (_, text), stop in zip(parts, stops, strict=True):
            if stop is not None:
                self.withdraw(stop[0], text)

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
