"""The release written into the task itself: tags (others never touched), the UF_ field, quiet adoption."""

import dataclasses

from releasebot.links import Links
from releasebot.tagging import plan_tags
from tests.unit.job_runs import run


def hotfix(api, text="hotfix deployed in im 24.500.1"):
    api.chats[53].append(api._message(text))


def test_the_release_is_added_to_the_task_tags_and_its_own_tags_stay(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], tags=("im", "customer"))
    result = run(api, rules, store)
    assert api.tasks[53].tags == ("im", "customer", "im 24.500.0")
    assert result.tags_added == ("im 24.500.0",) and result.task.tags == ("im", "customer", "im 24.500.0")


def test_a_changed_result_replaces_the_bots_old_tag_and_keeps_the_others(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], tags=("im",))
    run(api, rules, store)
    hotfix(api)
    run(api, rules, store)
    assert api.tasks[53].tags == ("im", "im 24.500.1")
    assert api.count("post_comment") == 2


def test_a_tag_a_person_set_is_never_removed(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], tags=("im 24.500.0",))
    run(api, rules, store)
    hotfix(api)
    run(api, rules, store)
    assert api.tasks[53].tags == ("im 24.500.0", "im 24.500.1")


def test_unchanged_tags_cost_no_request(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store)
    run(api, rules, store)
    assert api.count("update_task") == 1


def test_no_tags_are_written_when_post_tags_is_absent(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], tags=("im",))
    run(api, dataclasses.replace(rules, tags_template=""), store)
    assert api.count("update_task") == 0 and api.tasks[53].tags == ("im",)


def test_the_custom_field_is_set_to_the_releases_once(api, rules, store):
    rules = dataclasses.replace(rules, tags_template="", field_name="UF_RELEASE")
    api.add_task(53, chat=["deployed in im 24.500.0 and ui 3.1.0"])
    run(api, rules, store)
    run(api, rules, store)
    assert [call[2]["fields"] for call in api.calls if call[0] == "update_task"] == [
        {"UF_RELEASE": "im 24.500.0, ui 3.1.0"}]


def test_tags_and_field_go_in_one_request(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, dataclasses.replace(rules, field_name="UF_RELEASE"), store)
    assert [call[2]["fields"] for call in api.calls if call[0] == "update_task"] == [
        {"tags": ["im 24.500.0"], "UF_RELEASE": "im 24.500.0"}]


def test_the_bots_tag_comes_off_when_the_chat_no_longer_names_a_release(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], tags=("im",))
    run(api, rules, store)
    api.chats[53] = [api._message("nothing to see")]
    assert run(api, rules, store).outcome == "not_found"
    assert api.tasks[53].tags == ("im",)


def test_quiet_run_records_the_index_but_posts_nothing_and_writes_no_tag(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    result = run(api, rules, store, quiet=True)
    assert result.quiet and store.tasks_in("im", "24.500.0") == [53]
    assert {name for name, *_ in api.calls} == {"get_task", "chat_page"}


def test_a_quietly_recorded_result_stays_quiet_until_it_changes(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store, quiet=True)
    run(api, rules, store)
    assert api.count("post_comment") == 0 and api.count("update_task") == 0
    hotfix(api)
    run(api, rules, store)
    assert api.count("post_comment") == 1 and api.tasks[53].tags == ("im 24.500.1",)


def test_the_result_carries_the_task_fields_the_job_already_read(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"], title="Fix unread counter", responsible_id=20294,
                 group_id=7, closed_date="2026-06-10T14:55:00+02:00")
    result = run(api, rules, store, links=Links("https://example.bitrix24.com"))
    assert result.to_json()["task"] == {
        "title": "Fix unread counter", "closedDate": "2026-06-10T14:55:00+02:00", "responsibleId": 20294,
        "groupId": 7, "tags": ["im 24.500.0"],
        "url": "https://example.bitrix24.com/company/personal/user/0/tasks/task/view/53/",
        "changedDate": api.tasks[53].changed_date}
    assert result.releases[0].message_text == "deployed in im 24.500.0"
    # the result's fields come from the first read; the second is the tags', just before they are written
    assert [name for name, *_ in api.calls] == ["get_task", "chat_page", "post_comment", "get_task",
                                                "update_task"]


def test_comment_links_each_release_to_its_page_when_public_url_is_set(api, rules, store):
    api.add_task(53, chat=["deployed in im 24.500.0"])
    run(api, rules, store, links=Links(public_url="https://bot.example.com"))
    assert "[URL=https://bot.example.com/releases/im/24.500.0]im 24.500.0[/URL]" in api.comments[53][0].text


def test_plan_keeps_the_order_of_the_tasks_tags():
    plan = plan_tags(["b", "im 1", "a"], ["im 1"], ["im 2"])
    assert (plan.tags, plan.owned, plan.changed) == (("b", "a", "im 2"), ("im 2",), True)
