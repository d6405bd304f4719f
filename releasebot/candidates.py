"""Misses a person can see: the version-shaped pairs a chat holds that the rules did not count, and why.

One explanation model for the worker (a not_found result keeps the newest few), `releasebot rules test
--explain`, the /attention page and `releasebot rules suggest`. A candidate is a pair with its message (id,
author, date), the clause as a reader sees it with the pair's place in it, the words around the pair, and
the reason in words: no word for "shipped" the rules know, a guard's cue, a word that is never a component,
a quote, a later rollback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from releasebot.clauses import clauses, has_version
from releasebot.extract import ReleaseScan
from releasebot.model import Message
from releasebot.normalize import has_quote, plain_text
from releasebot.rules import Refusal, Rules, read
from releasebot.rules.match import GLUED
from releasebot.rules.vocabulary import NEVER_COMPONENTS, NOT_A_VERSION, canonical_component, version_problem

MAX_CANDIDATES = 5  # kept per task: the newest; a long chat's misses are alike
MAX_CLAUSE = 300  # characters of a clause kept around its pair
WORDS_AROUND = 3  # how far from the pair a content word is looked for

# Words on the built-in never-components list that teams do use as a name ("deployed app 3.2.0"): a pair
# refused for one of these is shown; one refused for "the", "not" or "version" is no pair at all.
NAME_LIKE = frozenset({"app", "application", "service", "module", "component", "project", "package", "hotfix",
                       "bugfix", "fix", "feature", "plugin", "plugins", "controller", "runner", "portal", "chart",
                       "job", "pipeline", "workflow", "server", "node", "cluster", "browser", "bot"}) & NEVER_COMPONENTS
NO_RULE, GUARD, NOT_COMPONENT, QUOTED, WITHDRAWN = "no_rule", "guard", "not_component", "quoted", "withdrawn"
KINDS = (NO_RULE, GUARD, NOT_COMPONENT, QUOTED, WITHDRAWN)
NO_RULE_REASON = "no word for 'shipped' the rules know"
QUOTED_REASON = "inside a quote: quoted text never counts"

# A component and a version side by side, in the shapes people write them: "ui 3.2.0", "ui v3.2.0",
# "ui@3.2.0", "registry/team/ui:3.2.0".
PAIR_RE = re.compile(
    r"(?<![\w.@/-])(?P<component>@?[a-z](?:[a-z0-9_.-]*[a-z0-9])?(?:/[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?)*)"
    r"(?:\s+(?:v|version\s*|ver\.?\s*)?|@|:|\s*=\s*)"
    r"(?P<version>\d{1,9}(?:\.\d{1,9}){1,3}(?:-[0-9a-z]+(?:\.[0-9a-z]+)*)?)(?![\w]|\.\d)", re.IGNORECASE)
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
CUE_RE = re.compile(r"^guard (?P<guard>\S+): (?P<quote>['\"])(?P<cue>.*)(?P=quote)$")


@dataclass(frozen=True)
class Candidate:
    """A pair a chat message holds that the rules did not count, where it is, and why not."""

    component: str
    version: str
    message_id: int
    author_id: int
    message_at: str
    clause: str  # as a reader sees it, at most MAX_CLAUSE characters around the pair
    start: int  # the pair's place in the clause
    end: int
    kind: str  # one of KINDS
    reason: str  # in words a person understands
    guard: str = ""
    cue: str = ""
    before: str = ""  # the nearest word before the pair that is not a preposition or article
    after: str = ""  # and after it

    @property
    def pair(self) -> str:
        """The pair as the clause writes it."""
        return self.clause[self.start:self.end]

    def to_json(self) -> dict:
        """The candidate as a result JSON keeps it (`candidates`)."""
        data = {"component": self.component, "version": self.version, "messageId": self.message_id,
                "authorId": self.author_id, "messageAt": self.message_at, "clause": self.clause,
                "pairStart": self.start, "pairEnd": self.end, "kind": self.kind, "reason": self.reason,
                "before": self.before, "after": self.after}
        return data | ({"guard": self.guard, "cue": self.cue} if self.guard else {})

    @classmethod
    def from_json(cls, data: dict) -> Candidate:
        """Inverse of to_json; what a stored result holds."""
        return cls(str(data["component"]), str(data["version"]), int(data.get("messageId") or 0),
                   int(data.get("authorId") or 0), str(data.get("messageAt") or ""), str(data.get("clause") or ""),
                   int(data.get("pairStart") or 0), int(data.get("pairEnd") or 0), str(data.get("kind") or NO_RULE),
                   str(data.get("reason") or ""), str(data.get("guard") or ""), str(data.get("cue") or ""),
                   str(data.get("before") or ""), str(data.get("after") or ""))


def stored_candidates(extra: dict) -> list[Candidate]:
    """The candidates a result's JSON keeps (none when it keeps none, or keeps them in a shape not ours)."""
    found = []
    for item in extra.get("candidates") or ():
        try:
            found.append(Candidate.from_json(item))
        except (KeyError, TypeError, ValueError):
            continue
    return found


