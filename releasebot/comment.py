"""The comment posted back to a task: rendering, and the marker by which the bot knows its own."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

from releasebot.model import Release

MARKER_PREFIX = "releasebot:"
MARKER_RE = re.compile(r"\breleasebot:([0-9a-f]{12})\b")
# The bot's marker counts only as the comment's last line, in the one format render_comment writes there.
MARKER_LINE = "[I]{marker}[/I]"
MARKER_LINE_RE = re.compile(r"\[I\]releasebot:([0-9a-f]{12})\[/I\]", re.IGNORECASE)
PLACEHOLDERS = ("releases", "marker", "task_id")
PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")
DEFAULT_TEMPLATE = "[B]Shipped in:[/B] {releases}\n[I]{marker}[/I]"
MAX_COMMENT_CHARS = 20_000  # the portal refuses a longer comment
# A captured value shown in the comment (a release's name, its page's link) is cut to this; the job records no
# component or version over model.MAX_NAME_CHARS, so only an outsized link is ever cut.
MAX_SHOWN_CHARS = 200
MORE_RESERVE = 200  # room kept for "and N more" and its link
# Captured text is shown, never obeyed: brackets that could open or close a BB-code tag become look-alikes,
# and line breaks become spaces so that no captured value can make a line of its own.
INERT = str.maketrans({"[": "\uff3b", "]": "\uff3d", "\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "})


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
    """The fingerprint of any marker in a chat message, or None: a message carrying one is not read."""
    found = MARKER_RE.search(text or "")
    return found.group(1) if found else None


def comment_marker(text: str) -> str | None:
    """The result fingerprint of a comment the bot wrote, or None if it is not ours.

    Only the marker line render_comment writes counts, as the comment's last line: a marker-shaped string
    anywhere else (in a captured value, a quote, a human's comment) is not the bot's.
    """
    lines = (text or "").rstrip().rsplit("\n", 1)
    found = MARKER_LINE_RE.fullmatch(lines[-1].strip())
    return found.group(1).lower() if found else None


def inert(value: str) -> str:
    """Captured text as plain text in a BB-code comment: no tag, no link, no mention, no line of its own."""
    value = value.translate(INERT)
    return value if len(value) <= MAX_SHOWN_CHARS else value[:MAX_SHOWN_CHARS - 1] + "\u2026"


def unknown_placeholders(template: str) -> list[str]:
    """Placeholders in a template that render_comment would not fill."""
    return [name for name in PLACEHOLDER_RE.findall(template) if name not in PLACEHOLDERS]


ReleaseUrl = Callable[[str, str], str | None]


def render_comment(template: str, releases: Iterable[Release], task_id: int, more_url: str = "",
                   release_url: ReleaseUrl | None = None) -> str:
    """Fill the BB-code template; always under MAX_COMMENT_CHARS, ending with the marker line.

    Captured values go in as inert text, each linked to its release page when `release_url` gives one;
    when they do not all fit, the list ends "and N more" (with a link to `more_url` when given).
    """
    releases = tuple(releases)
    text = _render(template, releases, task_id, more_url, release_url)
    if len(text) <= MAX_COMMENT_CHARS:
        return text
    return _render(DEFAULT_TEMPLATE, releases, task_id, more_url, release_url)


def _render(template: str, releases: tuple[Release, ...], task_id: int, more_url: str,
            release_url: ReleaseUrl | None) -> str:
    """The comment from one template, the release list cut to what the template leaves room for."""
    marker_line = MARKER_LINE.format(marker=marker(releases))
    room = MAX_COMMENT_CHARS - len(_fill(template, "", releases, task_id)) - len(marker_line) - 1
    budget = room // max(1, template.count("{releases}"))
    names = release_list_names(releases, release_url)
    text = _fill(template, _release_list(names, budget, more_url), releases, task_id)
    if comment_marker(text) == fingerprint(releases):
        return text
    return f"{text.rstrip()}\n{marker_line}"


def release_list_names(releases: Iterable[Release], release_url: ReleaseUrl | None = None) -> list[str]:
    """Each release as inert `<component> <version>`, as `[URL=<its page>]…[/URL]` when it has one."""
    pairs = sorted({(r.component, r.version) for r in releases}, key=lambda pair: f"{pair[0]} {pair[1]}")
    names = []
    for component, version in pairs:
        name, url = inert(f"{component} {version}"), release_url(component, version) if release_url else None
        names.append(f"[URL={inert(url)}]{name}[/URL]" if url else name)
    return names


def _fill(template: str, release_list: str, releases: tuple[Release, ...], task_id: int) -> str:
    """The template with its placeholders filled; unknown ones are left as written."""
    values = {"releases": release_list, "marker": marker(releases), "task_id": str(task_id)}
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _release_list(names: list[str], budget: int, more_url: str) -> str:
    """Names joined by commas within `budget` characters, the rest counted as "and N more"."""
    text = ", ".join(names)
    if len(text) <= budget:
        return text
    kept, used = [], 0
    for name in names:
        if used + len(name) + 2 > budget - MORE_RESERVE:
            break
        kept.append(name)
        used += len(name) + 2
    more = f"and {len(names) - len(kept)} more"
    if more_url:
        more = f"[URL={inert(more_url)}]{more}[/URL]"
    return ", ".join([*kept, more])
