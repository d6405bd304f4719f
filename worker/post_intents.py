"""Comments the bot may have posted: written down before each comment POST, so that a POST applied but never
answered (a 502, a worker killed mid-post) is looked for among the comments before the next try posts again.

The chat shows the bot's comments on current portals only, and a short chat does not tell an old portal from
a new one: without this note, an old portal with a chat of 50 messages or fewer would get the comment twice.
"""

from __future__ import annotations

from redis import Redis

from infra.redis_keys import POSTING

# Long enough for every retry of a job (RQ's, then the sweep's); a note older than that is only a cost.
POSTING_TTL = 24 * 3600


class PostIntents:
    """The fingerprint of the last comment each task's job set out to post, kept in Redis for a day."""

    def __init__(self, connection: Redis):
        self.connection = connection

    def posting(self, task_id: int, fingerprint: str) -> None:
        """Note, before the POST, that the comment for this result may be on the task from now on."""
        self.connection.set(POSTING.format(task_id=task_id), fingerprint, ex=POSTING_TTL)

    def may_have_posted(self, task_id: int, fingerprint: str) -> bool:
        """Whether an earlier try set out to post the comment for this result."""
        noted = self.connection.get(POSTING.format(task_id=task_id))
        return noted is not None and noted.decode() == fingerprint
