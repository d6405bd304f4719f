"""Releases from a chat read newest first: newest message wins per component, within max_messages."""

from releasebot.comment import marker
from releasebot.extract import ReleaseScan, explain, extract_releases
from releasebot.model import Message, Release
from releasebot.rules import Rule, Rules

DEPLOYED = r"(?i)deployed (?:in|to) (?P<component>[a-z]+) (?P<version>\d+(?:\.\d+)+)"
RULES = Rules((Rule("deployed-in", DEPLOYED),), max_messages=3)
OWN = f"[B]Shipped in:[/B] im 24.400.0\n[I]{marker([])}[/I] deployed in im 24.400.0"


def message(id, text, is_system=False):
    at = f"2026-06-10T14:{id:02}:00+02:00"
    return Message(id=id, author_id=0 if is_system else 20294, text=text, created_at=at, is_system=is_system)


def pairs(releases):
    return [(r.component, r.version) for r in releases]


def test_newest_message_naming_a_component_wins():
    chat = [message(9, "deployed in im 24.500.0"), message(8, "deployed in im 24.400.0")]
    assert extract_releases(RULES, chat) == (
        Release("im", "24.500.0", "deployed-in", 9, 20294, "2026-06-10T14:09:00+02:00"),)


def test_several_components_in_one_message_are_all_found():
    chat = [message(9, "deployed to im 24.500.0"), message(8, "deployed in ui 3.1.0 then deployed in im 1.0")]
    assert pairs(extract_releases(RULES, chat)) == [("im", "24.500.0"), ("ui", "3.1.0")]


def test_system_messages_are_never_matched_and_not_counted():
    chat = [message(n, "deployed in im 9.9.9", is_system=True) for n in range(10, 20)]
    scan = ReleaseScan(RULES)
    scan.feed([*chat, message(9, "deployed in im 24.500.0")])
    assert pairs(scan.releases) == [("im", "24.500.0")] and scan.remaining == 2


def test_bots_own_comment_is_never_matched_and_takes_no_place_in_the_window():
    scan = ReleaseScan(RULES)
    scan.feed([message(9, OWN), message(8, "deployed in ui 3.1.0")])
    assert pairs(scan.releases) == [("ui", "3.1.0")] and scan.remaining == 2 and [m.id for m in scan.own] == [9]


def test_a_full_window_of_human_messages_is_read_past_the_bots_comments():
    chat = [message(9, OWN), message(8, "ok"), message(7, OWN), message(6, "thanks"), message(5, "deployed in im 1.0")]
    assert pairs(extract_releases(RULES, chat)) == [("im", "1.0")]


def test_a_person_quoting_the_bots_comment_is_read_as_a_person():
    text = f"[QUOTE]{OWN}[/QUOTE]wrong, it was deployed in crm 24.300.2"
    assert pairs(extract_releases(RULES, [message(9, text)])) == [("crm", "24.300.2")]


def test_quoted_release_is_never_matched():
    chat = [message(9, "[quote]deployed in im 24.500.0[/quote] no!"), message(8, ">>deployed in ui 3.1.0")]
    assert extract_releases(RULES, chat) == ()


def test_exactly_max_messages_are_read_and_the_next_is_ignored():
    scan = ReleaseScan(RULES)
    scan.feed([message(9, "ok"), message(8, "ok"), message(7, "deployed in im 1.0")])
    assert (scan.wants_more, scan.remaining, pairs(scan.releases)) == (False, 0, [("im", "1.0")])
    scan.feed([message(6, "deployed in ui 2.0")])
    assert pairs(scan.releases) == [("im", "1.0")]


def test_scan_reads_page_after_page_until_it_has_enough():
    scan = ReleaseScan(RULES)
    scan.feed([message(9, "ok"), message(8, "system", is_system=True)])
    assert scan.wants_more and scan.remaining == 2
    scan.feed([message(7, "deployed in im 1.0"), message(6, "ok"), message(5, "deployed in ui 2.0")])
    assert pairs(scan.releases) == [("im", "1.0")] and not scan.wants_more


def test_explain_says_why_a_message_is_skipped():
    system = explain(RULES, message(1, "deployed in im 1.0", is_system=True))
    assert system.verdict == "skipped: system message"
    assert explain(RULES, message(1, OWN)).verdict == "skipped: the bot's own comment"
    quoted = explain(RULES, message(1, "[quote]deployed in im 1.0[/quote]"))
    assert quoted.skipped == "quoted text only"
    assert quoted.verdict.endswith("(the quoted text names im 1.0, but quotes never count)")


def test_explain_names_each_match_and_its_rule_or_says_no_match():
    assert explain(RULES, message(1, "deployed in im 1.0")).verdict == "im 1.0 (rule deployed-in)"
    assert explain(RULES, message(1, "will deploy tomorrow")).verdict == "no match"
