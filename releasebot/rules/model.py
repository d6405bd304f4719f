"""The rules model: everything rules.yaml loads into, in one module.

`Rules` holds the `Rule`s (a named RE2 pattern with its `Example`s), the `Guard`s (cue lists that keep a
clause from counting as a finished release, with their `GuardExample`s) and the file's settings. A `Match`
is a pair a rule names; a `Refusal` a pair it matched that is not a release, and why. `Problem` and
`RulesError` say what is wrong with a file.

A guard is data in rules.yaml: its cues are RE2 pieces (fragments allowed), each matched as a whole word
where it begins or ends with a letter (RE2's \\b knows only ASCII letters, so this is done here for every
script). `ignore` lists phrases removed before the cues are looked for ("no errors" is not a negation).
A guard with `withdraws` is a rollback: the pairs its pattern finds in a stopped clause are withdrawn.

This module depends on nothing else in the rules package but patterns.py and vocabulary.py: the matcher
(match.py), the reading (reading.py) and the checker (check.py) are built on it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import re2

from releasebot.comment import DEFAULT_TEMPLATE
from releasebot.errors import ReleasebotError
from releasebot.rules.patterns import compile_pattern, group_indexes, re2_options
from releasebot.rules.vocabulary import NEVER_COMPONENTS, component_problem

DEFAULT_STATUSES = frozenset({5})
DEFAULT_MAX_MESSAGES = 200
SET_MAX_MEM = 64 << 20  # the rules together; RE2 allocates it only as the automaton grows
# Letters of the Latin, Greek and Cyrillic scripts: a class this size keeps RE2's automaton small and fast,
# where the whole of Unicode (\pL) makes every guard ten times slower.
WORD = r"\w\x{00C0}-\x{024F}\x{0370}-\x{03FF}\x{0400}-\x{052F}"
WORD_BEFORE = rf"(?:^|[^{WORD}])"
WORD_AFTER = rf"(?:$|[^{WORD}])"


SET_OPTIONS = re2_options(SET_MAX_MEM)


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
class Example:
    """A text a rule is tried on at load, and the (component, version) pairs it must yield."""

    text: str
    expect: tuple[tuple[str, str], ...]
    line: int = 0


@dataclass(frozen=True)
class GuardExample:
    """A text the guard must stop (`stops`) or let through."""

    text: str
    stops: bool
    line: int = 0


@dataclass(frozen=True)
class Match:
    """A component and version named in a message, and the rule that found them."""

    component: str
    version: str
    rule: str
    at: int = field(default=0, compare=False)  # where in the clause the pair starts (UTF-8 bytes)
    end: int = field(default=0, compare=False)  # where the rule's match around it ends
    start: int = field(default=0, compare=False)  # where the rule's match around it starts


@dataclass(frozen=True)
class Refusal:
    """A pair a rule matched but that is not a release, and why."""

    rule: str
    component: str
    version: str
    reason: str
    guard: str = ""  # the guard that stopped it, when one did


@dataclass(frozen=True)
class Rule:
    """One named pattern; its groups give version and component (or `component` is fixed).

    `pattern` is the pattern with its fragments expanded; `source` is the pattern as written. The matcher
    that runs it over a clause is match.scan.
    """

    name: str
    pattern: str
    component: str | None = None
    line: int = 0
    examples: tuple[Example, ...] = ()
    source: str = ""
    # what it finds may be a library moved inside another release ("Внутри обновили guzzle до 7.8.1"): see
    # Reading.bumps
    bump: bool = False
    regex: Any = field(init=False, repr=False, compare=False)
    groups: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        regex = compile_pattern(self.pattern, to_run=True)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "groups", group_indexes(self.pattern, regex))


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
    # beside a version named alone, the cue takes it back with no rule reading it ("2.9.0 was the stage build");
    # a negation must not ("24.500.0 is not working" is a bug report on a shipped version)
    retracts_alone: bool = False
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
            found = self.regex.search(self._blank_ignored(clause)[start:end])
        return found.group(0).strip(" ,.;:!()[]\"'-") or found.group(0) if found else ""


    def _blank_ignored(self, clause: str) -> str:
        """The clause with the phrases to ignore blanked. A second pass finds a phrase right after another
        (\"this morning as planned\"): the first one's edge took the space the second needs before it."""
        blank = self.ignore_regex.sub
        return blank(_spaces, blank(_spaces, clause))


def _spaces(found) -> str:
    return " " * len(found.group(0))


def cue_pattern(cues: tuple[str, ...]) -> str:
    """One case-insensitive RE2 alternation of the cues, each bounded as a word where it starts or ends
    with a letter or digit, also inside a group or before a `?` ("no\\s+(?:es|se)" is not "no servidor")."""
    return "(?i)(?:" + "|".join(_bounded(cue) for cue in cues) + ")"


def _bounded(cue: str) -> str:
    before = WORD_BEFORE if re.sub(r"^(?:\(\?:)+", "", cue)[:1].isalnum() else ""
    end = cue.rstrip(")?")
    after = WORD_AFTER if _ends_in_a_letter(end) else ""
    return f"{before}(?:{cue}){after}"


def _ends_in_a_letter(end: str) -> bool:
    """Whether a cue ends in a letter or digit, or in a class of them ("rot[oa]" is not "rotation"); not after
    an escape ("…\\s")."""
    if end.endswith("]"):
        inner = end[end.rfind("[") + 1:-1]
        return bool(inner) and inner[0] != "^" and "\\" not in inner and all(char.isalnum() for char in inner)
    return end[-1:].isalnum() and end[-2:-1] != "\\"


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

    def hits(self, text: str) -> list[Guard]:
        """The guards that may have a cue in the text (one pass of the set; `cue_in` applies their `ignore`)."""
        found = self.set.Match(text) if self.set is not None else None
        return [self.guards[index] for index in sorted(found)] if found else []

    def first(self, text: str, start: int = 0, end: int | None = None) -> tuple[Guard, str] | None:
        """The first guard (in file order) with a cue in text[start:end], and the cue."""
        hits = self.set.Match(text[start:end]) if self.set is not None else None
        if not hits:
            return None
        for guard in (self.guards[index] for index in sorted(hits)):
            cue = guard.cue_in(text, start, end)
            if cue:
                return guard, cue
        return None


@dataclass(frozen=True)
class GuardSets:
    """The file's guards as sets: all of them, those that look at a whole clause, those that withdraw."""

    all: GuardSet
    anywhere: GuardSet
    withdrawing: GuardSet
    retracting: GuardSet  # those whose cue in a newer message takes back what older ones said

    @classmethod
    def of(cls, guards: tuple[Guard, ...]) -> GuardSets:
        """The four sets of these guards, each in file order."""
        return cls(GuardSet(guards), GuardSet(tuple(guard for guard in guards if guard.anywhere)),
                   GuardSet(tuple(guard for guard in guards if guard.withdraws)),
                   GuardSet(tuple(guard for guard in guards if guard.retracts)))


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


@dataclass(frozen=True)
class Rules:
    """A loaded, valid rules file. What it makes of a text is reading.read(rules, text)."""

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

    @functools.cached_property
    def prefilter(self) -> RuleSet:
        """All the rules in one RE2 set: one pass over a clause says which rules can match it."""
        return RuleSet(self.rules)

    @functools.cached_property
    def guard_sets(self) -> GuardSets:
        """The guards as sets: all of them, those that look at a whole clause, those that withdraw."""
        return GuardSets.of(self.guards)

    @functools.cached_property
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
