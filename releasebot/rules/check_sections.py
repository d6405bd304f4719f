"""Checking the reading sections of rules.yaml: `define:` fragments, `guards:`, `components:` and
`not_components:`, each through the node checks of check.Checker (the `NodeChecker` protocol), which report
every problem with its line. The guards' examples, like the rules', are run by the Checker once the whole
file is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import re2
import yaml

from releasebot.rules.fragments import NAME_RE as FRAGMENT_NAME_RE
from releasebot.rules.fragments import FragmentError, expand, references
from releasebot.rules.model import Guard, GuardExample, cue_pattern
from releasebot.rules.patterns import compile_pattern, pattern_problems
from releasebot.rules.vocabulary import NEVER_COMPONENTS

GUARD_KEYS = ("name", "cues", "ignore", "withdraws", "retracts", "retracts_alone", "anywhere", "stops", "passes")
MAX_FRAGMENTS = 200
MAX_GUARDS = 50
MAX_CUES = 300
MAX_COMPONENTS = 2_000
GUARD_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
COMPONENT_NAME_RE = re.compile(r"@?[a-z0-9][a-z0-9_./@-]{0,63}")


class NodeChecker(Protocol):
    """What a section's check uses: report a problem at a node, and read a mapping, a list or a string,
    reporting what is wrong with it."""

    def report(self, at: yaml.Node | int, where: str, message: str, hint: str = "") -> None: ...

    def mapping(self, node, where: str, keys: tuple[str, ...], required=()) -> dict[str, yaml.Node] | None: ...

    def sequence(self, node, where: str, example: str, minimum: int = 0, maximum: int | None = None) -> list: ...

    def string(self, node, where: str, shape=None, shape_text="", empty_ok=False) -> str | None: ...


@dataclass(frozen=True)
class Fragments:
    """The usable fragments of `define:`, and the names of the broken ones (reported where they are)."""

    texts: dict[str, str]
    broken: frozenset[str] = frozenset()


def define(checker: NodeChecker, node) -> Fragments:
    """`define:` the named fragments, each checked to compile once expanded."""
    fields = _named_entries(checker, node, "define", MAX_FRAGMENTS)
    fragments, broken = {}, set()
    for name, value in fields.items():
        text = _alternatives(checker, value, f"define.{name}")
        if not FRAGMENT_NAME_RE.fullmatch(name):
            checker.report(value, f"define.{name}", "a fragment name is letters, digits and _, starting with a letter")
        if text is None or not FRAGMENT_NAME_RE.fullmatch(name):
            broken.add(name)
        else:
            fragments[name] = text
    broken |= _users_of(broken, fragments)  # reported once, where the broken one is
    broken |= {name for name in fragments if name not in broken
               and not _check_fragment(checker, fields[name], name, fragments)}
    return Fragments(fragments, frozenset(broken))


def _users_of(broken: set[str], fragments: dict[str, str]) -> set[str]:
    """The fragments that use a broken one, directly or through others."""
    users, grown = set(), True
    while grown:
        found = {name for name, text in fragments.items()
                 if name not in users and set(references(text)) & (broken | users)}
        grown, users = bool(found), users | found
    return users


def _alternatives(checker: NodeChecker, node, where: str) -> str | None:
    """A fragment's text: a string, or a list of strings read as alternatives (joined with |)."""
    if not isinstance(node, yaml.SequenceNode):
        return checker.string(node, where)
    items = [checker.string(item, f"{where}[{index}]") for index, item in enumerate(node.value)]
    if not items:
        checker.report(node, where, "an empty list of alternatives", "give at least one alternative")
    return None if not items or None in items else "|".join(f"(?:{item})" for item in items)


def _check_fragment(checker: NodeChecker, node, name: str, fragments: dict[str, str]) -> bool:
    """Report what is wrong with one fragment; True when it is usable."""
    try:
        expanded = expand("{" + name + "}", fragments)
    except FragmentError as error:
        checker.report(node, f"define.{name}", error.message, error.hint)
        return False
    try:
        compile_pattern(expanded)
    except re2.error:
        problems = pattern_problems(expanded, has_component_key=True)
        message, hint = problems[0] if problems else ("does not compile in RE2", "")
        checker.report(node, f"define.{name}", f"{message} (a fragment must be a whole piece: balanced parentheses)",
                       hint)
        return False
    return True


def expanded(checker: NodeChecker, node, where: str, text: str, fragments: Fragments) -> str | None:
    """A pattern or cue with its fragments expanded, or None after reporting why it cannot be (a broken
    fragment it uses was reported at its own line already)."""
    if set(references(text)) & fragments.broken:
        return None
    try:
        return expand(text, fragments.texts)
    except FragmentError as error:
        checker.report(node, where, error.message, error.hint)
        return None


def guards(checker: NodeChecker, node, fragments: Fragments) -> list[tuple[Guard, str]]:
    """`guards:` the cue lists that stop a clause, in order, each with where it is (`guards[2]`)."""
    if node is None:
        return []
    items = checker.sequence(node, "guards", "start each guard with `- name: question`", maximum=MAX_GUARDS)
    found = [(_guard(checker, item, f"guards[{index}]", fragments), f"guards[{index}]")
             for index, item in enumerate(items)]
    names = [guard.name for guard, _ in found if guard is not None]
    for guard, _ in found:
        if guard is not None and names.count(guard.name) > 1:
            checker.report(guard.line, "guards", f"`{guard.name}` names two guards", "give each guard its own name")
            break
    return [(guard, where) for guard, where in found if guard is not None]


