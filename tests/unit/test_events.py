from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from releasebot.bitrix_event import MalformedEvent, parse_event, token_is_valid

DATA = Path(__file__).parent.parent / "data" / "events"
TOKEN = "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"


def wire(name: str) -> dict:
    return dict(parse_qsl((DATA / name).read_text(), keep_blank_values=True))


def test_task_update_gives_the_task_and_portal():
    event = parse_event(wire("ontaskupdate.txt"))
    assert (event.name, event.task_id) == ("ONTASKUPDATE", 123)
    assert event.should_queue


def test_comment_event_takes_the_task_id_not_the_comment_id():
    assert parse_event(wire("ontaskcommentadd.txt")).task_id == 77


def test_delete_is_parsed_but_not_queued():
    event = parse_event(wire("ontaskdelete.txt"))
    assert event.task_id == 88 and not event.should_queue


def test_unknown_event_is_not_queued():
    assert not parse_event({"event": "ONCRMDEALADD"}).should_queue


@pytest.mark.parametrize("raw", ["", "abc", "0", "-5", "1.5", "٣", "99999999999999999999999",
                                 "9" * 5000, "0" * 30 + "5"])
def test_task_id_must_be_a_positive_integer(raw):
    with pytest.raises(MalformedEvent, match="task id"):
        parse_event({"event": "ONTASKUPDATE", "data[FIELDS_AFTER][ID]": raw})


def test_missing_event_name_is_malformed():
    with pytest.raises(MalformedEvent, match="no 'event'"):
        parse_event({"data[FIELDS_AFTER][ID]": "5"})


def test_event_name_case_does_not_matter():
    assert parse_event({"event": "onTaskUpdate", "data[FIELDS_AFTER][ID]": "5"}).name == "ONTASKUPDATE"


def test_token_matches_any_of_the_rotated_tokens():
    form = wire("ontaskupdate.txt")
    assert token_is_valid(form, ["old-token", TOKEN])
    assert not token_is_valid(form, ["old-token"])


def test_empty_token_never_matches_even_an_empty_expectation():
    assert not token_is_valid({"auth[application_token]": ""}, [""])
    assert not token_is_valid({}, [TOKEN])
