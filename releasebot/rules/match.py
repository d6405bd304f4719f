"""The matcher: a rule's RE2 pattern run over one clause, yielding (component, version) candidates.

A candidate the caller refuses (a word that is never a component, a time taken for a version) does not end
the search: the refused word is blanked out and the pattern tried again over the same stretch, so "Release
5.15.1 of web-frontend" still finds web-frontend once "release" is refused. The policy that combines rules, guards and
components lives in reading.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import re2

from releasebot.rules.patterns import compile_pattern, group_indexes
from releasebot.rules.vocabulary import NOT_A_VERSION

if TYPE_CHECKING:
    from releasebot.rules.examples import Example

MAX_MATCHES_PER_TEXT = 200  # a clause naming more releases than this is not a release note
MAX_PAIRS_PER_MATCH = 50
CONTEXT = 12  # bytes of text after a version that say whether it is one (a unit, more letters)
SET_MAX_MEM = 64 << 20  # the rules together; RE2 allocates it only as the automaton grows
MASK = b"\x01"  # stands in for a refused word: no pattern piece takes it for a component or a version

# accept(raw component, version, text before, text after) -> (component, "") or ("", why not)
Accept = Callable[[str, str, str, str], tuple[str, str]]


@dataclass(frozen=True)
class Match:
    """A component and version named in a message, and the rule that found them."""

    component: str
    version: str
    rule: str
    at: int = field(default=0, compare=False)  # where in the clause the pair starts (UTF-8 bytes)
    end: int = field(default=0, compare=False)  # where the rule's match around it ends


@dataclass(frozen=True)
class Refusal:
    """A pair a rule matched but that is not a release, and why."""

    rule: str
    component: str
    version: str
    reason: str


@dataclass(frozen=True)
class Rule:
    """One named pattern; its groups give version and component (or `component` is fixed).

    `pattern` is the pattern with its fragments expanded; `source` is the pattern as written.
    """

    name: str
    pattern: str
    component: str | None = None
    line: int = 0
    examples: tuple[Example, ...] = ()
    source: str = ""
    regex: Any = field(init=False, repr=False, compare=False)
    groups: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        regex = compile_pattern(self.pattern)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "groups", group_indexes(self.pattern, regex))

    def find(self, text: str) -> list[tuple[str, str]]:
        """The (component, version) pairs this rule names in the text, in text order, taking every one."""
        return [(match.component, match.version) for match in self.scan(text, _take_all)[0]]

    def scan(self, text: str, accept: Accept) -> tuple[list[Match], list[Refusal]]:
        """The pairs this rule names in the text, in text order, and those `accept` refused."""
        data = bytearray(text.encode("utf-8", "replace"))
        found: list[tuple[int, Match]] = []
        refused: list[Refusal] = []
        position, tries = 0, 0
        while tries < MAX_MATCHES_PER_TEXT and (outer := self.regex.search(data, position)) is not None:
            tries += 1
            refusals = len(refused)
            pairs = self._pairs_in(data, outer, accept, refused)
            found.extend(pairs)
            if not pairs and len(refused) > refusals and self._mask_refused(data, outer, refused[-1]):
                continue  # the same stretch again, without the word or number just refused
            if outer.end() <= position:
                break
            position = outer.end()
        return [match for _, match in sorted(found, key=lambda pair: pair[0])], refused

    def _mask_refused(self, data: bytearray, outer, refusal: Refusal) -> bool:
        """Blank out what was refused (the component, or the number that is not a version), so that the
        pattern can match the stretch again with another word: "Release 5.15.1 of web-frontend"."""
        part = "version" if refusal.reason.startswith(NOT_A_VERSION) else "component"
        start, end = self._span(outer, part) if part in self.groups else (-1, -1)
        if start < 0 or end <= start:
            return False
        data[start:end] = MASK * (end - start)
        return True

    def _pairs_in(self, data: bytes, outer, accept: Accept, refused: list) -> list[tuple[int, Match]]:
        """The pairs one match names: its own, and those the pattern finds again before and after it.

        That is how one match over a list ("im 24.500.0 and ui 3.1.0") yields every pair in it.
        """
        found, todo, seen = [], [outer], 0
        while todo and seen < MAX_PAIRS_PER_MATCH:
            match = todo.pop()
            seen += 1
            span = self._pair_span(match)
            if span is None:
                continue
            pair = self._pair(data, match, accept, refused, (span[0], match.end()))
            if pair is not None:
                found.append((span[0], pair))
            stretches = ((match.start(), span[0]), (span[1], match.end()))
            inner = (self.regex.search(data, start, end) for start, end in stretches if end > start)
            todo.extend(found_again for found_again in inner if found_again is not None)
        return found

    def _pair_span(self, match) -> tuple[int, int] | None:
        """Where the captured pair lies, or None when the match names no pair or is vetoed by `skip`."""
        spans = _all_spans(match)
        if any(spans[index][0] >= 0 for index in self.groups.get("skip", ())):
            return None
        spans = [self._span(match, name) for name in ("component", "version") if name in self.groups]
        if any(start < 0 or start == end for start, end in spans):
            return None
        return min(start for start, _ in spans), max(end for _, end in spans)

    def _span(self, match, name: str) -> tuple[int, int]:
        """The span of the group of this name that took part (a name may recur in alternatives)."""
        spans = _all_spans(match)
        return next((spans[index] for index in self.groups[name] if spans[index][0] >= 0), (-1, -1))

    def _pair(self, data: bytes, match, accept: Accept, refused: list, where: tuple[int, int]) -> Match | None:
        def text(start: int, end: int) -> str:
            return data[max(start, 0):end].decode("utf-8", "replace")

        start, end = self._span(match, "version")
        version = text(start, end)
        raw = self.component if self.component is not None else text(*self._span(match, "component"))
        component, reason = accept(raw, version, text(start - 4, start)[-1:], text(end, end + CONTEXT))
        if reason:
            refused.append(Refusal(self.name, raw.lower(), version, reason))
            return None
        return Match(component, version, self.name, *where)


class RuleSet:
    """Rules compiled together as an RE2 set, to learn in one pass which of them match a text at all."""

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        self.set = re2.Set.SearchSet(SET_OPTIONS)
        for rule in rules:
            self.set.Add(rule.pattern)
        self.set.Compile()

    def matching(self, text: str) -> tuple[Rule, ...]:
        """The rules, in order, whose pattern matches somewhere in the text."""
        hits = set(self.set.Match(text) or ())
        return tuple(rule for index, rule in enumerate(self.rules) if index in hits)


def _all_spans(match) -> tuple[tuple[int, int], ...]:
    """Every group's span at once: google-re2 keeps them on the match, which saves a call per group."""
    spans = getattr(match, "_spans", None)
    return spans if spans is not None else tuple(match.span(index) for index in range(match.re.groups + 1))


def _set_options() -> re2.Options:
    options = re2.Options()
    options.max_mem = SET_MAX_MEM
    options.log_errors = False
    return options


def _take_all(raw: str, version: str, before: str, after: str) -> tuple[str, str]:
    return raw.lower(), ""


SET_OPTIONS = _set_options()
