"""Small edits to a rules file's text, in place: comments, order and quoting of everything else stay as
written, so the change a person reviews is the unified diff of one or two lines.

Each edit finds its place through the YAML node tree (`yaml.compose` marks every node with its line and
column) and raises EditError when the file has no such place (no `define.evidence_en` list, say).
"""

from __future__ import annotations

import json

import yaml

from releasebot.errors import ReleasebotError


class EditError(ReleasebotError):
    """The rules file has no place for this edit; the message says what is missing."""


def single_quoted(text: str) -> str:
    """A YAML single-quoted scalar: a backslash is a backslash, a quote is written twice."""
    return "'" + text.replace("'", "''") + "'"


def add_list_item(text: str, section: str, name: str, item: str) -> str:
    """`item` (an RE2 piece) added as the last alternative of the list `section.name` (define.evidence_en)."""
    node = _value(_value(_root(text), section), name)
    if not isinstance(node, yaml.SequenceNode) or not node.value or node.flow_style:
        raise EditError(f"{section}.{name} is not a list written one item a line")
    last = node.value[-1]
    indent = " " * max(last.start_mark.column - 2, 0)
    return _insert_after(text, last.end_mark.line, f"{indent}- {single_quoted(item)}")


def add_rule_example(text: str, rule: str, example: str, expect: list[tuple[str, str]]) -> str:
    """An example (the text and the pairs it must yield) added last to the examples of the rule named `rule`."""
    rule_node = next((item for item in _value(_root(text), "rules").value
                      if isinstance(item, yaml.MappingNode) and _scalar(_value(item, "name")) == rule), None)
    if rule_node is None:
        raise EditError(f"no rule is named {rule}")
    examples = _value(rule_node, "examples")
    if not isinstance(examples, yaml.SequenceNode) or not examples.value or examples.flow_style:
        raise EditError(f"rule {rule} has no examples written one a line to add to")
    last = examples.value[-1]
    column = last.start_mark.column
    pairs = ", ".join(f"{{component: {json.dumps(c)}, version: {json.dumps(v)}}}" for c, v in expect)
    lines = [f"{' ' * (column - 2)}- text: {json.dumps(example, ensure_ascii=False)}",
             f"{' ' * column}expect: [{pairs}]"]
    return _insert_after(text, _last_line(last), "\n".join(lines))


def remove_flow_item(text: str, key: str, item: str) -> str:
    """`item` taken out of the top-level flow list `key` (not_components: [hotfix, widgets])."""
    node = _value(_root(text), key)
    if not isinstance(node, yaml.SequenceNode) or not node.flow_style:
        raise EditError(f"{key} is not a list written in brackets")
    index = next((i for i, value in enumerate(node.value) if _scalar(value).lower() == item.lower()), None)
    if index is None:
        raise EditError(f"{key} does not list {item}")
    values = node.value
    start, end = values[index].start_mark.index, values[index].end_mark.index
    if index + 1 < len(values):
        end = values[index + 1].start_mark.index
    elif index > 0:
        start = values[index - 1].end_mark.index
    return text[:start] + text[end:]


def add_guard_ignore(text: str, guard: str, phrase: str) -> str:
    """`phrase` (an RE2 piece) added to the `ignore:` list of the guard named `guard`: its cues no longer
    count inside that phrase."""
    node = next((item for item in _value(_root(text), "guards").value
                 if isinstance(item, yaml.MappingNode) and _scalar(_value(item, "name")) == guard), None)
    if node is None:
        raise EditError(f"no guard is named {guard}")
    ignore = _value(node, "ignore")
    if ignore is None:
        cues = _value(node, "cues")
        column = next(key.start_mark.column for key, _ in node.value if _scalar(key) == "cues")
        return _insert_after(text, _last_line(cues), f"{' ' * column}ignore: [{single_quoted(phrase)}]")
    if not isinstance(ignore, yaml.SequenceNode) or not ignore.flow_style or not ignore.value:
        raise EditError(f"guard {guard}'s ignore is not a list written in brackets")
    at = ignore.value[-1].end_mark.index
    return text[:at] + f", {single_quoted(phrase)}" + text[at:]


def _root(text: str) -> yaml.MappingNode:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the rules file is not a mapping")
    return root


def _value(node, key: str):
    if not isinstance(node, yaml.MappingNode):
        raise EditError(f"no {key} here: the rules file has no such section")
    return next((value for name, value in node.value if _scalar(name) == key), None)


def _scalar(node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else ""


def _last_line(node) -> int:
    """The 0-based line the node's text ends on (a block mapping ends where its last value ends)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    mark = node.end_mark
    return mark.line - 1 if mark.column == 0 and mark.line > 0 else mark.line


def _insert_after(text: str, line: int, new: str) -> str:
    lines = text.split("\n")
    return "\n".join([*lines[:line + 1], *new.split("\n"), *lines[line + 1:]])
