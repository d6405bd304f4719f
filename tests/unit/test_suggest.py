"""`rules suggest` and `rules redo` over stored results: the smallest edit per group of misses, its diff,
its example and counts; refused when it breaks an example or a shipped negative; guards only when picked."""

from pathlib import Path

import pytest

from cli import suggesting
from releasebot.candidates import as_dicts, misses_in_text
from releasebot.errors import ConfigError
from releasebot.model import Release, TaskResult
from releasebot.rules import RulesError, parse_rules
from releasebot.suggest import combined, suggest

SHIPPED = Path("rules.yaml").read_text(encoding="utf-8")
AT = "2026-06-10T12:00:00+00:00"


def not_found(rules, task_id: int, text: str, sha: str = "older rules") -> TaskResult:
    """A not_found result keeping what the worker keeps for a chat of this one message."""
    return TaskResult(task_id, "not_found", AT, extra={"candidates": as_dicts(misses_in_text(rules, text))},
                      rules_sha=sha)


def found(task_id: int, text: str, component: str, version: str) -> TaskResult:
    return TaskResult(task_id, "found", AT, releases=(Release(component, version, "shipped", 1, 1, AT, text),))


@pytest.fixture(scope="module")
def team(rules_once):
    """A team's misses: its CI 'beams' releases, a person's 'приземлился', a guard's stop, a built-in word."""
    rules = rules_once
    results = [not_found(rules, 80, "🛰 beamed search 5.1.0 to cloud-eu"),
               not_found(rules, 81, "🛰 beamed cart 1.9.0 to cloud-us"),
               not_found(rules, 82, "payments 3.3.0 приземлился, ура"),
               not_found(rules, 83, "the customer still sees it on mobile 8.2.1"),
               not_found(rules, 84, "deployed app 3.2.0"),
               not_found(rules, 85, "expected to be faster now: orders 2.0.0 is live"),
               found(90, "deployed in im 24.500.0; 🛰 beamed orders 2.0.0 too", "im", "24.500.0"),
               found(91, "deployed in im 24.500.0", "im", "24.500.0")]
    return results, suggesting.suggestions(SHIPPED, "rules.yaml", rules, results)


@pytest.fixture(scope="module")
def rules_once():
    return parse_rules(SHIPPED)


def proposal(suggestions, title_start: str):
    return next(p for p in suggestions.proposals if p.title.startswith(title_start))


def test_a_word_most_misses_share_goes_into_its_languages_evidence_list_with_a_real_example(team):
    _, found_ = team
    beamed = proposal(found_, "add the word 'beamed' to define.evidence_en")
    assert sorted(m.task_id for m in beamed.misses) == [80, 81] and not beamed.refused
    assert "+    - 'beamed'\n" in beamed.diff
    assert '+      - text: "🛰 beamed search 5.1.0 to cloud-eu"\n' in beamed.diff
    assert '+        expect: [{component: "search", version: "5.1.0"}]\n' in beamed.diff
    assert proposal(found_, "add the word 'приземлился' to define.evidence_ru").found == (82,)


def test_the_counts_name_the_tasks_found_and_every_found_task_whose_result_changes(team):
    beamed = proposal(team[1], "add the word 'beamed'")
    assert beamed.found == (80, 81)
    assert beamed.changed == ((90, "im 24.500.0 → im 24.500.0, orders 2.0.0"),)


def test_a_word_that_breaks_an_example_is_refused_with_the_failing_example(team):
    sees = proposal(team[1], "add the word 'sees'")
    assert "fails `rules check`" in sees.refused and "expected nothing, got mobile 8.2.1" in sees.refused


def test_a_word_inside_a_shipped_negative_example_is_never_proposed(rules_once):
    results = [not_found(rules_once, 80, "🛰 beamed search 5.1.0 to cloud-eu")]
    negatives = [(12, "the beamed build 5.1.0 is broken")]
    [beamed] = suggest(SHIPPED, "rules.yaml", rules_once, results, negatives).proposals
    assert beamed.refused.startswith("'beamed' appears in the shipped negative example") and "rules.yaml:12" in \
        beamed.refused


def test_a_guard_is_narrowed_only_when_picked(team):
    found_ = team[1]
    guard = proposal(found_, "guard `future`: ignore 'expected\\s+to\\s+be\\s+faster'")
    assert guard.guard == "future" and guard.found == (85,)
    assert guard not in suggesting.chosen(found_, ())
    number = found_.proposals.index(guard) + 1
    assert suggesting.chosen(found_, (number,)) == [guard]


def test_what_no_edit_answers_is_listed_with_why(team):
    [(miss, why)] = team[1].unanswered
    assert miss.task_id == 84 and "built-in list" in why


def test_write_applies_the_chosen_edits_and_the_file_passes_check(team, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    chosen = suggesting.chosen(team[1], ())
    assert [p.title.split("'")[1] for p in chosen] == ["beamed", "приземлился"]
    written = parse_rules(suggesting.write(str(path), SHIPPED, chosen))
    assert path.read_text(encoding="utf-8").count("- text:") == SHIPPED.count("- text:") + 2
    assert written.example_count == parse_rules(SHIPPED).example_count + 2


def test_write_refuses_a_change_that_breaks_an_example_and_leaves_the_file(team, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    sees = proposal(team[1], "add the word 'sees'")
    with pytest.raises(ConfigError):
        suggesting.chosen(team[1], (team[1].proposals.index(sees) + 1,))
    with pytest.raises(RulesError, match=r"expected nothing, got mobile 8\.2\.1"):
        suggesting.write(str(path), SHIPPED, [sees])
    assert path.read_text(encoding="utf-8") == SHIPPED


def test_redo_takes_the_not_found_tasks_the_rules_now_read_and_none_read_with_them(team, rules_once):
    results, found_ = team
    new = parse_rules(combined(SHIPPED, "rules.yaml", suggesting.chosen(found_, ())))
    assert suggesting.affected(new, results) == [80, 81, 82]
    again = [not_found(new, 80, "🛰 beamed search 5.1.0 to cloud-eu", sha=new.sha256), *results[1:]]
    assert suggesting.affected(new, again) == [81, 82], "a task read with these rules is not redone"
