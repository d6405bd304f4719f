"""Posting the result back to the task: the comment, exactly once per result, with as few requests as can tell.

On current portals the bot's comment is also a message in the task chat, which the job has just read: the
marker there means nothing to post, and a chat read to its start without it means post without listing
comments. Comments are listed only where the chat cannot tell (an old portal, or a chat longer than the
window).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from releasebot.comment import comment_marker, fingerprint, render_comment
from releasebot.model import Message, Release, TaskResult
from releasebot.rules import Rules
from worker.post_intents import PostIntents

COMMENT_PAGE = 50
MAX_COMMENT_PAGES = 40


@dataclass(frozen=True)
class ChatSeen:
    """What the chat read showed of the bot's comments: its own messages, and whether it showed them all."""

    own: tuple[Message, ...] = ()
    shows_everything: bool = False


@dataclass(frozen=True)
class Posted:
    """Where the result's comment is: a comment id (posted or listed), or the id of its chat message."""

    comment_id: int | None = None
    message_id: int | None = None
    new: bool = field(default=False, compare=False)  # posted by this run: the task's changedDate moved


def post_once(task_id: int, releases: tuple[Release, ...], *, api, rules: Rules,
              previous: TaskResult | None = None, chat: ChatSeen = ChatSeen(), more_url: str = "",
              release_url: Callable[[str, str], str | None] | None = None, bot_id: int | None = None,
              intents: PostIntents | None = None) -> Posted:
    """Post the result's comment unless the task already carries the bot's comment for this result (one by
    the bot's user, `bot_id`); a list too long for one comment links to `more_url`, each release to its page
    by `release_url`. `intents` notes each POST first, so that a POST that may have been applied is looked
    for among the comments before the next try posts again."""
    existing = comment_in_place(task_id, releases, api=api, previous=previous, chat=chat, bot_id=bot_id,
                                intents=intents)
    if existing is not None:
        return existing
    text = render_comment(rules.comment_template, releases, task_id, more_url, release_url)
    if intents is not None:
        intents.posting(task_id, fingerprint(releases))
    return Posted(comment_id=api.post_comment(task_id, text), new=True)


def comment_in_place(task_id: int, releases: tuple[Release, ...], *, api, previous: TaskResult | None = None,
                     chat: ChatSeen = ChatSeen(), bot_id: int | None = None,
                     intents: PostIntents | None = None) -> Posted | None:
    """Where the task already carries the bot's comment for this result, or None when it must be posted
    (lists the task's comments only where the chat cannot tell, or where a POST may have been applied)."""
    wanted = fingerprint(releases)
    if previous and previous.has_comment and previous.releases and fingerprint(previous.releases) == wanted:
        return Posted(previous.comment_id, previous.comment_message_id)
    in_chat = next((m.id for m in chat.own if comment_marker(m.text) == wanted), None)
    if in_chat is not None:
        return Posted(message_id=in_chat)
    # On an old portal the chat never shows comments, and a short chat looks the same as a new portal's.
    unsure = intents is not None and intents.may_have_posted(task_id, wanted)
    if not chat.shows_everything or unsure:
        existing = find_own_comment(api, task_id, wanted, bot_id)
        if existing is not None:
            return Posted(comment_id=existing)
    return None


def find_own_comment(api, task_id: int, wanted: str, bot_id: int | None = None) -> int | None:
    """The id of a comment by the bot's user (any author when `bot_id` is None) that carries the bot's marker
    for this result, if any."""
    for page_number in range(MAX_COMMENT_PAGES):
        page = api.list_comments(task_id, limit=COMMENT_PAGE, offset=page_number * COMMENT_PAGE)
        for comment in page.comments:
            if comment_marker(comment.text) == wanted and bot_id in (None, comment.author_id):
                return comment.id
        if not page.has_more or not page.comments:
            return None
    return None
