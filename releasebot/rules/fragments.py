"""Named fragments (`define:`): RE2 pieces used in patterns as `{name}`, expanded before compiling.

The idea is Logstash grok's pattern library: a pattern reads as the names of its parts. A fragment may use
other fragments; each is expanded wrapped in (?:…), so it stays one unit wherever it is used. RE2's own
counted repetitions (`{2}`, `{1,3}`) never look like a name, so they are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from releasebot.rules.patterns import did_you_mean

REFERENCE_RE = re.compile(r"(?<!\\)\{([A-Za-z_][A-Za-z0-9_]*)\}")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_EXPANDED = 64 * 1024  # characters; a pattern that grows past this is refused


class FragmentError(ValueError):
    """A `{name}` cannot be expanded: unknown, part of a cycle, or the result is too large."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def references(text: str) -> list[str]:
    """The fragment names a pattern or fragment uses, in order of first use."""
    return list(dict.fromkeys(REFERENCE_RE.findall(text)))


def expand(text: str, fragments: Mapping[str, str]) -> str:
    """The text with every `{name}` replaced by its fragment, recursively; raises FragmentError."""
    return _Expander(fragments).expand(text, ())


class _Expander:
    """Expands each fragment once (so shared pieces cost nothing twice), refusing cycles and huge results."""

    def __init__(self, fragments: Mapping[str, str]):
        self.fragments = fragments
        self.done: dict[str, str] = {}

    def expand(self, text: str, path: tuple[str, ...]) -> str:
        """The text with its references replaced; `path` is the chain of fragments being expanded."""
        parts = {name: self.fragment(name, path) for name in references(text)}
        size = len(text) + sum(len(part) * text.count("{" + name + "}") for name, part in parts.items())
        if size > MAX_EXPANDED:
            raise FragmentError(f"expands to more than {MAX_EXPANDED} characters", "use fewer or smaller fragments")
        return REFERENCE_RE.sub(lambda found: parts[found.group(1)], text)

    def fragment(self, name: str, path: tuple[str, ...]) -> str:
        """One fragment, expanded and wrapped in (?:…)."""
        if name not in self.fragments:
            raise FragmentError(f"unknown fragment {{{name}}}", _unknown_hint(name, self.fragments))
        if name in path:
            cycle = " → ".join(f"{{{step}}}" for step in (*path[path.index(name):], name))
            raise FragmentError(f"fragments use each other in a cycle: {cycle}",
                                "a fragment cannot contain itself; write the repeated part out")
        if name not in self.done:
            self.done[name] = "(?:" + self.expand(self.fragments[name], (*path, name)) + ")"
        return self.done[name]


def _unknown_hint(name: str, fragments: Mapping[str, str]) -> str:
    if not fragments:
        return "define it under `define:` at the top of the file, or write `\\{` for a literal brace"
    return did_you_mean(name, sorted(fragments), "defined fragments", wrap="{{{}}}")
