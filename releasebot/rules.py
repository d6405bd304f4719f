"""rules.yaml: loading, validation that names the file, line and field of every problem, and matching.

A pattern is RE2 (google-re2): matching time is linear in the text and memory is capped, whatever the
pattern. The YAML is read as nodes (`yaml.compose`), so every problem carries the line it is on.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2
import yaml

from releasebot.comment import DEFAULT_TEMPLATE, PLACEHOLDERS, unknown_placeholders
from releasebot.errors import ReleasebotError
from releasebot.normalize import plain_text

FORMAT_VERSION = 1
DEFAULT_STATUSES = frozenset({5})
DEFAULT_MAX_MESSAGES = 200
MAX_MESSAGES_RANGE = (1, 10_000)
MAX_RULES = 200
MAX_EXAMPLES = 50
RE2_MAX_MEM = 4 << 20  # per pattern: program and DFA cache; a bigger pattern is refused at load
MAX_MATCHES_PER_TEXT = 1_000  # a message naming more releases than this is not a release note
MAX_PAIRS_PER_MATCH = 50

TOP_KEYS = ("version", "trigger", "scan", "rules", "post")
TRIGGER_KEYS = ("statuses",)
SCAN_KEYS = ("max_messages",)
RULE_KEYS = ("name", "pattern", "component", "examples")
EXAMPLE_KEYS = ("text", "expect")
PAIR_KEYS = ("component", "version")
POST_KEYS = ("comment",)
KNOWN_GROUPS = ("component", "version", "skip")

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
COMPONENT_RE = re.compile(r"\S{1,64}")
JAVASCRIPT_RE = re.compile(r"/(.+)/([a-z]*)", re.DOTALL)
NAMED_GROUP_RE = re.compile(r"\(\?P?<([A-Za-z_]\w*)>")
ANGLE_GROUP_RE = re.compile(r"\(\?<[A-Za-z_]")
INLINE_FLAGS = {"i": "(?i)", "s": "(?s)", "m": "(?m)"}

YAML_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (YAML_TAG + kind for kind in ("str", "int", "float", "bool", "null"))
SCALAR_KINDS = {STR: "a string", INT: "an integer", FLOAT: "a number", BOOL: "true/false",
                NULL: "nothing (null)", YAML_TAG + "timestamp": "a date"}

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
YAML_HINTS = {
    "found unknown escape character": "in double quotes a backslash starts an escape: write the pattern in "
                                      "single quotes, e.g. pattern: '\\d+'",
    "that cannot start any token": "YAML indents with spaces, never tabs",
    "mapping values are not allowed here": "a value containing ': ' must be quoted, e.g. text: 'note: done'",
    "could not find expected ':'": "check this line's indentation and quoting against the line before",
    "expected <block end>": "check the indentation: items of one list or mapping line up",
    "found undefined alias": "an *alias needs an &anchor defined before it",
}
REQUIRED_HINTS = {
    "version": "add `version: 1` as the first line after the comments",
    "rules": "add `rules:` with at least one rule (see the shipped rules.yaml)",
    "name": "add `name: some-name` (unique; it is reported with every release the rule finds)",
    "pattern": "add `pattern: '…(?P<component>…)…(?P<version>…)'`",
    "text": "add `text: \"…\"`, the message the example reads",
    "expect": "add `expect: [{component: im, version: \"24.500.0\"}]`, or `expect: []` if it must not match",
}
READ_HINT = "pass the file to use, or set RULES_FILE; the repository ships rules.yaml at its root"


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.max_mem = RE2_MAX_MEM
    options.log_errors = False
    return options


RE2_OPTIONS = _re2_options()


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
class Match:
    """A component and version named in a message, and the rule that found them."""

    component: str
    version: str
    rule: str


@dataclass(frozen=True)
class Rule:
    """One named pattern; its groups give version and component (or `component` is fixed)."""

    name: str
    pattern: str
    component: str | None = None
    line: int = 0
    examples: tuple[Example, ...] = ()
    regex: Any = field(init=False, repr=False, compare=False)
    groups: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        regex = compile_pattern(self.pattern)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "groups", _group_indexes(self.pattern, regex))

    def find(self, text: str) -> list[tuple[str, str]]:
        """The (component, version) pairs this rule names in the text, in text order."""
        data = text.encode("utf-8", "replace")
        pairs = []
        for found in itertools.islice(self.regex.finditer(data), MAX_MATCHES_PER_TEXT):
            pairs.extend(self._pairs_in(data, found))
        return pairs

    def _pairs_in(self, data: bytes, outer) -> list[tuple[str, str]]:
        """The pairs one match names: its own, and those the pattern finds again before and after it.

        That is how one match over a list ("im 24.500.0 and ui 3.1.0") yields every pair in it.
        """
        found, todo = [], [outer]
        while todo and len(found) < MAX_PAIRS_PER_MATCH:
            match = todo.pop()
            span = self._pair_span(match)
            if span is None:
                continue
            found.append((span[0], self._pair(data, match)))
            inner = (self.regex.search(data, match.start(), span[0]),
                     self.regex.search(data, span[1], match.end()))
            todo.extend(found_again for found_again in inner if found_again is not None)
        return [pair for _, pair in sorted(found)]

    def _pair_span(self, match) -> tuple[int, int] | None:
        """Where the captured pair lies, or None when the match names no pair or is vetoed by `skip`."""
        if any(match.start(index) >= 0 for index in self.groups.get("skip", ())):
            return None
        spans = [self._span(match, name) for name in ("component", "version") if name in self.groups]
        if any(start < 0 or start == end for start, end in spans):
            return None
        return min(start for start, _ in spans), max(end for _, end in spans)

    def _span(self, match, name: str) -> tuple[int, int]:
        """The span of the group of this name that took part (a name may recur in alternatives)."""
        spans = (match.span(index) for index in self.groups[name])
        return next((span for span in spans if span[0] >= 0), (-1, -1))

    def _pair(self, data: bytes, match) -> tuple[str, str]:
        def text(name: str) -> str:
            start, end = self._span(match, name)
            return data[start:end].decode("utf-8", "replace")

        component = self.component if self.component is not None else text("component")
        return component.lower(), text("version")


@dataclass(frozen=True)
class Rules:
    """A loaded, valid rules file."""

    rules: tuple[Rule, ...]
    trigger_statuses: frozenset[int] = DEFAULT_STATUSES
    max_messages: int = DEFAULT_MAX_MESSAGES
    comment_template: str = DEFAULT_TEMPLATE
    path: str = "rules.yaml"
    sha256: str = ""

    def match(self, text: str) -> list[Match]:
        """What a raw message names: one match per component, the first rule that names it winning."""
        return self.match_plain(plain_text(text))

    def match_plain(self, plain: str) -> list[Match]:
        """Like match, on text already normalized."""
        matches: dict[str, Match] = {}
        for rule in self.rules:
            for component, version in rule.find(plain):
                matches.setdefault(component, Match(component, version, rule.name))
        return list(matches.values())

    @property
    def example_count(self) -> int:
        """How many examples the rules carry (all of them passed at load)."""
        return sum(len(rule.examples) for rule in self.rules)


def compile_pattern(pattern: str):
    """The RE2 regex for a rule's pattern, with memory capped; raises re2.error."""
    if not ANGLE_GROUPS_NATIVE:
        pattern = _python_group_syntax(pattern)
    return re2.compile(pattern, RE2_OPTIONS)