def misses(rules: Rules, scan: ReleaseScan, messages: Iterable[Message],
           limit: int | None = MAX_CANDIDATES) -> list[Candidate]:
    """The pairs the messages the scan read (newest first) hold and the result does not count, newest first,
    at most `limit` of them."""
    counted = {(release.component, release.version) for release in scan.releases}
    passed_over: dict[int, list] = {}
    for message, match, why in scan.passed_over:
        passed_over.setdefault(message.id, []).append((match, why))
    found: list[Candidate] = []
    for message in messages:
        reading = scan.readings.get(message.id)
        if reading is None:
            continue  # a system message, the bot's own, or one past the window
        found += _in_message(rules, message, reading, passed_over.get(message.id, ()), counted)
        if limit is not None and len(found) >= limit:
            break
    return found[:limit] if limit is not None else found


def misses_in_text(rules: Rules, text: str) -> list[Candidate]:
    """The pairs one text holds that the rules do not count, and why (`rules test --text … --explain`)."""
    message = Message(id=0, author_id=0, text=text, created_at="")
    scan = ReleaseScan(rules)
    scan.feed([message])
    return misses(rules, scan, [message], limit=None)


def _in_message(rules: Rules, message: Message, reading, passed_over, counted) -> list[Candidate]:
    """One message's misses, one per version, the weightiest reason first: a newer message's, a guard's, a
    component's, no rule's, a quote's."""
    plain = plain_text(message.text)
    texts = [clause for clause in clauses(plain) if has_version(clause)] if has_version(plain) else []
    named = {match.version for match in reading.matches if (match.component, match.version) in counted}
    named |= {back.version for back in reading.taken_back}  # its own rollback or correction: no miss
    found: dict[str, Candidate] = {}

    def add(component: str, version: str, kind: str, reason: str, guard: str = "", cue: str = "",
            among: list[str] = texts) -> None:
        if version in found or version in named:
            return
        place = _place(among, component, version)
        if place is not None:
            found[version] = _candidate(message, component, version, *place, kind, reason, guard, cue)

    for match, why in passed_over:
        add(match.component, match.version, WITHDRAWN, why)
    withdrawing = set(reading.withdrawn)
    for refusal in sorted(reading.refused, key=lambda refusal: not refusal.guard):
        reason = _refusal_reason(rules, refusal)
        if reason is not None:
            add(canonical_component(refusal.component), refusal.version, *reason)
    read_pairs = {match.version for match in reading.matches}
    for clause in texts:
        for component, version in _pairs(rules, clause):
            if version not in read_pairs and component not in withdrawing:
                add(component, version, NO_RULE, NO_RULE_REASON)
    if has_quote(message.text):
        quoted = [c for c in clauses(plain_text(message.text, keep_quotes=True)) if c not in texts]
        for match in read(rules, message.text, keep_quotes=True).matches:
            add(match.component, match.version, QUOTED, QUOTED_REASON, among=quoted)
    return sorted(found.values(), key=lambda candidate: texts.index(candidate.clause)
                  if candidate.clause in texts else len(texts))


