"""The VibeCode API client: the session and its retries (client), errors (errors), chat paging (chat)."""
