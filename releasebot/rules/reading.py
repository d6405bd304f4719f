"""The one policy for reading a message: clauses, rules, guards and components together.

For each clause that holds a version, every rule is tried in file order. A pair counts only when its
component passes (a known component or alias, or no word from the never-components list), its version is a
version (not a time, date, IP address, size or amount), and no guard finds a cue in the clause. Across a
message, the first rule (then the first pair) naming a component wins. A rollback guard's pairs are
withdrawals, and so are the announcements a reply quotes when its own text retracts them ("no, that was the
old build, it is not deployed yet"). `read` is the one way to ask what a text says: the worker's chat scan,
`releasebot rules test`, every rule's examples and `make accuracy` go through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from releasebot.clauses import clauses, has_version
from releasebot.normalize import has_quote, plain_text
from releasebot.rules.match import scan
from releasebot.rules.model import Guard, Match, Refusal, Rule, Rules
from releasebot.rules.vocabulary import canonical_component, version_problem

MAX_PAIRS_PER_MESSAGE = 50  # a message naming more releases than this is not about one task
CUE_EDGES = " ,.;:!?()[]\"'-|"
BREAK_RE = re.compile(r",\s|;\s|\s-+\s|\s\(|\)|:\s|!\s|\s(?:and|и)\s", re.IGNORECASE)
TURN_RE = re.compile(r",?\s+(?:but|however|although|though|whereas|except)\s+|,\s*(?:но|однако|хотя|а(?!\s+также))\s+",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What one message says: the releases it names, what was refused and why, what it withdraws."""

    matches: tuple[Match, ...] = ()
    refused: tuple[Refusal, ...] = ()
    withdrawn: tuple[str, ...] = ()


def segments(clause: str) -> list[tuple[int, int]]:
    """Where the clause turns ("…, but …", "…, однако …"): the (start, end) of each part."""
    parts, start = [], 0
    for cut in TURN_RE.finditer(clause):
        parts.append((start, cut.start()))
        start = cut.end()
    return [*parts, (start, len(clause))]


def guard_scope(clause: str, parts: list[tuple[int, int]], at: int, end: int) -> tuple[int, int]:
    """The stretch a pair's guards are looked for in: its part of the clause up to the end of the rule's
    match or of the phrase holding the pair, whichever is later. A remark after it ("…, customers should see
    it now") is another statement."""
    start, stop = next(((s, e) for s, e in parts if s <= at <= e), parts[-1])
    brk = BREAK_RE.search(clause, at, stop)
    return start, min(stop, max(end, brk.start() if brk else stop))


def _cue_span(text: str, cue) -> tuple[int, int]:
    """Where a cue's word is: its match also holds the character on each side of the word."""
    if cue is None:
        return 0, 0
    word = text[cue.start():cue.end()]
    start = cue.start() + len(word) - len(word.lstrip(CUE_EDGES))
    return start, cue.start() + len(word.rstrip(CUE_EDGES))


def _str_offset(data: bytes, offset: int) -> int:
    return len(data[:offset].decode("utf-8", "ignore"))


def read(rules: Rules, text: str, *, only: Iterable[Rule] | None = None, keep_quotes: bool = False) -> Reading:
    """What a message says, by the rules (or `only` these) and the file's guards: the releases it names,
    the pairs refused and why (a guard's stop among them), and what it takes back (its rollbacks, and the
    announcements it quotes when its own text retracts them). Quoted text counts only with `keep_quotes`."""
    plain = plain_text(text, keep_quotes=keep_quotes)
    reading = _read_plain(rules, plain, only)
    retracted = () if keep_quotes else _retracted_quotes(rules, text, plain, reading)
    if not retracted:
        return reading
    return Reading(reading.matches, reading.refused, (*reading.withdrawn, *retracted))


def _retracted_quotes(rules: Rules, text: str, plain: str, reading: Reading) -> tuple[str, ...]:
    """The components a reply's quotes name (and its own text does not) when its own text retracts them."""
    retracting = [guard for guard in rules.guards if guard.retracts]
    if not retracting or not has_quote(text) or plain == plain_text(text, keep_quotes=True):
        return ()
    if not any(guard.cue_in(plain) for guard in retracting):
        return ()
    quoted = _read_plain(rules, plain_text(text, keep_quotes=True)).matches
    own = {match.component for match in reading.matches}
    return tuple(dict.fromkeys(match.component for match in quoted if match.component not in own))


def _read_plain(rules: Rules, plain: str, only: Iterable[Rule] | None = None) -> Reading:
    """What the plain text of a message names, by the rules (or `only` these) and the file's guards."""
    if not has_version(plain):
        return Reading()
    reader = _Reader(rules, rules.rules if only is None else tuple(only))
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
        chosen = self.rules.prefilter.matching(clause) if self.chosen is self.rules.rules else self.chosen
        for rule in chosen:
            matches, refused = scan(rule, clause, self.accept)
            found.extend(matches)
            self.refused.extend(refused)
        if not found and not self.rules.withdrawing:
            return
        parts = segments(clause)
        data = clause.encode("utf-8")
        for match in found:
            stop = self.stop(clause, parts, _str_offset(data, match.at), _str_offset(data, match.end))
            if stop is None:
                if len(self.matches) < MAX_PAIRS_PER_MESSAGE:
                    self.matches.setdefault(match.component, match)
            else:
                reason = f"guard {stop[0].name}: {stop[1]!r}"
                self.refused.append(Refusal(match.rule, match.component, match.version, reason))
        for start, end in parts if self.rules.withdrawing else ():
            stop = self.rules.guard_sets.withdrawing.first(clause[start:end])
            if stop is not None:
                self.withdraw(stop[0], clause[start:end])

    def stop(self, clause: str, parts: list[tuple[int, int]], at: int, end: int):
        """The guard and cue that stop a pair, if any: a cue in its scope, or in a later part of the clause
        that names no version of its own ("im 24.500.0 is live, but this change is not part of it")."""
        sets = self.rules.guard_sets
        start, stop = guard_scope(clause, parts, at, end)
        found = sets.all.first(clause, start, stop) or sets.anywhere.first(clause)
        if found is not None:
            return found
        later = ((s, e) for s, e in parts if s > at and not has_version(clause[s:e]))
        return next((hit for s, e in later if (hit := sets.all.first(clause, s, e))), None)

    def withdraw(self, guard: Guard, part: str) -> None:
        """A rollback withdraws each component its pattern finds in the phrase holding the cue ("deployed crm
        25.1.0 and rolled back ui 3.2.0"), or after the cue when that phrase names none ("Rolled back: im …")."""
        if guard.withdraws_rule is None:
            return
        start, end = _cue_span(part, guard.regex.search(part))
        breaks = list(BREAK_RE.finditer(part))
        phrase_start = max((b.end() for b in breaks if b.end() <= start), default=0)
        phrase_end = min((b.start() for b in breaks if b.start() >= end), default=len(part))
        rule = guard.withdraws_rule
        found = scan(rule, part[phrase_start:phrase_end], self.accept)[0] or scan(rule, part[start:], self.accept)[0]
        for match in found:
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
