"""A hostile rules file is refused quickly and briefly: no alias bombs, no endless files, no huge reports."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from releasebot.normalize import MAX_TEXT
from releasebot.rules import RulesError, check_rules, load_rules, parse_rules, read
from releasebot.rules.load import MAX_PROBLEMS, MAX_RULES_BYTES
from worker.rules_cache import RulesCache

ROOT = Path(__file__).resolve().parents[2]


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["deployed in im 1.0", "deployed in im 1.0", "deployed in im 1.0", "deployed in im 1.0"]']
    lines += [f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]"
              for n in range(1, levels)]
    return "\n".join(lines) + f"\nversion: 1\nrules: *a{levels - 1}\n"


def finishes(call, seconds: float = 5.0):
    """What `call` returns or raises, failing the test (not hanging it) when it takes longer than `seconds`."""
    outcome = {}

    def target():
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_an_alias_bomb_is_refused_at_once_with_a_short_report():
    started = time.monotonic()
    problems = check_rules(alias_bomb(), "bomb.yaml")
    assert time.monotonic() - started < 1
    assert "aliases are not allowed" in problems[0].message and problems[0].line == 2
    assert len("\n".join(map(str, problems))) < 2000


def test_a_rules_file_over_the_size_cap_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text((ROOT / "rules.yaml").read_text() + "#" * MAX_RULES_BYTES)
    with pytest.raises(RulesError, match=f"over {MAX_RULES_BYTES // 1024} KB"):
        load_rules(path)


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_a_pipe_or_a_device_as_the_rules_file_is_refused_without_reading_it(tmp_path, make):
    path = "/dev/zero" if make == "device" else tmp_path / "rules.fifo"
    if make == "fifo":
        os.mkfifo(path)
    with pytest.raises(RulesError, match="not a regular file"):
        finishes(lambda: load_rules(path))
    cache = RulesCache(str(path))
    with pytest.raises(Exception, match="not a regular file"):
        finishes(cache.current)


def test_a_file_with_thousands_of_problems_reports_a_bounded_number():
    rules = "".join(f"  - name: r{n}\n    pattern: '(?P<verison>x)'\n" for n in range(150))
    problems = check_rules(f"version: 1\nrules:\n{rules}", "many.yaml")
    assert len(problems) == MAX_PROBLEMS + 1 and problems[-1].message.startswith("and ")


WORDS = ["".join(random.Random(n).choices("abcdefghij", k=6)) for n in range(1000)]


def largest_alternation_rules() -> str:
    """As many rules of 1,000-word alternations as the size cap lets in."""
    words = WORDS
    rule = "  - name: r{n}\n    pattern: '(?P<component>" + "|".join(words) + ") (?P<version>\\d+\\.\\d+)'\n"
    text, n = "version: 1\nrules:\n", 0
    while len(text) + len(rule) < MAX_RULES_BYTES:
        text, n = text + rule.format(n=n), n + 1
    return text


def test_the_largest_rules_allowed_match_the_longest_message_read_in_well_under_a_second():
    rules = parse_rules(largest_alternation_rules(), "big.yaml")
    message = " ".join(f"{word} y" for word in WORDS * 2)[:MAX_TEXT]
    started = time.monotonic()
    read(rules, message)
    assert time.monotonic() - started < 1.5
