"""The misses a person sees: each pair a chat holds that the rules did not count, with why, in words."""

from pathlib import Path

import pytest

from releasebot.candidates import MAX_CANDIDATES, MAX_CLAUSE, Candidate, misses, misses_in_text
from releasebot.extract import ReleaseScan
from releasebot.model import Message
from releasebot.rules import parse_rules
from tests.unit.job_runs import run

SHIPPED = Path("rules.yaml").read_text(encoding="utf-8")


def chat(*texts: str) -> list[Message]:
    """Messages 1, 2, … in order of writing, returned newest first as the chat is read."""
    return [Message(i, 20294, text, f"2026-06-1{i}T10:00:00+02:00") for i, text in enumerate(texts, 1)][::-1]


def chat_misses(rules, *texts: str) -> list[Candidate]:
    messages = chat(*texts)
    scan = ReleaseScan(rules)
    scan.feed(messages)
    return misses(rules, scan, messages)


def only(found: list[Candidate]) -> Candidate:
    assert len(found) == 1, found
    return found[0]


def test_a_pair_without_a_word_for_shipped_says_so_with_the_pair_in_its_clause(rules):
    found = only(misses_in_text(rules, "Thanks all! payments 3.3.0 приземлился, ура."))
    assert (found.component, found.version, found.kind) == ("payments", "3.3.0", "no_rule")
    assert found.reason == "no word for 'shipped' the rules know"
    assert found.pair == "payments 3.3.0" and found.clause == "Thanks all! ¦ payments 3.3.0 приземлился, ура."
    assert found.after == "приземлился"


def test_a_guard_names_itself_and_its_cue(rules):
    found = only(misses_in_text(rules, "will be deployed in im 24.500.0"))
    assert found.kind == "guard" and found.reason == "stopped by guard `future` (cue 'will')"
    assert (found.guard, found.cue) == ("future", "will")


def test_a_component_in_not_components_says_so(rules):
    mine = parse_rules(SHIPPED.replace("not_components: [hotfix,", "not_components: [widgets, hotfix,"))
    found = only(misses_in_text(mine, "deployed widgets 2.0.1"))
    assert found.kind == "not_component" and found.reason == "component `widgets` is in not_components"


def test_a_built_in_never_component_used_as_a_name_says_so(rules):
    assert only(misses_in_text(rules, "deployed app 3.2.0")).reason == \
        "`app` is on the built-in list of words that are never a component"


def test_a_quoted_announcement_is_inside_a_quote(rules):
    found = only(misses_in_text(rules, "[QUOTE]deployed in ui 3.1.0[/QUOTE]great, thanks"))
    assert found.kind == "quoted" and found.reason == "inside a quote: quoted text never counts"


def test_a_deploy_rolled_back_later_is_withdrawn_by_that_message(rules):
    found = only(chat_misses(rules, "Выкатили sale 24.300.5 на прод.", "Заказы не проходят!",
                             "Откатили sale 24.300.5, ищем причину."))
    assert (found.message_id, found.kind) == (1, "withdrawn")
    assert found.reason == "withdrawn by a later rollback (#3)"


def test_what_is_no_pair_or_is_counted_is_no_miss(rules):
    assert misses_in_text(rules, "deployed to prod at 09.15, the 2.5 MB limit stays") == []
    assert misses_in_text(rules, "deployed in im 24.500.0") == []
    assert chat_misses(rules, "deployed in crm 24.300.1", "Correction: it went out in crm 24.300.2, not 24.300.1") \
        == []


def test_a_task_keeps_its_newest_misses_only_each_clause_cut_around_its_pair(rules):
    long = "x " * 400 + "orders 4.2.0 hit the fleet " + "y " * 400
    found = chat_misses(rules, *(f"search 5.{n}.0 beamed to the cloud" for n in range(8)), long)
    assert len(found) == MAX_CANDIDATES and [c.message_id for c in found] == [9, 8, 7, 6, 5]
    assert len(found[0].clause) <= MAX_CLAUSE and found[0].pair == "orders 4.2.0"


@pytest.mark.parametrize("text", ["will be deployed in im 24.500.0", "payments 3.3.0 приземлился, ура"])
def test_a_candidate_survives_the_result_json(rules, text):
    found = only(misses_in_text(rules, text))
    assert Candidate.from_json(found.to_json()) == found


def test_a_not_found_result_keeps_its_candidates(api, rules, store):
    api.add_task(53, chat=["looks good", "🛰 beamed search 5.1.0 to cloud-eu"])
    result = run(api, rules, store)
    assert result.outcome == "not_found"
    [kept] = store.get(53).to_json()["candidates"]
    assert kept["component"] == "search" and kept["reason"] == "no word for 'shipped' the rules know"
    assert kept["clause"][kept["pairStart"]:kept["pairEnd"]] == "search 5.1.0"
    assert kept["messageId"] == api.chats[53][-1].id


def test_a_found_result_keeps_no_candidates(api, rules, store):
    api.add_task(53, chat=["will be deployed in ui 3.1.0", "deployed in im 24.500.0"])
    assert "candidates" not in run(api, rules, store).to_json()