def _guard(checker: NodeChecker, node, where: str, fragments: Fragments) -> Guard | None:
    fields = checker.mapping(node, where, GUARD_KEYS, required=("name", "cues"))
    if fields is None:
        return None
    name = checker.string(fields.get("name"), f"{where}.name", GUARD_NAME_RE, "letters, digits, - _ .")
    cues = _cues(checker, fields.get("cues"), f"{where}.cues", fragments, minimum=1)
    ignore = _cues(checker, fields.get("ignore"), f"{where}.ignore", fragments) if "ignore" in fields else ()
    withdraws = _withdraws(checker, fields.get("withdraws"), f"{where}.withdraws", fragments)
    examples = (*_examples(checker, fields.get("stops"), f"{where}.stops", True),
                *_examples(checker, fields.get("passes"), f"{where}.passes", False))
    if name is None or cues is None or ignore is None or withdraws is None:
        return None
    retracts = boolean(checker, fields.get("retracts"), f"{where}.retracts")
    alone = boolean(checker, fields.get("retracts_alone"), f"{where}.retracts_alone")
    anywhere = boolean(checker, fields.get("anywhere"), f"{where}.anywhere")
    return Guard(name, cues, ignore, withdraws, examples, node.start_mark.line + 1, retracts or alone, anywhere,
                 alone)


def _cues(checker: NodeChecker, node, where: str, fragments: Fragments, minimum: int = 0) -> tuple[str, ...] | None:
    items = checker.sequence(node, where, "cues: ['will', 'going to']", minimum=minimum, maximum=MAX_CUES)
    cues, bad = [], False
    for index, item in enumerate(items):
        text = checker.string(item, f"{where}[{index}]")
        cue = expanded(checker, item, f"{where}[{index}]", text, fragments) if text is not None else None
        if cue is None or not _cue_compiles(checker, item, f"{where}[{index}]", cue):
            bad = True
            continue
        cues.append(cue)
    return None if bad or len(cues) < minimum else tuple(cues)


def _cue_compiles(checker: NodeChecker, node, where: str, cue: str) -> bool:
    try:
        compile_pattern(cue_pattern((cue,)))
    except re2.error:
        problems = pattern_problems(cue, has_component_key=True)
        checker.report(node, where, *(problems[0] if problems else ("does not compile in RE2", "")))
        return False
    if references(cue):
        checker.report(node, where, "still holds a {name} after expansion")
        return False
    return True


def _withdraws(checker: NodeChecker, node, where: str, fragments: Fragments) -> str | None:
    if node is None:
        return ""
    text = checker.string(node, where)
    pattern = expanded(checker, node, where, text, fragments) if text is not None else None
    if pattern is None:
        return None
    problems = pattern_problems(pattern, has_component_key=False)
    for message, hint in problems:
        checker.report(node, where, message, hint)
    return None if problems else pattern


def _examples(checker: NodeChecker, node, where: str, stops: bool) -> list[GuardExample]:
    if node is None:
        return []
    items = checker.sequence(node, where, f"{where.rsplit('.', 1)[-1]}: ['…']", maximum=50)
    texts = [(checker.string(item, f"{where}[{index}]"), item) for index, item in enumerate(items)]
    return [GuardExample(text, stops, item.start_mark.line + 1) for text, item in texts if text is not None]


def components(checker: NodeChecker, node) -> dict[str, str]:
    """`components:` each known component and its aliases → the component (empty: any component counts)."""
    fields = _named_entries(checker, node, "components", MAX_COMPONENTS)
    known: dict[str, str] = {}
    for name, value in fields.items():
        component = name.lower()
        if not COMPONENT_NAME_RE.fullmatch(component):
            checker.report(value, f"components.{name}", "not a component id (letters, digits, . - _ / @)")
            continue
        known[component] = component
        aliases = checker.sequence(value, f"components.{name}", "im: [messenger, chat]") if _has(value) else []
        for index, alias in enumerate(aliases):
            text = checker.string(alias, f"components.{name}[{index}]")
            if text is not None:
                known.setdefault(text.strip().lower(), component)
    return known


def not_components(checker: NodeChecker, node) -> frozenset[str]:
    """`not_components:` words added to the built-in list of words that are never components."""
    if node is None:
        return NEVER_COMPONENTS
    items = checker.sequence(node, "not_components", "not_components: [prod, staging]", maximum=MAX_COMPONENTS)
    words = (checker.string(item, f"not_components[{index}]") for index, item in enumerate(items))
    return NEVER_COMPONENTS | {word.strip().lower() for word in words if word}


def boolean(checker: NodeChecker, node, where: str) -> bool:
    if node is None:
        return False
    if not isinstance(node, yaml.ScalarNode) or not node.tag.endswith(":bool"):
        checker.report(node, where, "must be true or false")
        return False
    return node.value.lower() in ("true", "yes", "on")


def _named_entries(checker: NodeChecker, node, where: str, maximum: int) -> dict:
    """A mapping whose keys the user names (fragments, components): its value nodes, or none when too many."""
    if node is None:
        return {}
    fields = checker.mapping(node, where, tuple(_keys(node))) or {}
    if len(fields) > maximum:
        checker.report(node, where, f"has {len(fields)} entries, at most {maximum} are allowed")
        return {}
    return fields


def _keys(node) -> list[str]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]


def _has(node) -> bool:
    return not (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"))
