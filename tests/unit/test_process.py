import dataclasses

import pytest

from releasebot.links import Links
from releasebot.model import Comment, Message, Release, Task
from releasebot.rules import Rule, Rules
from store import ResultStore, open_database
from tests.unit.job_runs import NOW, run
from worker.posting import post_once
from worker.process import bounded
from worker.vibecode.errors import ProtocolError, ScopeError, TransientError


def test_closed_task_gets_one_comment_naming_the_release(api, rules, store):
    api.add_task(53, chat=["started", "deployed in im 24.500.0"])
    result = run(api, rules, store)
    assert result.outcome == "found"
    assert [(r.component, r.version) for r in result.releases] == [("im", "24.500.0")]
    assert api.count("post_comment") == 1
    assert "im 24.500.0" in api.comments[53][0].text
    assert store.get(53).comment_id == result.comment_id


def test_open_task_is_not_closed_and_its_chat_is_not_read(api, rules, store):
    api.add_task(53, status=3, chat=["deployed in im 24.500.0"])
    assert run(api, rules, store).outcome == "not_closed"
    assert api.count("chat_page") == 0


def test_task_without_chat_is_no_chat_not_an_error(api, rules, store):
    api.add_task(53, chat=None)
    assert run(api, rules, store).outcome == "no_chat"


def test_chat_without_a_release_is_not_found_and_posts_nothing(api, rules, store):
    api.add_task(53, chat=["looks good", "thanks"])
    assert run(api, rules, store).outcome == "not_found"
    assert api.count("post_comment") == 0


