"""RE2 patterns: compiling them with memory capped, saying what is wrong with one, and its named groups.

RE2 (google-re2) matches in time linear in the text, whatever the pattern; the price is that PCRE-only
syntax (lookaround, backreferences, atomic groups) does not compile, so each is named with a rewrite.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

import re2

RE2_MAX_MEM = 4 << 20  # per pattern: program and DFA cache; a bigger pattern is refused at load
# A rule's pattern as the reading runs it: the same program, with room for RE2's automaton to keep its states.
# The shipped `evidence` pattern searches 4x faster with it (bench/extract_bench.py); RE2 allocates it only as
# the automaton grows.
RULE_MAX_MEM = 16 << 20
KNOWN_GROUPS = ("component", "version", "skip")

JAVASCRIPT_RE = re.compile(r"/(.+)/([a-z]*)", re.DOTALL)
NAMED_GROUP_RE = re.compile(r"\(\?P?<([A-Za-z_]\w*)>")
ANGLE_GROUP_RE = re.compile(r"\(\?<[A-Za-z_]")
INLINE_FLAGS = {"i": "(?i)", "s": "(?s)", "m": "(?m)"}

RE2_SYNTAX = "RE2 syntax: https://github.com/google/re2/wiki/Syntax"
SKIP_HINT = ("capture the text to exclude in a (?P<skip>…) group: a match in which `skip` takes part is "
             "ignored, e.g. '(?P<skip>will be )?deployed in …'")
LOOKAHEAD_HINT = ("make the text part of the match: 'deployed(?= in)' → 'deployed in'; only the named groups "
                  "are used, so a longer match changes nothing")
LOOKBEHIND_HINT = "make the text part of the match: '(?<=in )(?P<component>…)' → 'in (?P<component>…)'"
NO_BACKTRACK_HINT = "RE2 never backtracks, so they are not needed: write (?:…) for (?>…), + * ? for ++ *+ ?+"
CONSTRUCTS = {  # PCRE-only syntax: what to say, and how to rewrite it for RE2
    "backreference": ("RE2 has no backreferences (\\1, \\k<name>, (?P=name))",
                      "RE2 cannot match 'the same text again': write the sub-pattern out a second time"),
    "lookahead": ("RE2 has no lookahead (?=…)", LOOKAHEAD_HINT),
    "negative lookaround": ("RE2 has no negative lookahead or lookbehind (?!…) (?<!…)", SKIP_HINT),
    "lookbehind": ("RE2 has no lookbehind (?<=…)", LOOKBEHIND_HINT),
    "atomic": ("RE2 has no atomic groups (?>…) or possessive quantifiers (++ *+ ?+)", NO_BACKTRACK_HINT),
    "conditional": ("RE2 has no conditionals or recursion (?(…) (?R)", "split the rule in two"),
    "end of text": ("RE2 writes the end of the text as \\z, not \\Z", "replace \\Z with \\z (or $)"),
}
BACKREFERENCE_ESCAPES = {*(f"\\{digit}" for digit in "123456789"), "\\k"}
CONSTRUCT_PREFIXES = {"(?=": "lookahead", "(?!": "negative lookaround", "(?<!": "negative lookaround",
                      "(?<=": "lookbehind", "(?>": "atomic", "(?P=": "backreference", "(?(": "conditional",
                      "(?R": "conditional"}
VERSION_HINT = "capture the version, e.g. v?(?P<version>\\d+(?:\\.\\d+)+)"
COMPONENT_HINT = "add (?P<component>[a-z][\\w-]*) to the pattern, or a fixed `component: im` to the rule"


def re2_options(max_mem: int) -> re2.Options:
    """RE2's options with a memory bound, and its own error log off (problems are reported as ours)."""
    options = re2.Options()
    options.max_mem = max_mem
    options.log_errors = False
    return options


RE2_OPTIONS = re2_options(RE2_MAX_MEM)
RULE_OPTIONS = re2_options(RULE_MAX_MEM)


def compile_pattern(pattern: str, *, to_run: bool = False):
    """The RE2 regex for a pattern, with memory capped; raises re2.error. A pattern too big for RE2_MAX_MEM
    is refused; `to_run` gives one that passed that check a larger cache for the automaton."""
    if not ANGLE_GROUPS_NATIVE:
        pattern = _python_group_syntax(pattern)
    regex = re2.compile(pattern, RE2_OPTIONS)
    return re2.compile(pattern, RULE_OPTIONS) if to_run else regex


def pattern_problems(pattern: str, has_component_key: bool) -> list[tuple[str, str]]:
    """What is wrong with a rule's pattern, each with what to do about it; empty when it is fine."""
    javascript = JAVASCRIPT_RE.fullmatch(pattern)
    if javascript:
        return [_javascript_problem(*javascript.groups())]
    try:
        regex = compile_pattern(pattern)
    except re2.error as error:
        return _compile_problems(pattern, error)
    return _group_problems(list(regex.groupindex), has_component_key)


