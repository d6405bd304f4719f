"""The comment posted back to a task: rendering, and the marker by which the bot knows its own."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from releasebot.model import Release

MARKER_PREFIX = "releasebot:"
MARKER_RE = re.compile(r"\breleasebot:([0-9a-f]{12})\b")
PLACEHOLDERS = ("releases", "marker", "task_id")
PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")
DEFAULT_TEMPLATE = "[B]Shipped in:[/B] {releases}\n[I]{marker}[/I]"


def release_names(releases: Iterable[Release]) -> list[str]:
    """Each release as `<component> <version>`, sorted so that the order of messages does not matter."""
    return sorted({f"{r.component} {r.version}" for r in releases})


def fingerprint(releases: Iterable[Release]) -> str:
    """A short, stable hash of a result: equal for the same set of component/version pairs."""
    digest = hashlib.sha256("\n".join(release_names(releases)).encode()).hexdigest()
    return digest[:12]


def marker(releases: Iterable[Release]) -> str:
    """The marker text that identifies the bot's comment and the result it carries."""
    return MARKER_PREFIX + fingerprint(releases)


def find_marker(text: str) -> str | None:
    """The result fingerprint in a comment or chat message the bot wrote, or None if it is not ours."""
    found = MARKER_RE.search(text or "")
    return found.group(1) if found else None


def unknown_placeholders(template: str) -> list[str]:
    """Placeholders in a template that render_comment would not fill."""
    return [name for name in PLACEHOLDER_RE.findall(template) if name not in PLACEHOLDERS]


def render_comment(template: str, releases: Iterable[Release], task_id: int) -> str:
    """Fill the BB-code template; the marker is appended when the template does not place it."""
    releases = tuple(releases)
    values = {
        "releases": ", ".join(release_names(releases)),
        "marker": marker(releases),
        "task_id": str(task_id),
    }
    text = PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    if "{marker}" not in template:
        text = f"{text.rstrip()}\n[I]{values['marker']}[/I]"
    return text
