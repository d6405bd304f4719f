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
