"""`make accuracy`: how well the rules read a corpus of single messages, per category and language.

The corpus (tests/data/extraction/corpus.yaml) holds cases {id, lang, category, text, expect}. A pair is a
true positive when the rules name exactly that component and version; precision and recall are counted over
pairs, and a message is exact when the rules name exactly its expected pairs (nothing, for a negative).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from releasebot.rules import Rules, load_rules, read

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "extraction" / "corpus.yaml"


@dataclass
class Score:
    """Pair counts and exact messages for one slice of the corpus."""

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
        expected = {(pair["component"].lower(), str(pair["version"])) for pair in case["expect"]}
        self.true += len(got & expected)
        self.false += len(got - expected)
        self.missed += len(expected - got)
        self.messages += 1
        self.exact += got == expected
        if got != expected:
            self.wrong.append((case["id"], sorted(expected), sorted(got)))


def load_corpus(path: Path = CORPUS) -> list[dict]:
    """The corpus cases."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["cases"]


def score(rules: Rules, cases: list[dict]) -> dict[str, Score]:
    """Scores for everything ("all"), per category ("category:x") and per language ("lang:en")."""
    scores: dict[str, Score] = defaultdict(Score)
    for case in cases:
        got = {(match.component, match.version) for match in read(rules, case["text"]).matches}
        for key in ("all", f"category:{case['category']}", f"lang:{case['lang']}"):
            scores[key].add(case, got)
    return scores


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


def main(argv: list[str] | None = None) -> int:
    """Print the report; exit 1 below the precision and recall goals."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", default=str(ROOT / "rules.yaml"))
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--wrong", action="store_true", help="list every case read wrongly")
    args = parser.parse_args(argv)
    scores = score(load_rules(args.rules), load_corpus(Path(args.corpus)))
    print(report(scores, args.wrong))
    overall = scores["all"]
    return 0 if overall.precision >= 0.98 and overall.recall >= 0.90 else 1


if __name__ == "__main__":
    sys.exit(main())
