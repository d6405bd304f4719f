"""`make accuracy`: how well the rules read every labelled set, message by message and chat by chat.

Message sets (tests/data/extraction/*.yaml) hold cases {id, lang, category, text, expect}. A pair is a true
positive when the rules name exactly that component and version; precision and recall are counted over pairs,
and a message is exact when the rules name exactly its expected pairs (nothing, for a negative).

Chat sets (tests/data/chats/*.yaml) hold whole chats {id, lang, note, messages (oldest first, each {author,
text}), expect}: what the bot must post when the task closes. A chat is exact when the chat scan (the worker's
own, newest first) names exactly the expected releases, and *wrong* when it names any release not expected —
the worst outcome, a wrong comment on the task.

Each set may declare its floor (`goal: {precision: …, recall: …}` or, for chats, `goal: {exact: …}`); the
run fails below a floor, and on any chat with a wrong release.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from releasebot.extract import extract_releases
from releasebot.model import Message
from releasebot.rules import Rules, load_rules, read
from releasebot.rules.vocabulary import canonical_component

ROOT = Path(__file__).resolve().parents[2]
MESSAGE_SETS = ROOT / "tests" / "data" / "extraction"
CHAT_SETS = ROOT / "tests" / "data" / "chats"
CORPUS = MESSAGE_SETS / "corpus.yaml"
SYSTEM_AUTHOR = "system"


@dataclass
class Score:
    """Pair counts and exact messages for one slice of a message set."""

    true: int = 0
    false: int = 0
    missed: int = 0
    messages: int = 0
    exact: int = 0
    wrong: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of the pairs named that were right (1.0 when none were named)."""
        return self.true / (self.true + self.false) if self.true + self.false else 1.0

    @property
    def recall(self) -> float:
        """Share of the expected pairs that were named (1.0 when none were expected)."""
        return self.true / (self.true + self.missed) if self.true + self.missed else 1.0

    def add(self, case: dict, got: set[tuple[str, str]]) -> None:
        """Count one case."""
        expected = expected_pairs(case)
        self.true += len(got & expected)
        self.false += len(got - expected)
        self.missed += len(expected - got)
        self.messages += 1
        self.exact += got == expected
        if got != expected:
            self.wrong.append((case["id"], sorted(expected), sorted(got)))


@dataclass
class ChatScore:
    """Exact chats, and the chats whose comment would name a release that did not ship the task."""

    chats: int = 0
    exact: int = 0
    wrong: list = field(default_factory=list)  # (id, expected, got) of chats with a wrong release
    missed: list = field(default_factory=list)  # (id, expected, got) of chats short of a release

    def add(self, chat: dict, got: set[tuple[str, str]]) -> None:
        """Count one chat."""
        expected = expected_pairs(chat)
        self.chats += 1
        self.exact += got == expected
        row = (chat["id"], sorted(expected), sorted(got))
        if got - expected:
            self.wrong.append(row)
        elif got != expected:
            self.missed.append(row)


def expected_pairs(case: dict) -> set[tuple[str, str]]:
    """The expected (component, version) pairs, the component as the index keeps it."""
    return {(canonical_component(str(pair["component"])), str(pair["version"])) for pair in case["expect"]}


def load_set(path: Path) -> dict:
    """A labelled set: its cases or chats, and its goal."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def load_corpus(path: Path = CORPUS) -> list[dict]:
    """A message set's cases."""
    return load_set(path)["cases"]


def score(rules: Rules, cases: list[dict]) -> dict[str, Score]:
    """Scores for everything ("all"), per category ("category:x") and per language ("lang:en")."""
    scores: dict[str, Score] = defaultdict(Score)
    for case in cases:
        got = {(match.component, match.version) for match in read(rules, case["text"]).matches}
        for key in ("all", f"category:{case['category']}", f"lang:{case['lang']}"):
            scores[key].add(case, got)
    return scores


