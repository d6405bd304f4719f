"""Guards: cue lists that keep a clause from counting as a finished release (a question, a plan, a
condition, a negation, a failure or rollback, work in progress, a mention in passing).

A guard is data in rules.yaml: its cues are RE2 pieces (fragments allowed), each matched as a whole word
where it begins or ends with a letter (RE2's \\b knows only ASCII letters, so this is done here for every
script). `ignore` lists phrases removed before the cues are looked for ("no errors" is not a negation).
A guard with `withdraws` is a rollback: the pairs its pattern finds in a stopped clause are withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import re2

from releasebot.rules.match import SET_OPTIONS, Rule
from releasebot.rules.patterns import compile_pattern

# Letters of the Latin, Greek and Cyrillic scripts: a class this size keeps RE2's automaton small and fast,
# where the whole of Unicode (\pL) makes every guard ten times slower.
WORD = r"\w\x{00C0}-\x{024F}\x{0370}-\x{03FF}\x{0400}-\x{052F}"
WORD_BEFORE = rf"(?:^|[^{WORD}])"
WORD_AFTER = rf"(?:$|[^{WORD}])"


@dataclass(frozen=True)
class GuardExample:
    """A text the guard must stop (`stops`) or let through."""

    text: str
    stops: bool
    line: int = 0


@dataclass(frozen=True)
class Guard:
    """One named cue list; `cues` and `ignore` are RE2 pieces with fragments already expanded."""

    name: str
    cues: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    withdraws: str = ""
    examples: tuple[GuardExample, ...] = ()
    line: int = 0
    retracts: bool = False  # a reply with this cue takes back the announcements it quotes
    anywhere: bool = False  # the cue stops every pair of its clause, not only those of its phrase
    regex: Any = field(init=False, repr=False, compare=False)
    ignore_regex: Any = field(init=False, repr=False, compare=False)
    withdraws_rule: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "regex", compile_pattern(cue_pattern(self.cues)))
        ignore = compile_pattern(cue_pattern(self.ignore)) if self.ignore else None
        object.__setattr__(self, "ignore_regex", ignore)
        withdraws = Rule(f"guard {self.name}", self.withdraws) if self.withdraws else None
        object.__setattr__(self, "withdraws_rule", withdraws)

    def cue_in(self, clause: str, start: int = 0, end: int | None = None) -> str:
        """The cue this guard finds in clause[start:end] (stripped of its word edges), or "". Phrases to
        ignore are looked for in the whole clause ("deployed to staging and production" ignores "staging"
        even when the stretch looked at ends before "and")."""
        end = len(clause) if end is None else end
        found = self.regex.search(clause[start:end])
        if found is not None and self.ignore_regex is not None and self.ignore_regex.search(clause):
            blanked = self.ignore_regex.sub(lambda ignored: " " * len(ignored.group(0)), clause)
            found = self.regex.search(blanked[start:end])
        return found.group(0).strip(" ,.;:!()[]\"'-") or found.group(0) if found else ""


def cue_pattern(cues: tuple[str, ...]) -> str:
    """One case-insensitive RE2 alternation of the cues, each bounded as a word where it starts or ends
    with a letter or digit."""
    return "(?i)(?:" + "|".join(_bounded(cue) for cue in cues) + ")"


def _bounded(cue: str) -> str:
    before = WORD_BEFORE if cue[:1].isalnum() else ""
    after = WORD_AFTER if cue[-1:].isalnum() else ""
    return f"{before}(?:{cue}){after}"


def first_guard(guards: tuple[Guard, ...], clause: str, start: int = 0,
                end: int | None = None) -> tuple[Guard, str] | None:
    """The first guard (in file order) with a cue in clause[start:end], and the cue."""
    for guard in guards:
        cue = guard.cue_in(clause, start, end)
        if cue:
            return guard, cue
    return None


class GuardSet:
    """Guards compiled together as an RE2 set: one pass says which guards may have a cue in a text, and only
    those are asked for their cue (which also applies their `ignore`)."""

    def __init__(self, guards: tuple[Guard, ...]):
        self.guards = guards
        self.set = re2.Set.SearchSet(SET_OPTIONS) if guards else None
        for guard in guards:
            self.set.Add(cue_pattern(guard.cues))
        if self.set is not None:
            self.set.Compile()

    def first(self, text: str, start: int = 0, end: int | None = None) -> tuple[Guard, str] | None:
        """The first guard (in file order) with a cue in text[start:end], and the cue."""
        hits = self.set.Match(text[start:end]) if self.set is not None else None
        if not hits:
            return None
        return first_guard(tuple(self.guards[index] for index in sorted(hits)), text, start, end)
