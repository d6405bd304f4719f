"""`releasebot rules suggest`: from the misses the stored results keep, the smallest rules.yaml edits that
read them, each checked and counted before anyone applies it.

The stored candidates (candidates.py) are grouped by reason and by the word beside the pair: pairs with no
word for "shipped" by the word most of them share (the word goes into a `define.evidence_*` list, in its
language), pairs a guard stopped by guard and cue (a phrase for the guard's `ignore:`), pairs refused for a
word of `not_components:` by that word (taken out of the list). Each proposal is the new file's text, its
unified diff, an example taken from a real message (with the pairs it must yield), and what it changes over
the stored results: the not_found tasks it would find, and every found task whose announcing message it would
read differently. A proposal is refused when the changed file does not load with all its examples, or when
its word appears in a negative example of the shipped rules; a guard's change is never applied unless picked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from releasebot.candidates import GUARD, NO_RULE, NOT_COMPONENT, Candidate, stored_candidates
from releasebot.model import TaskResult
from releasebot.normalize import plain_text
from releasebot.rules import Rules, RulesError, parse_rules, read
from releasebot.rules.edits import EditError, add_guard_ignore, add_list_item, add_rule_example, remove_flow_item
from releasebot.rules.model import cue_pattern
from releasebot.rules.patterns import compile_pattern

EVIDENCE = "evidence"  # the fragment family a word for "shipped" is added to: evidence_en, evidence_ru, …
LANGUAGE_LETTERS = (("uk", "іїєґ"), ("ru", "абвгдежзийклмнопрстуфхцчшщъыьэюяё"), ("de", "äöüß"), ("es", "ñ¿¡"),
                    ("pt", "ãõç"), ("pl", "ąćęłńśźż"))
PLAIN_WORD_RE = re.compile(r"[^\W\d_]{3,40}")  # a word a group may be named for: letters only


@dataclass(frozen=True)
class Miss:
    """A stored candidate and the task it belongs to."""

    task_id: int
    candidate: Candidate


@dataclass(frozen=True)
class Proposal:
    """One edit of the rules file, what it reads, and what it changes over the stored results."""

    title: str
    reason: str  # the misses' reason the edit answers
    misses: tuple[Miss, ...]
    edit: Callable[[str], str] = field(compare=False)
    text: str = ""  # the rules file with this edit alone
    diff: str = ""
    examples: tuple[str, ...] = ()
    found: tuple[int, ...] = ()  # not_found tasks it would find
    changed: tuple[tuple[int, str], ...] = ()  # found tasks whose announcing message it reads differently
    guard: str = ""  # the guard whose reach it narrows: applied only when picked
    refused: str = ""  # why it cannot be applied, when it cannot


@dataclass(frozen=True)
class Suggestions:
    """The proposals, and the misses no edit of the rules answers, with why."""

    proposals: tuple[Proposal, ...]
    unanswered: tuple[tuple[Miss, str], ...]
    tasks: int  # not_found tasks whose stored results keep candidates


def stored_misses(results: Iterable[TaskResult]) -> list[Miss]:
    """Every candidate the not_found results keep."""
    return [Miss(result.task_id, candidate) for result in results if result.outcome == "not_found"
            for candidate in stored_candidates(result.extra)]


def suggest(text: str, path: str, rules: Rules, results: list[TaskResult], negatives: list[tuple[int, str]],
            ) -> Suggestions:
    """The proposals for the misses the stored results keep, each checked against the file's own examples and
    the shipped negatives (line, text), and counted over the stored results."""
    misses = stored_misses(results)
    proposals, unanswered = [], []
    words, rest = _by_word([m for m in misses if m.candidate.kind == NO_RULE])
    unanswered += [(miss, "no word beside the pair to add: write a rule for this shape") for miss in rest]
    for word, group in words:
        proposals.append(_word_proposal(text, rules, word, group))
    for key, group in _grouped([m for m in misses if m.candidate.kind == GUARD],
                               lambda m: (m.candidate.guard, m.candidate.cue.lower())).items():
        proposals.append(_guard_proposal(key[0], key[1], group))
    for miss in misses:
        if miss.candidate.kind == NOT_COMPONENT and miss.candidate.reason.endswith("is in not_components"):
            continue
        if miss.candidate.kind not in (NO_RULE, GUARD):
            unanswered.append((miss, _why_unanswered(miss.candidate)))
    for word, group in _grouped([m for m in misses if m.candidate.kind == NOT_COMPONENT
                                 and m.candidate.reason.endswith("is in not_components")],
                                lambda m: m.candidate.component).items():
        proposals.append(Proposal(f"take `{word}` out of not_components", group[0].candidate.reason,
                                  tuple(group), lambda t, w=word: remove_flow_item(t, "not_components", w)))
    checked = [_checked(proposal, text, path, rules, results, negatives) for proposal in proposals]
    return Suggestions(tuple(checked), tuple(unanswered), len({m.task_id for m in misses}))


def combined(text: str, path: str, proposals: Iterable[Proposal]) -> str:
    """The file with every given proposal applied in turn; raises RulesError when the result does not load
    with all its examples (as `rules check` would refuse it)."""
    for proposal in proposals:
        text = proposal.edit(text)
    parse_rules(text, path)
    return text


def _why_unanswered(candidate: Candidate) -> str:
    if candidate.kind == NOT_COMPONENT:
        return (f"{candidate.reason}: no edit of rules.yaml changes that; name the component in the message "
                f"(e.g. `web-{candidate.component} {candidate.version}`)")
    return f"{candidate.reason}: as it should be, no edit proposed"


def _by_word(misses: list[Miss]) -> tuple[list[tuple[str, list[Miss]]], list[Miss]]:
    """Misses grouped by the word beside their pair most of them share, greedily; those with no word left."""
    left, groups = list(misses), []
    while left:
        counts: dict[str, int] = {}
        for miss in left:
            for word in _words(miss.candidate):
                counts[word] = counts.get(word, 0) + 1
        if not counts:
            break
        word = max(counts, key=lambda w: (counts[w], -len(w)))
        groups.append((word, [m for m in left if word in _words(m.candidate)]))
        left = [m for m in left if word not in _words(m.candidate)]
    return groups, left


def _words(candidate: Candidate) -> list[str]:
    """The words a group may be named for: beside the pair, letters only, not the component itself."""
    return [w for w in (candidate.before, candidate.after)
            if w and PLAIN_WORD_RE.fullmatch(w) and w != candidate.component.lower()]


def _grouped(misses: list[Miss], key) -> dict:
    found: dict = {}
    for miss in misses:
        found.setdefault(key(miss), []).append(miss)
    return found


def _word_proposal(text: str, rules: Rules, word: str, group: list[Miss]) -> Proposal:
    fragment = f"{EVIDENCE}_{_language(word)}"
    piece = re.escape(word)
    return Proposal(f"add the word '{word}' to define.{fragment}", group[0].candidate.reason, tuple(group),
                    lambda t: add_list_item(t, "define", fragment, piece))


def _guard_proposal(guard: str, cue: str, group: list[Miss]) -> Proposal:
    phrase = _phrase_after(group[0].candidate, cue)
    return Proposal(f"guard `{guard}`: ignore '{phrase}' (narrows the guard: its cue '{cue}' no longer stops a "
                    f"pair inside that phrase)", group[0].candidate.reason, tuple(group),
                    lambda t: add_guard_ignore(t, guard, phrase), guard=guard)


def _phrase_after(candidate: Candidate, cue: str) -> str:
    """The cue with the two words after it, as RE2: the narrowest phrase that stops the cue counting here."""
    found = re.search(rf"(?i)(?<!\w){re.escape(cue)}(?:\s+[^\s,.;:!?]+){{0,2}}", candidate.clause)
    words = (found.group(0) if found else cue).split()
    return r"\s+".join(re.escape(word.lower()) for word in words)


def _language(word: str) -> str:
    lowered = word.lower()
    return next((code for code, letters in LANGUAGE_LETTERS if any(ch in letters for ch in lowered)), "en")


def _checked(proposal: Proposal, text: str, path: str, rules: Rules, results: list[TaskResult],
             negatives: list[tuple[int, str]]) -> Proposal:
    """The proposal with its text, diff, example, counts, or why it is refused."""
    try:
        changed = proposal.edit(text)
        bare = parse_rules(changed, path, examples=False)
    except (EditError, RulesError) as error:
        return _refused(proposal, f"the edit does not apply: {error}")
    read_now = [m for m in proposal.misses if _reads(bare, m.candidate)]
    if not read_now:
        return _refused(proposal, "the changed rules still do not read these pairs")
    changed, examples = _with_example(changed, bare, read_now[0])
    try:
        new = parse_rules(changed, path)
    except (EditError, RulesError) as error:
        return _refused(proposal, f"the changed file fails `rules check`:\n{error}")
    clash = _negative_clash(proposal, negatives)
    if clash:
        return _refused(proposal, clash)
    diff = "".join(difflib.unified_diff(text.splitlines(True), changed.splitlines(True), path, path))
    found, moved = _effect(rules, new, results)
    return Proposal(proposal.title, proposal.reason, proposal.misses, _and_example(proposal.edit, examples, bare),
                    changed, diff, examples, found, moved, proposal.guard)


def _refused(proposal: Proposal, why: str) -> Proposal:
    return Proposal(proposal.title, proposal.reason, proposal.misses, proposal.edit, guard=proposal.guard,
                    refused=why)


def _reads(rules: Rules, candidate: Candidate) -> bool:
    return any((m.component, m.version) == (candidate.component, candidate.version)
               for m in read(rules, candidate.clause).matches)


def _example_rule(rules: Rules, candidate: Candidate) -> str:
    """The rule that now reads the pair: the one its example goes under."""
    return next(r.name for r in rules.rules if any(
        (m.component, m.version) == (candidate.component, candidate.version)
        for m in read(rules, candidate.clause, only=[r]).matches))


def _with_example(text: str, bare: Rules, miss: Miss) -> tuple[str, tuple[tuple[str, str, list], ...]]:
    rule = _example_rule(bare, miss.candidate)
    expect = sorted((m.component, m.version) for m in read(bare, miss.candidate.clause, only=[
        r for r in bare.rules if r.name == rule]).matches)
    example = (rule, miss.candidate.clause, expect)
    return add_rule_example(text, *example), (example,)


def _and_example(edit: Callable[[str], str], examples, bare: Rules) -> Callable[[str], str]:
    """The edit with its examples: what `--write` applies."""
    def apply(text: str) -> str:
        text = edit(text)
        for rule, example, expect in examples:
            text = add_rule_example(text, rule, example, expect)
        return text

    return apply


def _negative_clash(proposal: Proposal, negatives: list[tuple[int, str]]) -> str:
    """Why a new word cannot be: it appears inside a negative example of the shipped rules."""
    word = re.match(r"add the word '(?P<word>.+)' to", proposal.title)
    if word is None:
        return ""
    pattern = compile_pattern(cue_pattern((re.escape(word.group("word")),)))
    for line, example in negatives:
        if pattern.search(plain_text(example)):
            return (f"'{word.group('word')}' appears in the shipped negative example {example!r} (rules.yaml:{line}):"
                    " the rules would read a release where there is none")
    return ""


def _effect(old: Rules, new: Rules, results: list[TaskResult]) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
    """Over the stored results: the not_found tasks the new rules read a kept pair of, and the found tasks
    whose announcing message the new rules read differently (what it named, and what it would name)."""
    found, changed = [], []
    for result in results:
        if result.outcome == "not_found":
            kept = [c for c in stored_candidates(result.extra) if c.kind in (NO_RULE, GUARD, NOT_COMPONENT)]
            if any(_reads(new, c) and not _reads(old, c) for c in kept):
                found.append(result.task_id)
        elif result.outcome == "found":
            for text in {r.message_text for r in result.releases if r.message_text}:
                before, after = _pairs(old, text), _pairs(new, text)
                if before != after:
                    changed.append((result.task_id, f"{_named(before)} → {_named(after)}"))
                    break
    return tuple(sorted(found)), tuple(changed)


def _pairs(rules: Rules, text: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((m.component, m.version) for m in read(rules, text).matches))


def _named(pairs) -> str:
    return ", ".join(f"{c} {v}" for c, v in pairs) or "nothing"


def negative_examples(rules: Rules) -> list[tuple[int, str]]:
    """The texts the rules say are no release: every rule example expecting nothing, and every text a guard
    stops, with their lines."""
    found = [(example.line, example.text) for rule in rules.rules for example in rule.examples if not example.expect]
    found += [(example.line, example.text) for guard in rules.guards for example in guard.examples if example.stops]
    return found