def _refusal_reason(rules: Rules, refusal: Refusal) -> tuple[str, str] | tuple[str, str, str, str] | None:
    """(kind, reason[, guard, cue]) for a refused pair worth showing; None for what is no pair at all (a time,
    a date, a word glued to more letters, a commit hash)."""
    if refusal.guard:
        cue = CUE_RE.match(refusal.reason)
        said = cue.group("cue") if cue else ""
        return GUARD, f"stopped by guard `{refusal.guard}`" + (f" (cue '{said}')" if said else ""), refusal.guard, said
    if refusal.reason.startswith(NOT_A_VERSION) or refusal.reason == GLUED:
        return None
    word = canonical_component(refusal.component)
    if word in rules.never_components and word not in NEVER_COMPONENTS:
        return NOT_COMPONENT, f"component `{word}` is in not_components"
    if word in NAME_LIKE:
        return NOT_COMPONENT, f"`{word}` is on the built-in list of words that are never a component"
    if rules.components and word not in rules.components:
        return NOT_COMPONENT, f"component `{word}` is not in `components:`"
    return None


def _pairs(rules: Rules, clause: str) -> list[tuple[str, str]]:
    """The component-and-version pairs a clause writes, whatever the words around them."""
    found = []
    for pair in PAIR_RE.finditer(clause):
        version = pair.group("version")
        before, after = clause[pair.start("version") - 1:pair.start("version")], clause[pair.end():pair.end() + 12]
        if version_problem(version, before, after):
            continue
        component, problem = rules.component_for(canonical_component(pair.group("component")))
        if not problem:
            found.append((component, version))
    return found


def _place(texts: list[str], component: str, version: str) -> tuple[str, int, int] | None:
    """The clause naming the pair, and the pair's place in it: where the component (when it stands just
    before) or the version starts, to where the version ends."""
    for clause in texts:
        at = _version_at(clause, version)
        if at < 0:
            continue
        lowered = clause.lower()
        named = lowered.rfind(component.lower(), max(0, at - len(component) - 16), at)
        return clause, named if named >= 0 else at, at + len(version)
    return None


def _version_at(clause: str, version: str) -> int:
    found = re.search(rf"(?<![\d.]){re.escape(version)}(?![\d])", clause)
    return found.start() if found else -1


def _candidate(message: Message, component: str, version: str, clause: str, start: int, end: int, kind: str,
               reason: str, guard: str = "", cue: str = "") -> Candidate:
    before, after = _word_near(clause[:start], reverse=True), _word_near(clause[end:])
    clause, start, end = _window(clause, start, end)
    return Candidate(component, version, message.id, message.author_id, message.created_at, clause, start, end,
                     kind, reason, guard, cue, before, after)


def _word_near(text: str, reverse: bool = False) -> str:
    """The nearest word, within WORDS_AROUND of the pair, that is not a preposition, article or the like."""
    words = WORD_RE.findall(text)
    for word in (words[::-1] if reverse else words)[:WORDS_AROUND]:
        lowered = word.lower()
        if lowered not in NEVER_COMPONENTS or lowered in FLOW_WORDS:
            return lowered
    return ""


# Words the never-components list holds that still say something of a release ("deployed", "released"):
# they may be the word a group is named for.
FLOW_WORDS = frozenset({"released", "shipped", "published", "rolled", "deployed", "fixed", "landed", "included",
                        "upgraded", "updated", "merged", "live", "hit", "reached"})


def _window(clause: str, start: int, end: int) -> tuple[str, int, int]:
    """At most MAX_CLAUSE characters of the clause around the pair, marked with "…" where cut."""
    if len(clause) <= MAX_CLAUSE:
        return clause, start, end
    width = MAX_CLAUSE - 2 - (end - start)
    low = max(0, min(start - width // 2, len(clause) - (MAX_CLAUSE - 2)))
    high = min(len(clause), low + MAX_CLAUSE - 2)
    head = "…" if low > 0 else ""
    tail = "…" if high < len(clause) else ""
    return head + clause[low:high] + tail, start - low + len(head), end - low + len(head)


def as_dicts(candidates: Iterable[Candidate]) -> list[dict]:
    """The candidates as a result JSON keeps them."""
    return [candidate.to_json() for candidate in candidates]


def describe(candidate: Candidate) -> str:
    """One line: the message, the clause with the pair in [brackets], and why it did not count."""
    marked = f"{candidate.clause[:candidate.start]}[{candidate.pair}]{candidate.clause[candidate.end:]}"
    when = f" {candidate.message_at}" if candidate.message_at else ""
    who = f"#{candidate.message_id} by {candidate.author_id}{when}: " if candidate.message_id else ""
    return f"{who}{candidate.component} {candidate.version} not counted: {candidate.reason}\n    | {marked}"


