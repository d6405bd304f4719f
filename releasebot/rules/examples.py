"""The examples' runner: each rule's examples, run at load through the same matcher the worker uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasebot.normalize import plain_text

if TYPE_CHECKING:
    from releasebot.rules.match import Rule
    from releasebot.rules.model import Rules


@dataclass(frozen=True)
class Example:
    """A text a rule is tried on at load, and the (component, version) pairs it must yield."""

    text: str
    expect: tuple[tuple[str, str], ...]
    line: int = 0


def example_failure(rules: Rules, rule: Rule, example: Example) -> tuple[str, str] | None:
    """(what differs, a hint) when the rule, read as the worker reads (guards and components included),
    does not yield exactly the example's pairs; None when it does."""
    from releasebot.rules.reading import read

    found = read(rules, plain_text(example.text), only=[rule]).matches
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
