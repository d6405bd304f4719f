"""The text `releasebot rules check` and `releasebot rules test` print, with the exit code to end on."""

from __future__ import annotations

from releasebot.extract import ReleaseScan, explain
from releasebot.model import Message
from releasebot.normalize import plain_text
from releasebot.rules import Rules, RulesError, load_rules

OK, PROBLEMS, NOTHING_FOUND, BAD_RULES = 0, 1, 1, 2
PAST_WINDOW = "older than the newest scan.max_messages non-system messages"


def check_report(path) -> tuple[int, str]:
    """(0, a one-line summary) for a good rules file, or (1, every problem as FILE:LINE: message)."""
    try:
        rules = load_rules(path)
    except RulesError as error:
        return PROBLEMS, str(error)
    examples = _count(rules.example_count, "example")
    return OK, f"{path}: OK — {_count(len(rules.rules), 'rule')}, {examples} passed"


def text_report(path, text: str) -> tuple[int, str]:
    """What the rules extract from TEXT, by which rule; exit 0 if anything, 1 if nothing, 2 for bad rules."""
    try:
        rules = load_rules(path)
    except RulesError as error:
        return BAD_RULES, str(error)
    explanation = explain(rules, Message(id=0, author_id=0, text=text, created_at=""))
    lines = ["text as the rules read it:", *(f"  | {line}" for line in plain_text(text).split("\n"))]
    if explanation.matches:
        width = max(len(f"{m.component} {m.version}") for m in explanation.matches)
        lines += [f"{m.component} {m.version}".ljust(width) + f"  rule {m.rule}" for m in explanation.matches]
        return OK, "\n".join(lines)
    return NOTHING_FOUND, "\n".join([*lines, explanation.verdict])


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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
