"""Thousands of random and hostile bodies at /bitrix/events: never a 5xx, never a job without a valid token."""

from urllib.parse import quote_plus

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rq import Queue

from tests.unit.conftest import TOKEN

KEYS = ["event", "data[FIELDS_AFTER][ID]", "data[FIELDS_BEFORE][ID]", "data[FIELDS_AFTER][TASK_ID]",
        "auth[application_token]", "auth[member_id]", "data[FIELDS_AFTER]", "data", "auth", "ts", "a[b][c][d]"]
EVENTS = ["ONTASKUPDATE", "ONTASKADD", "ONTASKCOMMENTADD", "ONTASKDELETE", "ontaskupdate", "", "X" * 300]
VALUES = st.one_of(
    st.sampled_from([*EVENTS, "1", "53", "0", "-1", "undefined", "1e9", "\uff19", "53\x00", "99999999999999999999",
                     TOKEN, TOKEN.upper(), TOKEN + " ", "%ZZ", "[]", "\r\n"]),
    st.text(max_size=60),
    st.integers().map(str),
)
FIELDS = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=20)), VALUES), max_size=12)
RAW = st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode))
CONTENT_TYPES = st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data", "application/json",
                                 "text/plain", "application/x-www-form-urlencoded; charset=latin-1", ""])


def encode(fields) -> bytes:
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in fields).encode()


def queued_tasks(redis):
    return [job.kwargs["task_id"] for job in Queue("releasebot", connection=redis).jobs]


def valid_token_sent(fields) -> bool:
    return any(k == "auth[application_token]" and v == TOKEN for k, v in fields)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=FIELDS, content_type=CONTENT_TYPES)
def test_form_bodies_never_cause_a_5xx_or_a_job_without_the_token(client, redis, fields, content_type):
    redis.flushall()
    answer = client.post("/bitrix/events", data=encode(fields), content_type=content_type)
    assert answer.status_code in (200, 400, 401, 413)
    if queued_tasks(redis):
        assert valid_token_sent(fields) and answer.status_code == 200
    if not valid_token_sent(fields):
        assert answer.status_code in (401, 413)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=RAW, content_type=CONTENT_TYPES)
def test_raw_bytes_never_cause_a_5xx(client, redis, body, content_type):
    answer = client.post("/bitrix/events", data=body, content_type=content_type)
    assert answer.status_code in (200, 400, 401, 413)
    if answer.status_code == 200:
        assert TOKEN.encode() in body
