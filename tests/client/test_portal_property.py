"""Property: whatever a portal answers, a job ends in a recorded result or a capped retry, and leaks no key.

Random statuses, headers and bodies of random JSON shapes and sizes (the key echoed anywhere in them) are fed
to the real client, the job's core and its retry plan; the record (SQLite in memory) and every log line are
then searched for the key.
"""

from __future__ import annotations

import json
import logging
from itertools import chain, repeat

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasebot.rules import load_rules
from store import ResultStore, open_database
from store.schema import metadata
from tests.client.vibe_fakes import API_KEY, BASE_URL, FakeTransport
from worker.jobs import _plan_retry
from worker.process import JobContext, handle_task
from worker.vibecode.client import REQUEST_RETRY_AFTER_MAX, VibeClient, default_retry, retrying_session
from worker.vibecode.errors import MAX_RETRY_AFTER, TransientError

RULES = load_rules("rules.yaml")
ROUTES = [("GET", "/tasks/53"), ("GET", "/tasks/53/chat/messages"), ("GET", "/tasks/53/comments"),
          ("POST", "/tasks/53/comments"), ("PATCH", "/tasks/53")]
INTERVALS = [5, 30, 120, 600]
STATUSES = [200, 201, 204, 301, 302, 400, 401, 402, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504]

texts = st.one_of(
    st.sampled_from([API_KEY, f"key={API_KEY};", "deployed in im 24.500.0", "OPERATION_TIME_LIMIT", "",
                     "insufficient_scope", "[I]releasebot:0123456789ab[/I]", "1e400", "-1", "soon"]),
    st.text(max_size=30),
)
header_texts = st.one_of(st.sampled_from([API_KEY, "1e400", "-1", "soon", "999999", "\x80"]),
                        st.text(alphabet=st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=30))
ids = st.one_of(st.integers(min_value=-5, max_value=10**20), st.sampled_from(["53", "x", "9" * 40, None, 1.5]))
scalars = st.one_of(st.none(), st.booleans(), ids, st.floats(allow_nan=True), texts)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner,
                                                                                                  max_size=4),
                           max_leaves=15)
message = st.fixed_dictionaries(
    {"id": ids, "authorId": ids, "text": texts, "createdAt": texts},
    optional={"isSystem": scalars, API_KEY: scalars})
data = st.one_of(
    json_values,
    st.fixed_dictionaries({"id": ids, "status": st.sampled_from([5, "5", 3, None, API_KEY])},
                          optional={"title": texts, "tags": json_values, "closedDate": json_values}),
    st.fixed_dictionaries({"messages": st.lists(message, max_size=6), "hasNextPage": scalars}),
    st.lists(st.fixed_dictionaries({"id": ids, "authorId": ids, "text": texts}), max_size=4),
)
envelopes = st.fixed_dictionaries(
    {"success": st.sampled_from([True, False, None, "Y"])},
    optional={"data": data, "meta": json_values,
              "error": st.fixed_dictionaries({}, optional={"code": texts, "message": texts, "hint": texts,
                                                            "retryAfter": scalars, API_KEY: scalars})})
RAW_BODIES = {"deep": "[" * 100_000, "echo": "not json " + API_KEY, "empty": "", "nested": "{" * 50 + "}" * 50,
              "huge": '{"success": true, "data": "' + "x" * 300_000 + '"}'}


class Raw(str):
    """A raw body, named in Hypothesis's reports by its key in RAW_BODIES rather than by its 300 KB."""

    def body(self) -> str:
        return RAW_BODIES[self]


raw_bodies = st.sampled_from(sorted(RAW_BODIES)).map(Raw)
answers = st.tuples(
    st.sampled_from(STATUSES),
    st.one_of(envelopes, json_values, raw_bodies),
    st.dictionaries(st.sampled_from(["Retry-After", "Location", "X-Echo"]),
                    st.one_of(header_texts, st.integers(-10, 10**12).map(str)), max_size=2),
)


def portal_client(script: list) -> VibeClient:
    """The real client on a transport answering every call with the next scripted answer (the last repeats)."""
    transport = FakeTransport()
    script = [(status, body.body() if isinstance(body, Raw) else body, headers) for status, body, headers in script]
    replies = chain(script, repeat(script[-1]))
    for method, path in ROUTES:
        transport.route(method, path, lambda sent: next(replies))
    session = requests.Session()
    session.mount("http://vibe.test/", transport)
    return VibeClient(BASE_URL, API_KEY, session=session)


class Job:
    """The members _plan_retry uses of an RQ job."""

    def __init__(self):
        self.retries_left, self.retry_intervals = len(INTERVALS), list(INTERVALS)


RECORD = ResultStore(open_database("sqlite://"))  # emptied before each example: migrating 300 times is slow


def emptied(store: ResultStore) -> ResultStore:
    with store.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    return store


def record_text(store: ResultStore) -> str:
    """Every result as JSON and every other row of the record, as text."""
    with store.engine.connect() as connection:
        rows = "".join(str(row) for table in metadata.sorted_tables if table.name != "results"
                       for row in connection.execute(table.select()))
    return rows + "".join(json.dumps(result.to_json()) for result in store.all_results())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.data_too_large])
@given(script=st.lists(answers, min_size=1, max_size=8))
def test_any_portal_answers_end_in_a_result_or_a_capped_retry_and_never_leak_the_key(script):
    store, job, logs = emptied(RECORD), Job(), LogRecorder()
    logging.getLogger().addHandler(logs)
    try:
        with portal_client(script) as client:
            handle_task(53, JobContext(client, RULES, store, bot_id=1))
        assert store.get(53) is not None
    except TransientError as error:
        _plan_retry(job, error)
        assert max(job.retry_intervals[0], 0) <= max(INTERVALS[0], MAX_RETRY_AFTER)
        assert API_KEY not in str(error) + repr(vars(error))
    finally:
        logging.getLogger().removeHandler(logs)
    assert API_KEY not in record_text(store) + logs.text()


@given(value=st.one_of(texts, st.integers(-10**30, 10**30).map(str), st.floats().map(str)))
def test_the_request_layer_reads_any_retry_after_as_a_wait_within_its_cap(value):
    mounted = retrying_session(BASE_URL, default_retry(), lambda: None).get_adapter(BASE_URL).max_retries
    assert 0 <= mounted.parse_retry_after(value) <= REQUEST_RETRY_AFTER_MAX


class LogRecorder(logging.Handler):
    """Every log line any logger emits during one example."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def text(self) -> str:
        return "\n".join(self.lines)
