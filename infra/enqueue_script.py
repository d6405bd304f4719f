"""Queueing a task in one Redis round trip: a Lua script that saves the job RQ built, or says why not.

RQ builds the job (`Queue.create_job`, then the fields `Queue.enqueue` would write, from RQ's own
`_build_hset_args`), so the worker runs it unchanged, with its retries, timeout and TTLs. The script does
what RQ's own unique enqueue script does (save the hash unless it exists, push the id onto the queue), and in
the same call registers the queue in `rq:queues`, refuses a new job past the cap on waiting jobs, counts the
answer for /metrics, and answers the status of an existing job instead of failing, so that a duplicate event
costs no second call. tests/integration/test_enqueue_script.py pins the hash against what `Queue.enqueue`
writes.

Queues have priorities (infra/queueing.py): a task's job still waiting in a lower queue when an event for it
comes in is taken up into this one in the same call, so it does not wait behind the lower queue's work. An
enqueuer that `replaces_lower` writes its own job in place of the waiting one (a task event makes the job an
event's); otherwise the waiting job keeps its arguments and only changes queue.

The fields every job of an enqueuer shares (origin, timeout, TTLs, retries, status, ...) are written into the
script's text from the first job RQ builds, so an event sends only what differs from them (its data,
description and times): fewer arguments to pack and parse on both sides of the one call.
"""

from __future__ import annotations

import zlib

from redis import Redis
from rq import Queue, Retry
from rq.job import Job, JobStatus
from rq.scripts import _build_hset_args
from rq.utils import now, utcformat

CREATED = ""
FULL = "full"
# A job in one of these states has ended: it no longer holds its id in RQ's sense (the caller clears it and
# tries again), and nothing waits for it any more (backfill --wait). JobStatus members compare equal to these.
ENDED = frozenset(s.value for s in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED))
# Fields that differ for every job: never worth writing into the script.
PER_JOB_FIELDS = frozenset({"created_at", "enqueued_at", "data", "description"})

# KEYS: the job hash, the queue list, the set of queues (rq:queues), the hash counting answers.
# ARGV: job id, the job's TTL in seconds (-1: none), the cap on waiting jobs (0: none), "1" to count the
# answer, "1" to write the shared fields, then field, value, ... of the job hash (written after them).
# Returns "" when it created the job (or took it up from a lower queue), "full" past the cap, else the status
# of the job holding the id.
# Written into the text for each enqueuer: SHARED_FIELDS, the fields every job of the enqueuer shares (as Lua
# string literals); LOWER_QUEUES, the lower queues' names and keys; REPLACES_LOWER and ORIGIN, its queue's name.
ENQUEUE_SCRIPT = """
local ended = {ENDED_STATUSES}
local lower = {LOWER_QUEUES}
local function answer(kind, value)
  if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[4], kind, 1) end
  return value
end
local cap = tonumber(ARGV[3])
local function full()
  return cap > 0 and redis.call('LLEN', KEYS[2]) >= cap
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  local status = redis.call('HGET', KEYS[1], 'status') or 'unknown'
  if ended[status] then return status end
  local from = lower[redis.call('HGET', KEYS[1], 'origin') or '']
  if status ~= 'queued' or not from then return answer('already_queued', status) end
  if full() then return answer('queue_full', 'full') end
  redis.call('LREM', from, 0, ARGV[1])
  if not REPLACES_LOWER then
    redis.call('HSET', KEYS[1], 'origin', ORIGIN)
    redis.call('RPUSH', KEYS[2], ARGV[1])
    redis.call('SADD', KEYS[3], KEYS[2])
    return answer('queued', '')
  end
  redis.call('DEL', KEYS[1])
end
if full() then
  return answer('queue_full', 'full')
end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], SHARED_FIELDS)
end
if #ARGV > 5 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 6))
end
local ttl = tonumber(ARGV[2])
if ttl and ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], KEYS[2])
return answer('queued', '')
""".replace("ENDED_STATUSES", ", ".join(f"['{status}'] = true" for status in sorted(ENDED)))


