"""Posting the result back to the task: the comment, exactly once per result."""

from __future__ import annotations

from collections.abc import Callable

from releasebot.comment import comment_marker, fingerprint, render_comment
from releasebot.model import Release
from releasebot.rules import Rules

COMMENT_PAGE = 50
MAX_COMMENT_PAGES = 40


def post_once(task_id: int, releases: tuple[Release, ...], *, api, rules: Rules, store=None,
              more_url: str = "", release_url: Callable[[str, str], str | None] | None = None) -> int:
    """Post the result's comment unless the task already carries the bot's comment for this result;
    a list too long for one comment links to `more_url`, each release to its page by `release_url`."""
    wanted = fingerprint(releases)
    previous = store.get(task_id) if store is not None else None
    if previous and previous.comment_id and previous.releases and fingerprint(previous.releases) == wanted:
        return previous.comment_id
    existing = find_own_comment(api, task_id, wanted)
    if existing is not None:
        return existing
    return api.post_comment(task_id, render_comment(rules.comment_template, releases, task_id, more_url,
                                                    release_url))


def find_own_comment(api, task_id: int, wanted: str) -> int | None:
    """The id of a comment on the task that carries the bot's marker for this result, if any."""
    for page_number in range(MAX_COMMENT_PAGES):
        page = api.list_comments(task_id, limit=COMMENT_PAGE, offset=page_number * COMMENT_PAGE)
        for comment in page.comments:
            if comment_marker(comment.text) == wanted:
                return comment.id
        if not page.has_more or not page.comments:
            return None
    return None
