"""The shared layer web, worker and the command line all use: the Redis connection, Redis key names, metrics
and the queue (one job per task, queued in one Redis call)."""
