"""The text `releasebot rules check` and `releasebot rules test` print, with the exit code to end on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from releasebot.candidates import describe, misses
from releasebot.extract import ReleaseScan, explain
from releasebot.model import Message
from releasebot.normalize import plain_text
from releasebot.rules import Problem, Rules, RulesError, load_rules
from releasebot.rules.load import READ_HINT

OK, PROBLEMS, NOTHING_FOUND = 0, 1, 1
CYRILLIC_EDGE_RE = re.compile(r"\\b[\u0400-\u04ff]|[\u0400-\u04ff]\\b")
PAST_WINDOW = "older than the newest scan.max_messages non-system messages"


def load_rules_file(path, examples: bool = True) -> Rules:
    """The rules in the file at `path`; a path that cannot be read as a file (a folder) is a RulesError
    saying so, like any other problem with the file, never a traceback."""
    try:
        return load_rules(path, examples)
    except OSError as error:
        problem = Problem(str(path), 0, f"cannot read the rules file: {error.strerror}", READ_HINT)
        raise RulesError([problem]) from None


def check_report(path) -> tuple[int, str]:
    """(0, a one-line summary) for a good rules file, or (1, every problem as FILE:LINE: message)."""
    try:
        rules = load_rules_file(path)
    except RulesError as error:
        return PROBLEMS, str(error)
    examples = _count(rules.example_count, "example")
    summary = f"{path}: OK — {_count(len(rules.rules), 'rule')}, {examples} passed"
    return OK, "\n".join([summary, *(f"{path}:{line}: warning: {text}" for line, text in advice(rules))])


def advice(rules: Rules) -> list[tuple[int, str]]:
    """What is legal but likely a mistake: a rule no example checks, `\b` next to a Cyrillic letter."""
    found = []
    for rule in rules.rules:
        if not rule.examples:
            found.append((rule.line, f"rule {rule.name} has no examples: add one text it must match and one it "
                                      "must not (expect: []), so an edit that breaks it is refused"))
        if CYRILLIC_EDGE_RE.search(rule.source or rule.pattern):
            found.append((rule.line, f"rule {rule.name} puts \\b next to a Cyrillic letter, where RE2's \\b "
                                      "never matches (it knows only ASCII letters): use (?:^|[^\\pL]) or the {B} "
                                      "and {E} fragments of the shipped rules.yaml"))
    return found


def rules_for_testing(path) -> tuple[Rules, str]:
    """The rules to try texts with, and a warning when their examples fail: `rules test` still runs them,
    so that the failing rule can be debugged. Raises RulesError for any other problem."""
    try:
        return load_rules_file(path), ""
    except RulesError as error:
        failing = error
    rules = load_rules_file(path, examples=False)  # raises when more than the examples is wrong
    return rules, (f"warning: the rules' examples fail, so the worker would refuse this file; trying the rules "
                   f"as they are:\n{failing}")


def text_report(rules: Rules, text: str) -> tuple[int, str]:
    """What the rules extract from TEXT, by which rule; exit 0 if anything, 1 if nothing."""
    explanation = explain(rules, Message(id=0, author_id=0, text=text, created_at=""))
    lines = ["text as the rules read it:", *(f"  | {line}" for line in plain_text(text).split("\n"))]
    if explanation.matches:
        width = max(len(f"{m.component} {m.version}") for m in explanation.matches)
        lines += [f"{m.component} {m.version}".ljust(width) + f"  rule {m.rule}" for m in explanation.matches]
        return OK, "\n".join(lines)
    return NOTHING_FOUND, "\n".join([*lines, explanation.verdict])


def json_result(rules: Rules, text: str) -> dict:
    """What the rules make of one text, as `rules test --json` prints it: releases with their rule, and
    every pair a rule matched but that did not count, with the reason (a guard, not a component, …)."""
    explanation = explain(rules, Message(id=0, author_id=0, text=text, created_at=""))
    result = {
        "releases": [{"component": m.component, "version": m.version, "rule": m.rule} for m in explanation.matches],
        "skipped": [{"rule": r.rule, "component": r.component, "version": r.version, "reason": r.reason}
                    for r in explanation.refused],
    }
    if explanation.skipped:
        result["skipped"].append({"rule": None, "reason": explanation.skipped})
    if explanation.withdrawn:
        result["withdrawn"] = list(explanation.withdrawn)
    return result


def jsonl_report(rules: Rules, lines: Iterable[str]) -> Iterator[str]:
    """One JSON result per input line (`{"text": …}`), in order; a line that is not such an object gets
    {"error": …} in its place, so the output lines up with the input."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError, RecursionError):
            yield json.dumps({"line": number, "error": 'not a JSON object with a "text" string'})
            continue
        yield json.dumps(json_result(rules, text), ensure_ascii=False)


def explain_report(rules: Rules) -> str:
    """Each rule's pattern as written and as expanded, and each guard's cues, for `rules test --explain`."""
    lines = []
    for rule in rules.rules:
        lines += [f"rule {rule.name}:", f"  pattern:  {rule.source or rule.pattern}"]
        if rule.source and rule.source != rule.pattern:
            lines.append(f"  expanded: {rule.pattern}")
    for guard in rules.guards:
        lines.append(f"guard {guard.name}: {', '.join(guard.cues)}")
        if guard.ignore:
            lines.append(f"  ignoring: {', '.join(guard.ignore)}")
    known = sorted(set(rules.components.values()))
    lines.append(f"components: {', '.join(known)}" if known else
                 f"components: any, except {len(rules.never_components)} words that never are")
    return "\n".join(lines)


def messages_report(rules: Rules, messages: list[Message]) -> str:
    """Per message (newest first): what it yields and by which rule, or why it is skipped; then the result."""
    scan = ReleaseScan(rules)
    lines = []
    for message in messages:
        verdict = explain(rules, message).verdict if scan.wants_more else f"not read: {PAST_WINDOW}"
        scan.feed([message])
        lines.append(f"#{message.id} {message.created_at} by {message.author_id}: {verdict}")
    found = ", ".join(f"{r.component} {r.version} (message #{r.message_id})" for r in scan.releases)
    return "\n".join([*lines, f"result: {found or 'nothing found'}"])


def misses_report(rules: Rules, messages: list[Message]) -> str:
    """The pairs the messages (newest first) hold that the rules did not count, each with why; the same
    explanation a not_found result keeps and /attention shows."""
    scan = ReleaseScan(rules)
    scan.feed(messages)
    found = misses(rules, scan, messages, limit=None)
    if not found:
        return "not counted: nothing else shaped like a component and its version"
    return "\n".join(["not counted:", *(f"  {describe(candidate)}" for candidate in found)])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