def _javascript_problem(body: str, flags: str) -> tuple[str, str]:
    inline = "".join(INLINE_FLAGS.get(flag, "") for flag in dict.fromkeys(flags))
    return (f"looks like JavaScript syntax /…/{flags}, which would match a literal slash",
            f"drop the slashes and write flags inline: '{inline}{body[:60]}'")


def _compile_problems(pattern: str, error: re2.error) -> list[tuple[str, str]]:
    kinds = dict.fromkeys(_pcre_constructs(pattern))
    if kinds:
        return [CONSTRUCTS[kind] for kind in kinds]
    reason = error.args[0] if error.args else error
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    hint = RE2_SYNTAX
    if "too large" in reason or "repetition size" in reason:
        hint = "shorten counted repetitions like {1,1000}: RE2 caps a pattern's size"
    return [(f"does not compile in RE2: {reason}", hint)]


def _pcre_constructs(pattern: str) -> Iterator[str]:
    """The kinds of PCRE-only syntax in a pattern, outside escapes' meaning and character classes."""
    for index, token in _syntax_tokens(pattern):
        if token in BACKREFERENCE_ESCAPES:
            yield "backreference"
        elif token == "\\Z":
            yield "end of text"
        elif token == "(":
            yield from (kind for text, kind in CONSTRUCT_PREFIXES.items() if pattern.startswith(text, index))
        elif token in "*+?}" and pattern.startswith("+", index + 1):
            yield "atomic"


def _syntax_tokens(pattern: str) -> Iterator[tuple[int, str]]:
    """(index, token) for the syntax outside character classes: `\\x` escapes and single characters."""
    index, in_class = 0, False
    while index < len(pattern):
        token = pattern[index:index + 2] if pattern[index] == "\\" else pattern[index]
        if token == "\\Q":  # literal text up to \E
            end = pattern.find("\\E", index)
            index = len(pattern) if end < 0 else end + 2
            continue
        if in_class:
            in_class = token != "]"
        elif token == "[":
            in_class = True
            index += len(re.match(r"\[\^?\]?", pattern[index:index + 3]).group()) - 1
        else:
            yield index, token
        index += len(token)


def _capture_names(pattern: str) -> list[str | None]:
    """The name of each capturing group in order (None when unnamed); RE2 numbers groups the same way."""
    names = []
    for index, token in _syntax_tokens(pattern):
        if token == "(" and not pattern.startswith("(?", index):
            names.append(None)
        elif token == "(" and (named := NAMED_GROUP_RE.match(pattern, index)):
            names.append(named.group(1))
    return names


def group_indexes(pattern: str, regex) -> dict[str, tuple[int, ...]]:
    """Each group name's indexes. RE2 accepts a repeated name but its groupindex holds only the first."""
    names = _capture_names(pattern)
    if len(names) != regex.groups:  # a construct the scan misreads: trust RE2, one index per name
        return {name: (index,) for name, index in regex.groupindex.items()}
    indexes: dict[str, tuple[int, ...]] = {}
    for number, name in enumerate(names, start=1):
        if name is not None:
            indexes[name] = (*indexes.get(name, ()), number)
    return indexes


def _group_problems(names: list[str], has_component_key: bool) -> list[tuple[str, str]]:
    problems, guessed = [], set()
    for name in names:
        if name not in KNOWN_GROUPS:
            guessed.update(difflib.get_close_matches(name, KNOWN_GROUPS, n=1))
            problems.append((f"unknown group (?P<{name}>…)",
                             did_you_mean(name, KNOWN_GROUPS, "named groups here", wrap="(?P<{}>…)")
                             + "; use (?:…) for a group that captures nothing"))
    if "version" not in names and "version" not in guessed:
        problems.append(("no (?P<version>…) group", VERSION_HINT))
    if "component" in names and has_component_key:
        problems.append(("has both a (?P<component>…) group and a `component:` key", "keep one of them"))
    elif "component" not in names and not has_component_key and "component" not in guessed:
        problems.append(("no (?P<component>…) group and no `component:` key", COMPONENT_HINT))
    return problems


def _supports_angle_groups() -> bool:
    """Whether this RE2 build reads (?<name>…) itself (older ones know only (?P<name>…))."""
    try:
        re2.compile("(?<name>a)", RE2_OPTIONS)
    except re2.error:
        return False
    return True


def _python_group_syntax(pattern: str) -> str:
    """The pattern with each (?<name> written (?P<name>; lookbehinds (?<= (?<! are left alone."""
    tokens = _syntax_tokens(pattern)
    starts = [index for index, token in tokens if token == "(" and ANGLE_GROUP_RE.match(pattern, index)]
    pieces, done = [], 0
    for start in starts:
        pieces += [pattern[done:start + 2], "P"]
        done = start + 2
    return "".join(pieces) + pattern[done:]


ANGLE_GROUPS_NATIVE = _supports_angle_groups()


def did_you_mean(word: str, choices, label: str, wrap: str = "`{}`") -> str:
    """A hint listing the allowed choices, led by the one closest to `word` when there is one."""
    close = difflib.get_close_matches(word, choices, n=1)
    listed = f"{label}: {', '.join(wrap.format(choice) for choice in choices)}"
    return f"did you mean {wrap.format(close[0])}? {listed}" if close else listed
