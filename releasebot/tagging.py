"""The answer inside the task: one tag per release (others never touched) and an optional UF_ field."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from releasebot.comment import release_names
from releasebot.model import Release

TAG_PLACEHOLDERS = ("component", "version")
MAX_TAG_CHARS = 100  # a tag people can read in the task's list; a component and version take up to 64 each
# What a component or version may hold to become a tag: letters, digits, `_ . - @ /` (`@acme/ui-kit`) and, in a
# version, `+` (`1.4.0+build.45`). A rule broad enough to capture `a, b, c` must not write a comma-separated
# list, markup or a line break into the task's tags; such a release is still recorded and named in the comment.
TAG_COMPONENT_RE = re.compile(r"[\w.@/-]+")
TAG_VERSION_RE = re.compile(r"[\w.+-]+")


def render_tag(template: str, release: Release) -> str:
    """One release's tag, e.g. `{component} {version}` -> `im 24.500.0`. Over MAX_TAG_CHARS the component
    is cut, never the version (`1.0.0-rc.1` cut to `1.0.0` would name another release); "" (no tag) when
    even that cannot fit, or when the component or version holds what a tag cannot (TAG_COMPONENT_RE)."""
    if not (TAG_COMPONENT_RE.fullmatch(release.component) and TAG_VERSION_RE.fullmatch(release.version)):
        return ""
    tag = _fill(template, release.component, release.version)
    excess, places = len(tag) - MAX_TAG_CHARS, template.count("{component}")
    if excess > 0 and places:
        keep = max(0, len(release.component) - math.ceil(excess / places))
        tag = _fill(template, release.component[:keep], release.version)
    return tag if len(tag) <= MAX_TAG_CHARS else ""


def _fill(template: str, component: str, version: str) -> str:
    tag = template.replace("{component}", component).replace("{version}", version)
    return " ".join(tag.split())


def release_tags(template: str, releases: Iterable[Release]) -> tuple[str, ...]:
    """The tags a result stands for, sorted; none when the template is empty."""
    return tuple(sorted({tag for r in releases if (tag := render_tag(template, r))})) if template else ()


def field_text(releases: Iterable[Release]) -> str:
    """The custom field's text: `im 24.500.0, ui 3.1.0`."""
    return ", ".join(release_names(releases))


@dataclass(frozen=True)
class TagPlan:
    """The task's tag list after the bot's change, and which of them the bot owns."""

    tags: tuple[str, ...]
    owned: tuple[str, ...]
    changed: bool


def plan_tags(current: Iterable[str], owned_before: Iterable[str], wanted: Iterable[str]) -> TagPlan:
    """Drop the bot's tags no longer wanted, add the wanted ones missing; a tag a person set stays theirs."""
    current, wanted = tuple(current), tuple(wanted)
    gone = set(owned_before) - set(wanted)
    kept = [tag for tag in current if tag not in gone]
    added = [tag for tag in wanted if tag not in kept]
    owned = tuple(sorted((set(owned_before) & set(wanted) & set(kept)) | set(added)))
    tags = (*kept, *added)
    return TagPlan(tags, owned, tags != current)
