"""The text `releasebot rules check` and `releasebot rules test` print, and the exit code they end on."""

from pathlib import Path

from click.testing import CliRunner

from cli import cli
from cli.reports import check_report, messages_report, text_report
from releasebot.model import Message
from tests.rules.conftest import SAMPLES, SHIPPED_RULES

ROOT = Path(__file__).resolve().parents[2]


def rules_test(path: Path, *args: str):
    """`releasebot rules test PATH ARGS...` as a user runs it."""
    return CliRunner().invoke(cli, ["rules", "test", str(path), *args])


def test_check_of_a_good_file_is_one_summary_line(shipped):
    code, text = check_report(SHIPPED_RULES)
    rules, examples = len(shipped.rules), shipped.example_count
    assert (code, text) == (0, f"{SHIPPED_RULES}: OK — {rules} rules, {examples} examples passed")


def test_check_of_a_broken_file_lists_each_problem_as_file_line_message():
    path = SAMPLES / "group_typo.yaml"
    code, text = check_report(path)
    assert code == 1
    assert text.splitlines()[0] == f"{path}:7: rules[0].pattern: unknown group (?P<verison>…)"


def test_text_test_shows_normalized_text_and_what_each_rule_extracts(shipped):
    code, text = text_report(shipped, "[B]deployed[/B] in im 24.500.0 and ui 3.1.0")
    assert code == 0
    assert text.splitlines() == ["text as the rules read it:", "  | deployed in im 24.500.0 and ui 3.1.0",
                                 "im 24.500.0  rule shipped", "ui 3.1.0     rule shipped"]


def test_text_test_says_when_nothing_matches_and_why(shipped):
    assert text_report(shipped, "will deploy tomorrow") == (
        1, "text as the rules read it:\n  | will deploy tomorrow\nno match")
    code, text = text_report(shipped, ">>deployed in im 24.500.0")
    assert code == 1 and text.endswith("skipped: quoted text only (the quoted text names im 24.500.0, "
                                       "but quotes never count)")


def test_text_test_with_a_broken_file_shows_its_problems():
    done = rules_test(SAMPLES / "no_component.yaml", "--text", "deployed in im 24.500.0")
    assert done.exit_code == 1 and ":7: rules[0].pattern: no (?P<component>…) group" in done.stderr


def test_messages_report_explains_each_message_and_the_result(shipped):
    chat = [Message(5, 1, "thanks!", "t5"), Message(4, 0, "Task completed", "t4", is_system=True),
            Message(3, 2, "deployed in im 24.500.0", "t3"), Message(2, 2, "deployed in im 24.400.0", "t2")]
    assert messages_report(shipped, chat).splitlines() == [
        "#5 t5 by 1: no match", "#4 t4 by 0: skipped: system message",
        "#3 t3 by 2: im 24.500.0 (rule shipped)", "#2 t2 by 2: im 24.400.0 (rule shipped)",
        "result: im 24.500.0 (message #3)"]


def test_messages_report_marks_messages_past_max_messages(shipped):
    chat = [Message(n, 1, "ok", f"t{n}") for n in range(300, 99, -1)]
    lines = messages_report(shipped, chat).splitlines()
    assert lines[199].endswith("no match") and "not read" in lines[200]
    assert lines[-1] == "result: nothing found"


def test_check_warns_of_a_rule_without_examples_and_of_a_word_edge_next_to_cyrillic(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nrules:\n  - name: ru\n"
                    "    pattern: '\\bвыложено в (?P<component>[a-z]+) (?P<version>\\d+(?:\\.\\d+)+)'\n")
    code, text = check_report(path)
    warnings = [line for line in text.splitlines() if ": warning: " in line]
    assert code == 0 and len(warnings) == 2 and all(line.startswith(f"{path}:3: ") for line in warnings)
    assert "no examples" in warnings[0] and "Cyrillic" in warnings[1]


def test_check_of_the_shipped_rules_has_nothing_to_warn_about():
    code, text = check_report(ROOT / "rules.yaml")
    assert code == 0 and len(text.splitlines()) == 1 and ": OK — " in text


def test_rules_test_still_tries_a_file_whose_examples_fail_and_says_so():
    done = rules_test(SAMPLES / "failing_example.yaml", "--text", "will be deployed in im 24.500.0")
    assert done.exit_code == 0 and done.stderr.startswith("warning: the rules' examples fail")
    assert "im 24.500.0  rule deployed-in" in done.stdout


def test_rules_test_still_tries_a_file_whose_guard_examples_fail_as_it_does_for_rule_examples():
    done = rules_test(SAMPLES / "guard_example_fails.yaml", "--text", "deployed in im 24.500.0")
    assert done.exit_code == 0 and done.stderr.startswith("warning: the rules' examples fail")
    assert "guards[0].stops: the guard finds no cue" in done.stderr
    assert "im 24.500.0  rule deployed" in done.stdout


def test_rules_test_refuses_a_file_broken_beyond_its_examples():
    done = rules_test(SAMPLES / "group_typo.yaml", "--text", "deployed in im 24.500.0")
    assert done.exit_code == 1 and "unknown group" in done.stderr and done.stdout == ""