def chat_messages(chat: dict) -> list[Message]:
    """A labelled chat as the API would give it: messages newest first, each author a stable id."""
    authors: dict[str, int] = {}
    messages = []
    for number, item in enumerate(chat["messages"], 1):
        author = str(item["author"])
        author_id = 0 if author == SYSTEM_AUTHOR else authors.setdefault(author, 100 + len(authors))
        stamp = f"2026-01-01T{number // 3600:02d}:{number // 60 % 60:02d}:{number % 60:02d}+00:00"
        messages.append(Message(number, author_id, str(item["text"]), stamp, author == SYSTEM_AUTHOR))
    return messages[::-1]


def score_chats(rules: Rules, chats: list[dict]) -> ChatScore:
    """How the chat scan reads each whole chat."""
    result = ChatScore()
    for chat in chats:
        releases = extract_releases(rules, chat_messages(chat))
        result.add(chat, {(release.component, release.version) for release in releases})
    return result


def report(scores: dict[str, Score], show_wrong: bool) -> str:
    """A table of precision, recall and exact-message rate per slice, and the wrong cases if asked."""
    lines = [f"{'slice':<24} {'messages':>8} {'precision':>9} {'recall':>7} {'exact':>6}"]
    for key in sorted(scores, key=lambda k: (k != "all", k)):
        item = scores[key]
        lines.append(f"{key:<24} {item.messages:>8} {item.precision:>9.3f} {item.recall:>7.3f} "
                     f"{item.exact / item.messages:>6.3f}")
    if show_wrong:
        lines += [f"  {case}: expected {expected}, got {got}" for case, expected, got in scores["all"].wrong]
    return "\n".join(lines)


def chat_report(result: ChatScore, show_wrong: bool) -> str:
    """Exact chats and wrong releases; each wrong chat always, each missed one if asked."""
    lines = [f"chats {result.chats}, exact {result.exact} ({result.exact / max(result.chats, 1):.3f}), "
             f"with a wrong release {len(result.wrong)}"]
    lines += [f"  WRONG {chat}: expected {expected}, got {got}" for chat, expected, got in result.wrong]
    if show_wrong:
        lines += [f"  missed {chat}: expected {expected}, got {got}" for chat, expected, got in result.missed]
    return "\n".join(lines)


def check_set(rules: Rules, path: Path, show_wrong: bool, by_slice: bool) -> tuple[str, list[str]]:
    """The report of one set and the goals it falls short of."""
    data = load_set(path)
    goal = data.get("goal") or {}
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if "chats" in data:
        result = score_chats(rules, data["chats"])
        failures = [f"{name}: {len(result.wrong)} chat(s) with a wrong release"] if result.wrong else []
        if result.exact / max(result.chats, 1) < goal.get("exact", 0):
            failures.append(f"{name}: exact chats below {goal['exact']}")
        return f"== {name}\n{chat_report(result, show_wrong)}", failures
    scores = score(rules, data["cases"])
    overall = scores["all"]
    text = report(scores if by_slice else {"all": overall}, show_wrong)
    failures = [f"{name}: {what} {getattr(overall, what):.3f} below {goal[what]}"
                for what in ("precision", "recall") if getattr(overall, what) < goal.get(what, 0)]
    return f"== {name}\n{text}", failures


def every_set() -> list[Path]:
    """Every labelled set in the repository: message sets, then chat sets."""
    return sorted(MESSAGE_SETS.glob("*.yaml")) + sorted(CHAT_SETS.glob("*.yaml"))


def main(argv: list[str] | None = None) -> int:
    """Print the reports; exit 1 below a set's goal or on any chat with a wrong release."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", default=str(ROOT / "rules.yaml"))
    parser.add_argument("--corpus", action="append", help="a message or chat set (repeatable); default: every set")
    parser.add_argument("--wrong", action="store_true", help="list every case or chat read wrongly")
    args = parser.parse_args(argv)
    rules = load_rules(args.rules)
    paths = [Path(path).resolve() for path in args.corpus] if args.corpus else every_set()
    failures: list[str] = []
    for path in paths:
        text, failed = check_set(rules, path, args.wrong, by_slice=bool(args.corpus))
        print(text)
        failures += failed
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