def test_same_result_twice_posts_one_comment(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    run(api, rules, store)
    assert api.count("post_comment") == 1


def test_a_lost_record_does_not_cause_a_second_comment(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    second = run(api, rules, ResultStore(open_database("sqlite://")))
    assert api.count("post_comment") == 1
    assert second.comment_id is None and second.comment_message_id == api.chats[53][-1].id


def test_changed_result_is_posted_as_a_new_comment(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    api.chats[53].append(api._message("oops, deployed in im 24.501.0"))
    result = run(api, rules, store)
    assert [r.version for r in result.releases] == ["24.501.0"]
    assert api.count("post_comment") == 2


def test_permanent_error_is_a_failed_outcome_with_what_to_fix(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    api.fail_with["chat_page"] = ScopeError("insufficient_scope", status=422, code="insufficient_scope")
    result = run(api, rules, store)
    assert result.outcome == "failed" and result.error.code == "insufficient_scope"
    assert "im" in result.error.action and store.get(53).outcome == "failed"


def test_transient_error_reaches_rq_and_records_nothing(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    api.fail_with["get_task"] = TransientError("busy", status=503, code="BITRIX_UNAVAILABLE")
    with pytest.raises(TransientError):
        run(api, rules, store)
    assert store.get(53) is None


def test_dry_run_writes_nothing(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    result = run(api, rules, store, dry_run=True)
    assert result.outcome == "found" and result.comment_id is None
    assert api.count("post_comment") == 0 and store.get(53) is None


def test_dry_run_shows_the_comment_a_real_run_would_post(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    result = run(api, rules, store, dry_run=True)
    assert "im 24.500.0" in result.to_json()["wouldPost"] and api.count("post_comment") == 0


def test_dry_run_after_the_comment_was_posted_would_post_nothing(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    posted = run(api, rules, store)
    lost = ResultStore(open_database("sqlite://"))  # as after a lost record: the marker in the chat alone tells
    again = run(api, rules, lost, dry_run=True).to_json()
    assert "wouldPost" not in again and again["commentMessageId"] == api.chats[53][-1].id
    assert api.count("post_comment") == 1 and posted.comment_id


def test_dry_run_of_a_task_processed_before_says_what_a_real_run_would(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    first = run(api, rules, store)
    again = run(api, rules, store, dry_run=True).to_json()
    assert "wouldPost" not in again and again["commentId"] == first.comment_id


def test_release_index_answers_which_tasks_shipped(api, rules, store):
    for task_id in (53, 54):
        api.add_task(task_id, chat=["deployed in im 24.500.0"])
        run(api, rules, store, task_id=task_id)
    assert store.tasks_in("im", "24.500.0") == [53, 54]
    assert [(r["component"], r["version"], r["tasks"]) for r in store.releases().items] == [("im", "24.500.0", 2)]


BROAD = Rules((Rule("anything", r"(?P<component>\w+) is (?P<version>.+)"),))


def shipped(component: str, version: str, message_id: int = 1) -> Release:
    return Release(component, version, "anything", message_id, 7, NOW)


def test_pairs_too_long_to_be_releases_are_dropped_with_a_note():
    kept, notes = bounded((shipped("im", "1." + "9" * 5000), shipped("x" * 65, "1.0"), shipped("ui", "2.0")))
    assert [(r.component, r.version) for r in kept] == [("ui", "2.0")]
    assert notes == ["2 release(s) dropped: a component or version over 64 characters"]


def test_pairs_are_bounded_per_message_and_per_task_with_notes():
    releases = tuple(shipped(f"c{n}", "1.0", message_id=n // 30) for n in range(300))
    kept, notes = bounded(releases)
    assert len(kept) == 100 and all(sum(r.message_id == m for r in kept) <= 20 for m in range(10))
    assert any("in one message" in note for note in notes) and any("in one task" in note for note in notes)


def test_a_marker_captured_into_a_version_never_causes_a_second_comment(api, rules):
    api.add_task(53, chat=[])
    fake = (shipped("im", "releasebot:0123456789ab"),)
    first = post_once(53, fake, api=api, rules=rules)
    again = post_once(53, fake, api=api, rules=rules)
    assert api.count("post_comment") == 1 and again == first


def test_a_thirty_thousand_letter_component_never_reaches_the_portal(api, store):
    api.add_task(53, chat=["x" * 30_000 + " is 1.0"])
    result = run(api, BROAD, store)
    assert result.outcome == "not_found" and api.count("post_comment") == 0


def test_a_match_everything_rule_posts_one_comment_within_the_limit(api, store):
    api.add_task(53, chat=[])
    api.chats[53] = [Message(n, 7, f"c{n} is 1.{n}", NOW) for n in range(1, 201)]
    result = run(api, BROAD, store)
    assert len(result.releases) <= 100 and any("in one task" in note for note in result.extra["notes"])
    assert api.count("post_comment") == 1 and len(api.comments[53][0].text) <= 20_000


def test_an_unreadable_answer_is_a_failed_result_not_an_uncaught_error(api, rules, store):
    api.add_task(53, chat=["deployed in im 1.0.0"])
    api.fail_with["chat_page"] = ProtocolError("not JSON", code="BAD_ENVELOPE")
    assert run(api, rules, store).outcome == "failed"
    assert store.get(53).error.code == "BAD_ENVELOPE"


def test_a_list_too_long_for_the_comment_links_to_the_result_when_public_url_is_set(api, store):
    api.add_task(53, chat=[])
    api.chats[53] = [Message(n, 7, f"component{n:04d} is 1.{n}", NOW) for n in range(1, 101)]
    wordy = Rules(BROAD.rules, comment_template="Shipped, as the release notes say: " + "." * 18_000 + " {releases}")
    run(api, wordy, store, links=Links(public_url="https://bot.example"))
    assert "[URL=https://bot.example/api/tasks/53]and " in api.comments[53][0].text


def requests_made(api) -> list[str]:
    return [name for name, _, _ in api.calls]


def test_a_closed_task_costs_the_task_its_chat_the_post_and_the_tag(api, rules, store):
    api.add_task(53, chat=["started", "deployed in im 24.500.0"])
    run(api, rules, store)  # the shipped rules also write the release as a tag (post.tags): one PATCH,
    # after the tags are read again (a tag a person added while the job ran stays)
    assert requests_made(api) == ["get_task", "chat_page", "post_comment", "get_task", "update_task"]


def test_an_echo_event_after_the_comment_costs_one_small_chat_page(api, rules, store):
    api.add_task(53, chat=["started", "deployed in im 24.500.0"])
    first = run(api, rules, store)
    api.calls.clear()
    assert run(api, rules, store) == first
    assert requests_made(api) == ["chat_page"] and api.calls[0][2]["limit"] <= 10


def test_with_the_record_lost_the_comment_is_found_in_the_chat_without_listing_comments(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    api.calls.clear()
    run(api, rules, ResultStore(open_database("sqlite://")))
    assert requests_made(api) == ["get_task", "chat_page"]


def test_the_chat_message_id_of_the_comment_is_stored_as_a_message_id(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    store = ResultStore(open_database("sqlite://"))  # the record lost
    run(api, rules, store)
    saved = store.get(53).to_json()
    assert saved["commentId"] is None and saved["commentMessageId"] == api.chats[53][-1].id


def test_a_message_after_the_result_has_the_task_read_again(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    api.chats[53].append(api._message("oops, deployed in im 24.501.0"))
    api.calls.clear()
    result = run(api, rules, store)
    # the task, and its tags again just before the new tag replaces the old one
    assert [r.version for r in result.releases] == ["24.501.0"] and api.count("get_task") == 2


def test_a_reopened_task_is_noticed_by_the_status_message_in_its_chat(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    api.tasks[53] = Task(id=53, status=3)
    api.chats[53].append(api._message("Task status changed to in progress", system=True))
    assert run(api, rules, store).outcome == "not_closed"


def test_edited_rules_have_a_repeated_event_read_the_chat_again(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    api.calls.clear()
    run(api, dataclasses.replace(rules, sha256="edited"), store)
    assert api.count("get_task") == 1 and api.count("post_comment") == 0


def test_a_chat_longer_than_the_window_still_looks_for_the_comment(api, rules, store):
    api.add_task(53, chat=["older", "deployed in im 24.500.0", "a", "b"])
    api.comments[53] = [Comment(9, 1, "[B]Shipped in:[/B] im 24.500.0\n[I]releasebot:0eeb8e0ed502[/I]")]
    result = run(api, dataclasses.replace(rules, max_messages=3), store)
    assert result.comment_id == 9 and api.count("list_comments") == 1 and api.count("post_comment") == 0


def test_a_repeated_event_for_a_chat_without_a_release_costs_one_small_chat_page(api, rules, store):
    api.add_task(53, chat=["looks good", "thanks"])
    run(api, rules, store)
    api.calls.clear()
    assert run(api, rules, store).outcome == "not_found" and requests_made(api) == ["chat_page"]


def test_a_release_announced_after_a_not_found_result_is_found(api, rules, store):
    api.add_task(53, chat=["looks good"])
    run(api, rules, store)
    api.chats[53].append(api._message("deployed in im 24.500.0"))
    assert run(api, rules, store).outcome == "found" and api.count("post_comment") == 1
