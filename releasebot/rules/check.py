"""Checking a rules file's YAML node tree field by field, each problem with its line and a hint.

One Checker walks the file: the node checks and the top, rules and post sections here, the reading sections
(`define:`, `guards:`, `components:`, `not_components:`) in check_sections.py. Every example, a rule's or a
guard's, is collected where it is written and run the same way once the whole file is read, against the
rules as the worker would load them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import yaml

from releasebot.comment import DEFAULT_TEMPLATE, PLACEHOLDERS, unknown_placeholders
from releasebot.normalize import plain_text
from releasebot.rules import check_sections as sections
from releasebot.rules.model import (
    DEFAULT_MAX_MESSAGES,
    DEFAULT_STATUSES,
    Example,
    Guard,
    GuardExample,
    Problem,
    Rule,
    Rules,
)
from releasebot.rules.patterns import did_you_mean, pattern_problems
from releasebot.rules.reading import read
from releasebot.tagging import TAG_PLACEHOLDERS

FORMAT_VERSION = 1
MAX_MESSAGES_RANGE = (1, 10_000)
MAX_RULES = 200
MAX_EXAMPLES = 50

TOP_KEYS = ("version", "trigger", "scan", "define", "guards", "components", "not_components", "rules", "post")
TRIGGER_KEYS = ("statuses",)
SCAN_KEYS = ("max_messages",)
RULE_KEYS = ("name", "pattern", "component", "bump", "examples")
EXAMPLE_KEYS = ("text", "expect")
PAIR_KEYS = ("component", "version")
POST_KEYS = ("comment", "tags", "field")
FIELD_RE = re.compile(r"UF_[A-Z0-9_]{1,60}")
POST_FIELDS = ("comment_template", "tags_template", "field_name")  # the Rules fields `post:` fills
STOPS = {True: "stops", False: "passes"}  # the list a guard example is written in

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
COMPONENT_RE = re.compile(r"\S{1,64}")

YAML_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (YAML_TAG + kind for kind in ("str", "int", "float", "bool", "null"))
SCALAR_KINDS = {STR: "a string", INT: "an integer", FLOAT: "a number", BOOL: "true/false",
                NULL: "nothing (null)", YAML_TAG + "timestamp": "a date"}

REQUIRED_HINTS = {
    "version": "add `version: 1` as the first line after the comments",
    "rules": "add `rules:` with at least one rule (see the shipped rules.yaml)",
    "name": "add `name: some-name` (unique; it is reported with every release the rule finds)",
    "pattern": "add `pattern: '…(?P<component>…)…(?P<version>…)'`",
    "text": "add `text: \"…\"`, the message the example reads",
    "expect": "add `expect: [{component: im, version: \"24.500.0\"}]`, or `expect: []` if it must not match",
}


@dataclass(frozen=True)
class PendingExample:
    """An example of a rule or a guard, and where it is written: run once the whole file is read."""

    owner: Rule | Guard
    example: Example | GuardExample
    where: str


class Checker:
    """Walks a rules file's YAML nodes, collecting every problem with its line."""

    def __init__(self, path: str, examples: bool = True):
        self.path = path
        self.check_examples = examples  # False: `rules test` debugging a failing rule or guard
        self.problems: list[Problem] = []
        self.fragments = sections.Fragments({})
        self.pending_examples: list[PendingExample] = []

    def report(self, at: yaml.Node | int, where: str, message: str, hint: str = "") -> None:
        """Record one problem at a node's line (or a line number)."""
        line = at if isinstance(at, int) else at.start_mark.line + 1
        self.problems.append(Problem(self.path, line, f"{where}: {message}" if where else message, hint))

    def document(self, root: yaml.Node) -> dict | None:
        """The Rules fields of the whole file, or None when its top is unusable."""
        top = self.mapping(root, "", TOP_KEYS, required=("version", "rules"))
        if top is None:
            return None
        if "version" in top:
            self.version(top["version"])
        self.fragments = sections.define(self, top.get("define"))
        fields = {
            "trigger_statuses": self.statuses(top.get("trigger")),
            "max_messages": self.max_messages(top.get("scan")),
            "fragments": self.fragments.texts,
            "guards": self.guards(top.get("guards")),
            "components": sections.components(self, top.get("components")),
            "never_components": sections.not_components(self, top.get("not_components")),
            "rules": self.rules(top.get("rules")),
        } | self.post(top.get("post"))
        if self.check_examples:
            self.run_examples(Rules(**{key: value for key, value in fields.items() if key not in POST_FIELDS}))
        return fields

    def guards(self, node) -> tuple[Guard, ...]:
        """`guards:` the cue lists that stop a clause, in order; their examples wait for the whole file."""
        found = sections.guards(self, node, self.fragments)
        for guard, where in found:
            self.pending_examples += [PendingExample(guard, example, f"{where}.{STOPS[example.stops]}")
                                      for example in guard.examples]
        return tuple(guard for guard, _ in found)

    def run_examples(self, rules: Rules) -> None:
        """Report every example, of a rule or a guard, whose result differs from what it expects: each is
        read the way the worker reads, with the file's guards and components."""
        for pending in self.pending_examples:
            failure = example_failure(rules, pending.owner, pending.example)
            if failure is not None:
                self.report(pending.example.line, pending.where, *failure)

    def mapping(self, node, where: str, keys: tuple[str, ...], required=()) -> dict[str, yaml.Node] | None:
        """The mapping's value nodes by key; reports a non-mapping, unknown, repeated and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, where or "the file", f"must be a mapping (key: value), got {_describe(node)}")
            return None
        values: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, where, keys, values)
            if key is not None:
                values[key] = value_node
        misspelt = _close_keys(node, keys)
        for key in required:
            if key not in values and key not in misspelt:  # the unknown key's "did you mean" says it
                self.report(node, where, f"missing `{key}`", REQUIRED_HINTS.get(key, ""))
        return values

    def key(self, node, where: str, keys: tuple[str, ...], seen: dict) -> str | None:
        """The key's name when it is allowed here and not repeated."""
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, where, f"a key must be a plain word, got {_describe(node)}")
            return None
        path = f"{where}.{node.value}" if where else node.value
        if node.value not in keys:
            self.report(node, path, "unknown key", did_you_mean(node.value, keys, "keys allowed here"))
            return None
        if node.value in seen:
            self.report(node, path, "given twice", "keep one: YAML would silently use the last")
            return None
        return node.value

    def version(self, node) -> None:
        """Only format version 1 exists."""
        if _integer(node) != FORMAT_VERSION:
            self.report(node, "version", f"must be {FORMAT_VERSION}, got {_describe(node)}",
                        f"this releasebot reads `version: {FORMAT_VERSION}` files")

    def statuses(self, node) -> frozenset[int]:
        """trigger.statuses: the task statuses that count as closed."""
        fields = self.mapping(node, "trigger", TRIGGER_KEYS) if node is not None else None
        if not fields or "statuses" not in fields:
            return DEFAULT_STATUSES
        items = self.sequence(fields["statuses"], "trigger.statuses", "statuses: [5]", minimum=1)
        statuses = [self.integer(item, f"trigger.statuses[{i}]", 1, 99) for i, item in enumerate(items)]
        return frozenset(status for status in statuses if status is not None)

    def max_messages(self, node) -> int:
        """scan.max_messages: how many newest non-system messages are read at most."""
        fields = self.mapping(node, "scan", SCAN_KEYS) if node is not None else None
        if not fields or "max_messages" not in fields:
            return DEFAULT_MAX_MESSAGES
        low, high = MAX_MESSAGES_RANGE
        value = self.integer(fields["max_messages"], "scan.max_messages", low, high, "max_messages: 200")
        return DEFAULT_MAX_MESSAGES if value is None else value

    def rules(self, node) -> tuple[Rule, ...]:
        """The rules, in order."""
        if node is None:
            return ()
        items = self.sequence(node, "rules", "start each rule with `- name: …`", minimum=1, maximum=MAX_RULES)
        rules = [self.rule(item, f"rules[{index}]") for index, item in enumerate(items)]
        self.repeated_names(items)
        return tuple(rule for rule in rules if rule is not None)

    def repeated_names(self, items: list) -> None:
        """Report each rule that has the name of an earlier one."""
        first_line: dict[str, int] = {}
        for index, item in enumerate(items):
            name = _name_node(item)
            if name is not None and name.value in first_line:
                message = f"`{name.value}` is already the name of the rule at line {first_line[name.value]}"
                self.report(name, f"rules[{index}].name", message, "give each rule its own name")
            elif name is not None:
                first_line[name.value] = name.start_mark.line + 1

    def rule(self, node, where: str) -> Rule | None:
        """One rule, its pattern checked and its examples run; None when anything is wrong."""
        fields = self.mapping(node, where, RULE_KEYS, required=("name", "pattern"))
        if fields is None:
            return None
        name = self.string(fields.get("name"), f"{where}.name", NAME_RE, "letters, digits, - _ .")
        component = self.string(fields.get("component"), f"{where}.component", COMPONENT_RE, "one word")
        pattern = self.pattern(fields.get("pattern"), f"{where}.pattern", "component" in fields)
        examples = self.examples(fields.get("examples"), f"{where}.examples")
        if pattern is None or ("component" in fields and component is None):
            return None
        usable = tuple(example for example in examples if example is not None)
        rule = Rule(name or "", pattern, component and component.lower(), node.start_mark.line + 1, usable,
                    source=self.string(fields.get("pattern"), "") or "",
                    bump=sections.boolean(self, fields.get("bump"), f"{where}.bump"))
        self.pending_examples += [PendingExample(rule, example, f"{where}.examples[{index}]")
                                  for index, example in enumerate(examples) if example is not None]
        return rule if name is not None and None not in examples else None

    def pattern(self, node, where: str, has_component_key: bool) -> str | None:
        """The pattern, fragments expanded, when it compiles in RE2 and has the groups a rule needs."""
        text = self.string(node, where)
        pattern = sections.expanded(self, node, where, text, self.fragments) if text is not None else None
        if pattern is None:
            return None
        problems = pattern_problems(pattern, has_component_key)
        for message, hint in problems:
            self.report(node, where, message, hint)
        return None if problems else pattern

    def examples(self, node, where: str) -> list[Example | None]:
        """A rule's examples, in order, None in the place of a malformed one."""
        if node is None:
            return []
        items = self.sequence(node, where, "write examples as a list of `- text: …`", maximum=MAX_EXAMPLES)
        return [self.example(item, f"{where}[{index}]") for index, item in enumerate(items)]

    def example(self, node, where: str) -> Example | None:
        """One example: a text and the pairs it must yield."""
        fields = self.mapping(node, where, EXAMPLE_KEYS, required=EXAMPLE_KEYS)
        if fields is None:
            return None
        text = self.string(fields.get("text"), f"{where}.text", empty_ok=True)
        expect = fields.get("expect")
        items = None if expect is None else self.sequence(expect, f"{where}.expect", "expect: []")
        pairs = [self.pair(item, f"{where}.expect[{index}]") for index, item in enumerate(items or ())]
        if text is None or items is None or None in pairs:
            return None
        return Example(text, tuple(pairs), node.start_mark.line + 1)

    def pair(self, node, where: str) -> tuple[str, str] | None:
        """One expected {component, version}."""
        fields = self.mapping(node, where, PAIR_KEYS, required=PAIR_KEYS)
        if fields is None:
            return None
        component = self.string(fields.get("component"), f"{where}.component")
        version = self.string(fields.get("version"), f"{where}.version")
        return None if component is None or version is None else (component.lower(), version)

    def post(self, node) -> dict:
        """post: the comment, the tags and the custom field the bot writes into the task."""
        fields = (self.mapping(node, "post", POST_KEYS) if node is not None else None) or {}
        return {"comment_template": self.template(fields), "tags_template": self.tags(fields.get("tags")),
                "field_name": self.field(fields.get("field"))}

    def tags(self, node) -> str:
        """post.tags: the tag written per release, e.g. "{component} {version}"; none when absent."""
        template = self.string(node, "post.tags") or ""
        names = re.findall(r"\{(\w*)\}", template)
        unknown = [name for name in names if name not in TAG_PLACEHOLDERS]
        for name in unknown:
            self.report(node, "post.tags", f"unknown placeholder {{{name}}}",
                        did_you_mean(name, TAG_PLACEHOLDERS, "placeholders", wrap="{{{}}}"))
        if template and not unknown and "version" not in names:
            self.report(node, "post.tags", "must place {version}", 'e.g. tags: "{component} {version}"')
        return template

    def field(self, node) -> str:
        """post.field: the UF_ custom field set to the releases as text; none when absent."""
        return self.string(node, "post.field", FIELD_RE, "a custom field name like UF_RELEASE") or ""

    def template(self, fields: dict) -> str:
        """post.comment: the BB-code template of the comment posted back."""
        if "comment" not in fields:
            return DEFAULT_TEMPLATE
        template = self.string(fields["comment"], "post.comment")
        for name in unknown_placeholders(template or ""):
            self.report(fields["comment"], "post.comment", f"unknown placeholder {{{name}}}",
                        did_you_mean(name, PLACEHOLDERS, "placeholders", wrap="{{{}}}"))
        return template or DEFAULT_TEMPLATE

    def sequence(self, node, where: str, example: str, minimum: int = 0, maximum: int | None = None) -> list:
        """The list's item nodes; reports a non-list, or too few or too many items (returning none)."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, where, f"must be a list, got {_describe(node)}", f"e.g. {example}")
            return []
        if len(node.value) < minimum:
            self.report(node, where, f"must have at least {minimum} item", f"e.g. {example}")
        elif maximum is not None and len(node.value) > maximum:
            self.report(node, where, f"has {len(node.value)} items, at most {maximum} are allowed")
            return []
        return list(node.value)

    def string(self, node, where: str, shape=None, shape_text="", empty_ok=False) -> str | None:
        """The string value; reports another type, an empty string, or one not of the expected shape."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
            self.report(node, where, f"must be a string, got {_describe(node)}", _quote_hint(node))
            return None
        if not empty_ok and not node.value.strip():
            self.report(node, where, "must not be empty")
            return None
        if shape is not None and not shape.fullmatch(node.value):
            self.report(node, where, f"must be {shape_text}, got {node.value!r}")
            return None
        return node.value

    def integer(self, node, where: str, low: int, high: int, example: str = "") -> int | None:
        """The integer value; reports another type or a value out of range."""
        value = _integer(node)
        if value is None or not low <= value <= high:
            message = f"must be a whole number from {low} to {high}, got {_describe(node)}"
            self.report(node, where, message, f"e.g. {example}" if example else "")
            return None
        return value


