"""The matcher: a rule's RE2 pattern run over one clause, yielding (component, version) candidates.

A candidate the caller refuses (a word that is never a component, a time taken for a version) does not end
the search: the refused word is blanked out and the pattern tried again over the same stretch, so "Release
5.15.1 of web-frontend" still finds web-frontend once "release" is refused. The policy that combines rules, guards and
components lives in reading.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import re2

from releasebot.rules.model import Match, Refusal, Rule
from releasebot.rules.vocabulary import NOT_A_VERSION

MAX_MATCHES_PER_TEXT = 200  # a clause naming more releases than this is not a release note
MAX_PAIRS_PER_MATCH = 50
CONTEXT = 12  # bytes of text after a version that say whether it is one (a unit, more letters)
GLUED = "not a component: part of a longer word"
VERSIONISH = re.compile(rb"\d\.\d")
MASK = b"\x01"  # stands in for a refused word: no pattern piece takes it for a component or a version
UNANCHORED = re2._Anchor.UNANCHORED

# accept(raw component, version, text before, text after) -> (component, "") or ("", why not)
Accept = Callable[[str, str, str, str], tuple[str, str]]


def scan(rule: Rule, text: str, accept: Accept) -> tuple[list[Match], list[Refusal]]:
    """The pairs the rule names in the text, in text order, and those `accept` refused."""
    data = bytearray(text.encode("utf-8", "replace"))
    found: list[tuple[int, Match]] = []
    refused: list[Refusal] = []
    position, tries = 0, 0
    while tries < MAX_MATCHES_PER_TEXT and _holds_version(data, position, len(data)) \
            and (outer := _search(rule.regex, data, position, len(data))) is not None:
        tries += 1
        refusals = len(refused)
        pairs = _pairs_in(rule, data, outer, accept, refused)
        found.extend(pairs)
        if not pairs and len(refused) > refusals and _mask_refused(rule, data, outer, refused[-1]):
            continue  # the same stretch again, without the word or number just refused
        if outer[0][1] <= position:
            break
        position = outer[0][1]
    return [match for _, match in sorted(found, key=lambda pair: pair[0])], refused


def _holds_version(data: bytes, start: int, end: int) -> bool:
    """Whether data[start:end] has a digit, a dot and a digit: without one no pattern can match there, and
    the test costs far less than running a rule's pattern."""
    return VERSIONISH.search(data, start, end) is not None


def _mask_refused(rule: Rule, data: bytearray, outer, refusal: Refusal) -> bool:
    """Blank out what was refused (the component, or the number that is not a version), so that the
    pattern can match the stretch again with another word: "Release 5.15.1 of web-frontend"."""
    part = "version" if refusal.reason.startswith(NOT_A_VERSION) else "component"
    start, end = _span(rule, outer, part) if part in rule.groups else (-1, -1)
    if start < 0 or end <= start:
        return False
    data[start:end] = MASK * (end - start)
    return True


def _pairs_in(rule: Rule, data: bytes, outer, accept: Accept, refused: list) -> list[tuple[int, Match]]:
    """The pairs one match names: its own, and those the pattern finds again before and after it.

    That is how one match over a list ("im 24.500.0 and ui 3.1.0") yields every pair in it.
    """
    found, todo, seen = [], [outer], 0
    while todo and seen < MAX_PAIRS_PER_MATCH:
        match = todo.pop()
        seen += 1
        span = _pair_span(rule, match)
        if span is None:
            continue
        pair = _pair(rule, data, span, accept, refused, (span[0], match[0][1], match[0][0]))
        if pair is not None:
            found.append((span[0], pair))
        stretches = ((match[0][0], span[0]), (span[1], match[0][1]))
        inner = (_search(rule.regex, data, start, end) for start, end in stretches if _holds_version(data, start, end))
        todo.extend(found_again for found_again in inner if found_again is not None)
    return found


# A match, as the matcher keeps it: the span of every group, the whole match first (-1, -1 for a group that
# took no part); see `_search`.
Spans = tuple[tuple[int, int], ...]


def _pair_span(rule: Rule, match: Spans) -> tuple[int, int, tuple[int, int], tuple[int, int]] | None:
    """Where the captured pair lies (start, end, the version's span, the component's), or None when the match
    names no pair or is vetoed by `skip`."""
    if any(match[index][0] >= 0 for index in rule.groups.get("skip", ())):
        return None
    version = _span(rule, match, "version")
    component = _span(rule, match, "component") if rule.component is None else version
    if version[0] < 0 or version[0] == version[1] or component[0] < 0 or component[0] == component[1]:
        return None
    return min(version[0], component[0]), max(version[1], component[1]), version, component


def _span(rule: Rule, match: Spans, name: str) -> tuple[int, int]:
    """The span of the group of this name that took part (a name may recur in alternatives)."""
    return next((match[index] for index in rule.groups[name] if match[index][0] >= 0), (-1, -1))


def _pair(rule: Rule, data: bytes, span, accept: Accept, refused: list, where: tuple[int, int]) -> Match | None:
    (start, end), (component_start, component_end) = span[2], span[3]
    version = data[start:end].decode("utf-8", "replace")
    raw = rule.component if rule.component is not None else \
        data[component_start:component_end].decode("utf-8", "replace")
    glued = rule.component is None and _glued(data, component_start, component_end)
    component, reason = ("", GLUED) if glued else \
        accept(raw, version, data[max(start - 4, 0):start].decode("utf-8", "replace")[-1:],
               data[end:end + CONTEXT].decode("utf-8", "replace"))
    if reason:
        refused.append(Refusal(rule.name, raw.lower(), version, reason))
        return None
    return Match(component, version, rule.name, *where)


def _glued(data: bytes, start: int, end: int) -> bool:
    """Whether the captured component is only part of a word: "n" of "versión", "check" of "checkout-web"."""
    before = data[start - 1:start] if start > 0 else b""
    after = data[end:end + 3]
    if before and (before.isalnum() or before in b"_./@-" or before[0] >= 0x80):
        return True
    if not after:
        return False
    tag = after[1:2] in b"vV" and after[2:3].isdigit()  # "notifier-v1.12.0"
    return after[:1].isalnum() or after[:1] == b"_" or after[0] >= 0x80 or \
        (after[:1] in b"-." and after[1:2].isalpha() and not tag)


def _search(regex, data: bytes, start: int, end: int) -> Spans | None:
    """The spans of every group of the regex's first match in data[start:end] (the whole match first), or
    None. google-re2's own search wraps them in a Match object; the matcher needs the spans alone, and reading
    them straight from the compiled RE2 saves most of a search's cost."""
    if start > end:
        return None
    native = getattr(regex, "_regexp", None)
    if native is None:  # not google-re2's regex: its Match object, as spans
        found = regex.search(data, start, end)
        return None if found is None else tuple(found.span(index) for index in range(found.re.groups + 1))
    spans = native.Match(UNANCHORED, data, start, end)
    return None if spans[0][0] < 0 else spans