def parse_rules(text: str, path: str = "rules.yaml") -> Rules:
    """The rules in a rules file's text; raises RulesError listing every problem at once."""
    rules, problems = _parse(text, str(path))
    if problems:
        raise RulesError(problems)
    return rules


def check_rules(text: str, path: str) -> list[Problem]:
    """Every problem in a rules file's text, by line; empty when the file is good."""
    return _parse(text, str(path))[1]


def load_rules(path) -> Rules:
    """The rules in the file at `path`; raises RulesError when it cannot be read or is not valid."""
    path = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        message = f"cannot read the rules file: {error.strerror or error}"
        raise RulesError([Problem(path, 0, message, READ_HINT)]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[error.start]:02x})"
        problem = Problem(path, line, message, "save the file as UTF-8")
        raise RulesError([problem]) from None
    return parse_rules(text, path)


def _parse(text: str, path: str) -> tuple[Rules | None, list[Problem]]:
    root, problems = _compose(text, path)
    if root is None:
        return None, problems
    checker = _Checker(path)
    fields = checker.document(root)
    if checker.problems or fields is None:
        return None, sorted(checker.problems, key=lambda problem: problem.line)
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Rules(path=path, sha256=sha256, **fields), []


def _compose(text: str, path: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML node tree, or the syntax problem that stops the reading."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(path, error)]
    except yaml.reader.ReaderError as error:
        line = text[:error.position].count("\n") + 1
        message = f"YAML syntax: character #x{error.character:04x} is not allowed"
        return None, [Problem(path, line, message, "remove it: it is invisible in most editors")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, f"YAML syntax: {error}")]
    except RecursionError:
        return None, [Problem(path, 1, "the file nests lists and mappings too deeply to read")]
    if root is None:
        return None, [Problem(path, 1, "the file is empty", "start from the shipped rules.yaml")]
    return root, []