class UniqueEnqueuer:
    """Creates a job under a given id unless one holds it, in one call; the script is registered once.

    `max_waiting` caps the jobs left waiting (0: no cap); `answers_key` names a hash counting the answers;
    `lower` names the queues (name: key) a waiting job is taken up from, replaced if `replaces_lower`.

    RQ builds the first job of each kind (function, options and argument names); later jobs of that kind
    differ from it only in their id, arguments, description and times, so only those are computed, with
    RQ's own serializer and time format (a whole `Job` a event was most of the webhook's own time:
    bench/webhook_bench.py). tests/integration/test_enqueue_script.py compares both against `Queue.enqueue`.
    """

    def __init__(self, queue: Queue, *, max_waiting: int = 0, answers_key: str | None = None,
                 lower: dict[str, str] | None = None, replaces_lower: bool = False):
        self.queue = queue
        self.max_waiting = max_waiting
        self.answers_key = answers_key
        self.lower = dict(lower or {})
        self.replaces_lower = replaces_lower
        self._shared: dict[str, bytes] | None = None
        self._script = None
        self._kinds: dict[tuple, _Kind] = {}

    @property
    def connection(self) -> Redis:
        """The queue's Redis connection."""
        return self.queue.connection

    def enqueue(self, func: str, *, job_id: str, kwargs: dict, timeout: int, result_ttl: int,
                failure_ttl: int, retry: Retry, description: str) -> str:
        """Save and queue the job `Queue.enqueue(..., unique=True)` would: CREATED, FULL past the cap, else the
        status of the job holding its id."""
        kind_key = (func, timeout, result_ttl, failure_ttl, retry.max, tuple(retry.intervals), tuple(kwargs))
        kind = self._kinds.get(kind_key)
        if kind is None:
            job = self.build(func, kwargs=kwargs, job_id=job_id, timeout=timeout, result_ttl=result_ttl,
                             failure_ttl=failure_ttl, retry=retry, description=description)
            kind = self._kinds[kind_key] = _Kind(job)
            return self.save(job, kind.template, job_id)
        return self.save(kind.job, kind.fields(func, kwargs, description), job_id)

    def build(self, func: str, *, job_id: str, kwargs: dict, timeout: int, result_ttl: int,
              failure_ttl: int, retry: Retry, description: str) -> Job:
        """The job exactly as `Queue.enqueue(..., unique=True)` would save it (no Redis call)."""
        job = self.queue.create_job(
            func, kwargs=kwargs, job_id=job_id, timeout=timeout, result_ttl=result_ttl,
            failure_ttl=failure_ttl, retry=retry, description=description)
        # The fields Queue.enqueue sets just before saving (the server version it reads is cached).
        self.queue._prepare_for_queue(job)
        return job

    def save(self, job: Job, fields: dict[str, bytes], job_id: str) -> str:
        """Save and queue the job `fields` describe under `job_id` (`job` is one of its kind: its TTL and key):
        CREATED, FULL past the cap, else the status of the job holding its id."""
        if self._script is None:
            self._shared = {k: v for k, v in fields.items() if k not in PER_JOB_FIELDS}
            self._script = self.connection.register_script(self._script_text())
        shared = self._shared.keys() <= fields.keys()
        own = [item for key, value in fields.items() if not shared or self._shared.get(key) != value
               for item in (key, value)]
        ttl = job.ttl if job.ttl is not None else -1
        keys = [job.key_for(job_id), self.queue.key, self.queue.redis_queues_keys,
                self.answers_key or self.queue.key]
        args = [job_id, ttl, self.max_waiting, "1" if self.answers_key else "0", "1" if shared else "0", *own]
        answer = self._script(keys=keys, args=args)
        return answer.decode() if isinstance(answer, bytes) else str(answer)

    def _script_text(self) -> str:
        """The enqueue script with what is fixed for this enqueuer written into it."""
        lower = ", ".join(f"[{_lua_string(name.encode())}] = {_lua_string(key.encode())}"
                          for name, key in self.lower.items())
        return (_script_sharing(self._shared).replace("LOWER_QUEUES", lower)
                .replace("REPLACES_LOWER", "true" if self.replaces_lower else "false")
                .replace("ORIGIN", _lua_string(self.queue.name.encode())))


class _Kind:
    """The jobs of one kind: RQ's hash for the first, and how a later one's own fields are made."""

    def __init__(self, job: Job):
        self.job = job
        self.template = _fields(job)

    def fields(self, func: str, kwargs: dict, description: str) -> dict[str, bytes]:
        """The hash of another job of this kind: the template with its own data, description and times."""
        stamp = utcformat(now()).encode()
        # As Job.data and Job.to_dict make it: the serialized (function, instance, args, kwargs), compressed.
        data = zlib.compress(self.job.serializer.dumps((func, None, (), kwargs)))
        return self.template | {"created_at": stamp, "enqueued_at": stamp, "data": data,
                                "description": description.encode()}


def _fields(job: Job) -> dict[str, bytes]:
    """The job hash RQ's own unique enqueue would write, field by field, as bytes."""
    args = _build_hset_args(job)
    return {key: value if isinstance(value, bytes) else value.encode()
            for key, value in zip(args[::2], args[1::2], strict=True)}


def _script_sharing(shared: dict[str, bytes]) -> str:
    """The enqueue script with the shared fields written into it."""
    pairs = ", ".join(f"{_lua_string(key.encode())}, {_lua_string(value)}" for key, value in shared.items())
    if not pairs:
        return ENQUEUE_SCRIPT.replace("redis.call('HSET', KEYS[1], SHARED_FIELDS)", "")
    return ENQUEUE_SCRIPT.replace("SHARED_FIELDS", pairs)


def _lua_string(value: bytes) -> str:
    """A Lua string literal for any bytes (decimal escapes: nothing in the value can end the literal)."""
    return "'" + "".join(f"\\{byte:03d}" for byte in value) + "'"
