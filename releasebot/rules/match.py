"""The matcher: a rule's RE2 pattern run over a message's text, and the one policy for combining rules.

Policy: every rule is tried in order; when two rules name the same component in one message, the first wins.
The worker, `releasebot rules test` and the examples' runner all go through `first_per_component`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasebot.rules.patterns import compile_pattern, group_indexes

if TYPE_CHECKING:
    from releasebot.rules.examples import Example

MAX_MATCHES_PER_TEXT = 1_000  # a message naming more releases than this is not a release note
MAX_PAIRS_PER_MATCH = 50


@dataclass(frozen=True)
class Match:
    """A component and version named in a message, and the rule that found them."""

    component: str
    version: str
    rule: str


@dataclass(frozen=True)
class Rule:
    """One named pattern; its groups give version and component (or `component` is fixed)."""

    name: str
    pattern: str
    component: str | None = None
    line: int = 0
    examples: tuple[Example, ...] = ()
    regex: Any = field(init=False, repr=False, compare=False)
    groups: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        regex = compile_pattern(self.pattern)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "groups", group_indexes(self.pattern, regex))

    def find(self, text: str) -> list[tuple[str, str]]:
        """The (component, version) pairs this rule names in the text, in text order."""
        data = text.encode("utf-8", "replace")
        pairs = []
        for found in itertools.islice(self.regex.finditer(data), MAX_MATCHES_PER_TEXT):
            pairs.extend(self._pairs_in(data, found))
        return pairs

    def _pairs_in(self, data: bytes, outer) -> list[tuple[str, str]]:
        """The pairs one match names: its own, and those the pattern finds again before and after it.

        That is how one match over a list ("im 24.500.0 and ui 3.1.0") yields every pair in it.
        """
        found, todo = [], [outer]
        while todo and len(found) < MAX_PAIRS_PER_MATCH:
            match = todo.pop()
            span = self._pair_span(match)
            if span is None:
                continue
            found.append((span[0], self._pair(data, match)))
            inner = (self.regex.search(data, match.start(), span[0]),
                     self.regex.search(data, span[1], match.end()))
            todo.extend(found_again for found_again in inner if found_again is not None)
        return [pair for _, pair in sorted(found)]

    def _pair_span(self, match) -> tuple[int, int] | None:
        """Where the captured pair lies, or None when the match names no pair or is vetoed by `skip`."""
        if any(match.start(index) >= 0 for index in self.groups.get("skip", ())):
            return None
        spans = [self._span(match, name) for name in ("component", "version") if name in self.groups]
        if any(start < 0 or start == end for start, end in spans):
            return None
        return min(start for start, _ in spans), max(end for _, end in spans)

    def _span(self, match, name: str) -> tuple[int, int]:
        """The span of the group of this name that took part (a name may recur in alternatives)."""
        spans = (match.span(index) for index in self.groups[name])
        return next((span for span in spans if span[0] >= 0), (-1, -1))

    def _pair(self, data: bytes, match) -> tuple[str, str]:
        def text(name: str) -> str:
            start, end = self._span(match, name)
            return data[start:end].decode("utf-8", "replace")

        component = self.component if self.component is not None else text("component")
        return component.lower(), text("version")


def first_per_component(rules: Iterable[Rule], plain: str) -> list[Match]:
    """What normalized text names: one match per component, the first rule (then the first pair) winning."""
    matches: dict[str, Match] = {}
    for rule in rules:
        for component, version in rule.find(plain):
            matches.setdefault(component, Match(component, version, rule.name))
    return list(matches.values())
