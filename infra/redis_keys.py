"""Every Redis key releasebot writes, in one place (RQ's own keys are RQ's business). The record (results,
the release index) is in SQL: see store/; the keys it had in Redis are read only by store/redis_import.py."""

PREFIX = "releasebot"
RULES_STATUS = PREFIX + ":rules-status"  # the rules in force, written by the worker, shown by /healthz
BUDGET = PREFIX + ":budget:{name}"  # the shared request budget's theoretical arrival time
# Counters shown by GET /metrics (hashes of field -> count, and one float)
METRIC_EVENTS = PREFIX + ":metrics:events"  # webhook answers by kind: queued, already_queued, ignored, ...
METRIC_JOBS = PREFIX + ":metrics:jobs"  # finished jobs by outcome (found, not_found, ..., transient_error)
METRIC_PORTAL = PREFIX + ":metrics:portal"  # VibeCode API answers by HTTP status (no_answer: none came)
METRIC_BUDGET_WAIT = PREFIX + ":metrics:budget-wait-seconds"  # time spent waiting for the shared budget
# the portal user id the VibeCode key acts as (GET /me), by a hash of the key: only its messages are the bot's
BOT_USER = PREFIX + ":bot-user:{key_hash}"
POSTING = PREFIX + ":posting:{task_id}"  # the result fingerprint of a comment the job set out to post (a day)
RERUN = PREFIX + ":rerun"  # ids of tasks whose job was running when an event came: queued again when it ends