def _syntax_problem(path: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax: {error.problem}" + (f" ({error.context})" if error.context else "")
    hint = next((hint for key, hint in YAML_HINTS.items() if key in (error.problem or "")),
                "check the indentation and quoting of this line")
    return Problem(path, mark.line + 1 if mark else 1, message, hint)


class _Checker:
    """Walks a rules file's YAML nodes, collecting every problem with its line."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

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
        return {
            "trigger_statuses": self.statuses(top.get("trigger")),
            "max_messages": self.max_messages(top.get("scan")),
            "rules": self.rules(top.get("rules")),
            "comment_template": self.template(top.get("post")),
        }

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
            self.report(node, path, "unknown key", _did_you_mean(node.value, keys, "keys allowed here"))
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
        rule = Rule(name or "", pattern, component and component.lower(), node.start_mark.line + 1, usable)
        self.run_examples(rule, examples, f"{where}.examples")
        return rule if name is not None and None not in examples else None

    def pattern(self, node, where: str, has_component_key: bool) -> str | None:
        """The pattern text when it compiles in RE2 and has the groups a rule needs."""
        pattern = self.string(node, where)
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

    def run_examples(self, rule: Rule, examples: list[Example | None], where: str) -> None:
        """Report every example whose result differs from what the rule finds."""
        for index, example in enumerate(examples):
            if example is None:
                continue
            got = sorted(_first_per_component(rule.find(plain_text(example.text))))
            if got != sorted(example.expect):
                message = f"expected {_pairs_text(example.expect)}, got {_pairs_text(got)}"
                self.report(example.line, f"{where}[{index}]", message, _example_hint(example.text))

    def template(self, node) -> str:
        """post.comment: the BB-code template of the comment posted back."""
        fields = self.mapping(node, "post", POST_KEYS) if node is not None else None
        if not fields or "comment" not in fields:
            return DEFAULT_TEMPLATE
        template = self.string(fields["comment"], "post.comment")
        for name in unknown_placeholders(template or ""):
            self.report(fields["comment"], "post.comment", f"unknown placeholder {{{name}}}",
                        _did_you_mean(name, PLACEHOLDERS, "placeholders", wrap="{{{}}}"))
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


def _group_indexes(pattern: str, regex) -> dict[str, tuple[int, ...]]:
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
                             _did_you_mean(name, KNOWN_GROUPS, "named groups here", wrap="(?P<{}>…)")
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


def _first_per_component(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One pair per component, the first in text order."""
    first: dict[str, tuple[str, str]] = {}
    for component, version in pairs:
        first.setdefault(component, (component, version))
    return list(first.values())


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


def _did_you_mean(word: str, choices, label: str, wrap: str = "`{}`") -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    listed = f"{label}: {', '.join(wrap.format(choice) for choice in choices)}"
    return f"did you mean {wrap.format(close[0])}? {listed}" if close else listed


def _pairs_text(pairs) -> str:
    return ", ".join(f"{component} {version}" for component, version in pairs) or "nothing"


def _example_hint(text: str) -> str:
    plain = plain_text(text)
    seen = f"the rule reads {plain!r} (BB-codes and quotes removed); " if plain != text else ""
    return seen + "fix the pattern, or the example if the example is wrong"
