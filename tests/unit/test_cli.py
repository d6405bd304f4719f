"""The `releasebot` command line as a user meets it: its help, its exit codes, its errors, the rules tools.

Commands that need Redis and the portal run as real processes in tests/integration/test_cli.py.
"""

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "rules.yaml")
README_COMMANDS = (ROOT / "README.md").read_text().split("\n## Commands\n")[1].split("\n## ")[0]


def releasebot(*args: str, **kw) -> click.testing.Result:
    """The command line `releasebot ARGS...`; an exception the command did not mean to raise fails the test."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def commands(group: click.Group = cli, name: str = "releasebot") -> dict[str, click.Command]:
    """Every command and group by its command line, e.g. "releasebot rules test"."""
    found = {name: group}
    for word, command in group.commands.items():
        found |= commands(command, f"{name} {word}") if isinstance(command, click.Group) else {
            f"{name} {word}": command}
    return found


def readme_rows() -> dict[str, str]:
    """The first cell of each row of the README's Commands table, by its command line."""
    cells = [line.split(" | ")[0] for line in README_COMMANDS.splitlines() if line.startswith("| `releasebot")]
    return {re.match(r"\| `(releasebot(?: [a-z]+)*)", cell).group(1): cell for cell in cells}


def test_help_lists_the_commands_and_the_exit_codes():
    done = releasebot("--help")
    assert done.exit_code == 0 and all(f"\n  {name} " in done.stdout for name in cli.commands)
    assert all(line in done.stdout for line in ("Exit codes:", "0  a release was found", "1  nothing was found",
                                                "2  a wrong command line"))


@pytest.mark.parametrize("name", commands())
def test_every_command_says_what_it_does_and_every_option_what_it_is_for(name):
    command = commands()[name]
    assert command.help
    assert [param.name for param in command.params if isinstance(param, click.Option) and not param.help] == []


@pytest.mark.parametrize("name", readme_rows())
def test_each_command_in_the_readme_takes_the_options_it_lists(name):
    command = commands()[name]
    accepted = {option for param in command.params for option in (*param.opts, *param.secondary_opts)}
    assert set(re.findall(r"--[a-z][a-z-]*", readme_rows()[name])) <= accepted


def test_sim_help_says_where_the_api_and_its_control_api_are_served():
    out = releasebot("sim", "--help").stdout
    assert all(part in out for part in ("--host HOST", "--port PORT", "http://HOST:PORT/v1", "/_sim/faults"))


@pytest.mark.parametrize("args, problem", [
    (["rules", "test", RULES, "--text", "x", "--task", "3"], "give exactly one of --text, --task or --jsonl"),
    (["rules", "test", RULES], "give exactly one of --text, --task or --jsonl"),
    (["process", "0"], "0 is not in the range x>=1"),
    (["backfill"], "Missing option '--since'"),
    (["backfill", "--since", "yesterday"], "not a date: 'yesterday' (use YYYY-MM-DD or ISO 8601)"),
    (["deploy"], "No such command 'deploy'"),
])
def test_a_wrong_command_line_exits_2_and_says_what_is_wrong(args, problem):
    done = releasebot(*args)
    assert done.exit_code == 2 and problem in done.stderr and done.stdout == ""


@pytest.mark.parametrize("args", [["rules", "check"], ["rules", "test", "--text", "deployed in im 24.500.0"]])
def test_a_missing_rules_file_says_why_and_what_to_do(args, tmp_path):
    done = releasebot(*args[:2], str(tmp_path / "missing.yaml"), *args[2:])
    assert done.exit_code == 1 and done.stdout == ""
    assert all(part in done.stderr for part in ("cannot read the rules file", "No such file", "set RULES_FILE"))


def test_an_unreadable_jsonl_file_is_one_line_on_stderr(tmp_path):
    done = releasebot("rules", "test", RULES, "--jsonl", str(tmp_path / "export.jsonl"))
    assert done.exit_code == 1
    assert done.stderr == f"releasebot: cannot read {tmp_path / 'export.jsonl'}: No such file or directory\n"


def test_jsonl_answers_each_line_in_order_and_marks_a_line_that_is_not_a_text():
    lines = ['{"text": "deployed in im 24.500.0"}', "not json", '{"text": "will deploy tomorrow"}']
    done = releasebot("rules", "test", RULES, "--jsonl", "-", input="\n".join(lines) + "\n")
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.exit_code == 0 and len(results) == 3
    assert results[0]["releases"] == [{"component": "im", "version": "24.500.0", "rule": "shipped"}]
    assert results[1] == {"line": 2, "error": 'not a JSON object with a "text" string'}
    assert results[2]["releases"] == []


def test_json_prints_the_result_of_a_text_and_exits_1_when_nothing_is_found():
    done = releasebot("rules", "test", RULES, "--text", "will deploy tomorrow", "--json")
    assert done.exit_code == 1 and json.loads(done.stdout)["releases"] == []


def test_explain_shows_each_rule_as_written_and_expanded_before_the_result():
    done = releasebot("rules", "test", RULES, "--text", "deployed in im 24.500.0", "--explain")
    explained, result = done.stdout.split("text as the rules read it:")
    assert done.exit_code == 0 and explained.startswith("rule shipped:\n  pattern:  ") and "expanded: " in explained
    assert "im 24.500.0  rule shipped" in result


def test_explain_ends_with_every_pair_not_counted_and_why():
    done = releasebot("rules", "test", RULES, "--text", "ui 3.2.0 приземлился, ура. Deployed app 3.3.0",
                      "--explain")
    missed = done.stdout.split("not counted:\n", 1)[1]
    assert done.exit_code == 1 and missed.splitlines() == [
        "  ui 3.2.0 not counted: no word for 'shipped' the rules know",
        "    | [ui 3.2.0] приземлился, ура.",
        "  app 3.3.0 not counted: `app` is on the built-in list of words that are never a component",
        "    | Deployed [app 3.3.0]"]



@pytest.mark.parametrize("args", [["rules", "check"], ["rules", "test", "--text", "deployed in im 24.500.0"]])
def test_a_rules_file_that_is_a_folder_is_one_clear_problem(args, tmp_path):
    done = releasebot(*args[:2], str(tmp_path), *args[2:])
    assert done.exit_code == 1 and done.stdout == ""
    assert f"{tmp_path}: the rules file is not a regular file (a pipe, device or folder)\n" in done.stderr