def _close_keys(node: yaml.MappingNode, keys: tuple[str, ...]) -> set[str]:
    """The allowed keys that the mapping's unknown keys are likely misspellings of."""
    unknown = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
    unknown = [key for key in unknown if key not in keys]
    return {close for key in unknown for close in difflib.get_close_matches(key, keys, n=1)}


def _name_node(rule_node) -> yaml.ScalarNode | None:
    """A rule's name node when it is a string."""
    if not isinstance(rule_node, yaml.MappingNode):
        return None
    for key, value in rule_node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "name" and value.tag == STR:
            return value
    return None


def _integer(node) -> int | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != INT:
        return None
    try:
        return yaml.constructor.SafeConstructor().construct_yaml_int(node)
    except ValueError:
        return None


def _describe(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = SCALAR_KINDS.get(node.tag, f"a value tagged {node.tag}")
    return kind if node.tag == NULL else f"{kind} ({node.value[:40]})"


def _quote_hint(node) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag != NULL:
        return f'quote it: "{node.value}"'
    return ""


def example_failure(rules: Rules, owner: Rule | Guard, example: Example | GuardExample) -> tuple[str, str] | None:
    """(what differs, a hint) when an example's text does not give what it expects; None when it does."""
    if isinstance(owner, Guard):
        return _guard_example_failure(owner, example)
    return _rule_example_failure(rules, owner, example)


def _guard_example_failure(guard: Guard, example: GuardExample) -> tuple[str, str] | None:
    """A guard must find a cue in the plain text of each `stops:` example, and none in each `passes:`."""
    cue = guard.cue_in(plain_text(example.text))
    if example.stops and not cue:
        return (f"the guard finds no cue in {example.text!r}",
                "add the cue that text uses, or move the text to `passes:`")
    if not example.stops and cue:
        return (f"the guard stops {example.text!r} on the cue {cue!r}",
                "narrow that cue, or list the harmless phrase under `ignore:`")
    return None


def _rule_example_failure(rules: Rules, rule: Rule, example: Example) -> tuple[str, str] | None:
    """A rule, read as the worker reads (guards and components included), must yield exactly the
    example's pairs."""
    found = read(rules, example.text, only=[rule]).matches
    got = sorted((match.component, match.version) for match in found)
    if got == sorted(example.expect):
        return None
    return f"expected {_pairs_text(example.expect)}, got {_pairs_text(got)}", _example_hint(example.text)


def _pairs_text(pairs) -> str:
    return ", ".join(f"{component} {version}" for component, version in pairs) or "nothing"


def _example_hint(text: str) -> str:
    plain = plain_text(text)
    seen = f"the rule reads {plain!r} (BB-codes and quotes removed); " if plain != text else ""
    return seen + "fix the pattern, or the example if the example is wrong"
