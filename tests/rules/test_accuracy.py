"""The shipped rules on the project's corpus of real-shaped release messages (tests/data/extraction/)."""

import pytest

from releasebot.dev.accuracy import CORPUS, load_corpus, score

CASES = load_corpus(CORPUS)


@pytest.fixture(scope="module")
def scores(shipped):
    return score(shipped, CASES)


def test_the_corpus_is_big_and_mostly_hard(scores):
    negatives = sum(1 for case in CASES if not case["expect"])
    assert len(CASES) >= 300 and 0.3 <= negatives / len(CASES) <= 0.5
    assert {"lang:en", "lang:ru", "lang:mixed"} <= set(scores)


def test_the_shipped_rules_almost_never_name_a_wrong_release(scores):
    assert scores["all"].precision >= 0.98, scores["all"].wrong


def test_the_shipped_rules_find_nine_releases_in_ten(scores):
    assert scores["all"].recall >= 0.90, scores["all"].wrong


@pytest.mark.parametrize("language", ["en", "ru", "mixed"])
def test_each_language_is_read_as_well(scores, language):
    assert scores[f"lang:{language}"].precision >= 0.95 and scores[f"lang:{language}"].recall >= 0.85
