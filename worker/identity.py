"""Who the bot is on the portal: the user the VibeCode key acts as, asked once (GET /me) and kept in Redis.

Only messages and comments by that user are the bot's own: a marker written by anyone else is just text.
The id is kept under a hash of the key, so a new key (perhaps another user's) is asked about again.
"""

from __future__ import annotations

import hashlib

from redis import Redis

from infra.redis_keys import BOT_USER


def bot_user_id(connection: Redis, api_key: str, api) -> int:
    """The key's user id: from Redis, or asked of the portal once and kept."""
    key = BOT_USER.format(key_hash=hashlib.sha256(api_key.encode()).hexdigest()[:16])
    known = connection.get(key)
    if known is not None:
        return int(known)
    user_id = api.user_id()
    connection.set(key, user_id)
    return user_id
