import json
import logging
import os
from pathlib import Path

import fakeredis
import pytest

from infra.redis_keys import RULES_STATUS as RULES_STATUS_KEY
from releasebot.errors import ConfigError
from worker.rules_cache import RulesCache

ROOT = Path(__file__).resolve().parents[2]


def edit(path: Path, text: str | bytes) -> None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new mtime even on coarse clocks


@pytest.fixture
def rules_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text((ROOT / "rules.yaml").read_text())
    return path


def test_broken_edit_keeps_the_last_good_rules_and_says_so(rules_file, caplog):
    cache = RulesCache(str(rules_file))
    good = cache.current()
    edit(rules_file, rules_file.read_text() + "\n  - name: [broken\n")
    with caplog.at_level(logging.ERROR):
        assert cache.current() is good
    assert "rejected" in caplog.text and "rules.yaml:" in cache.status()["pendingError"]


def test_fixing_the_file_clears_the_pending_error(rules_file):
    cache = RulesCache(str(rules_file))
    original = rules_file.read_text()
    cache.current()
    edit(rules_file, original + "\n  - name: [broken\n")
    cache.current()
    edit(rules_file, original.replace("max_messages: 200", "max_messages: 100"))
    assert cache.current().max_messages == 100 and cache.status()["pendingError"] is None


def test_no_valid_rules_at_all_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no valid rules"):
        RulesCache(str(tmp_path / "missing.yaml")).current()


def test_status_is_published_for_healthz(rules_file):
    connection = fakeredis.FakeRedis()
    cache = RulesCache(str(rules_file))
    cache.current()
    cache.publish(connection)
    status = json.loads(connection.get(RULES_STATUS_KEY))
    assert status["rules"] == len(cache.current().rules) and len(status["sha256"]) == 64


def test_reverting_a_broken_edit_to_the_rules_in_force_clears_the_pending_error(rules_file):
    cache = RulesCache(str(rules_file))
    original = rules_file.read_text()
    good = cache.current()
    edit(rules_file, original + "\n  - name: [broken\n")
    cache.current()
    edit(rules_file, original)
    assert cache.current() is good and cache.status()["pendingError"] is None
def test_reverting_the_file_clears_the_pending_error(rules_file):
    cache = RulesCache(str(rules_file))
    original = rules_file.read_text()
    cache.current()
    edit(rules_file, original + "\n  - name: [broken\n")
    cache.look()
    assert cache.status()["pendingError"]
    edit(rules_file, original)
    cache.look()
    assert cache.status()["pendingError"] is None and cache.status()["checkedAt"]


def test_a_missing_rules_file_at_start_says_why_and_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match=r"(?s)cannot read the rules file.*set RULES_FILE"):
        RulesCache(str(tmp_path / "missing.yaml")).current()


def test_before_a_job_the_status_is_written_only_when_it_changed(rules_file):
    connection = fakeredis.FakeRedis()
    cache = RulesCache(str(rules_file))
    cache.current()
    cache.publish(connection)
    connection.delete(RULES_STATUS_KEY)
    cache.publish(connection, if_changed=True)
    assert connection.get(RULES_STATUS_KEY) is None
    edit(rules_file, rules_file.read_text().replace("max_messages: 200", "max_messages: 100"))
    cache.current()
    cache.publish(connection, if_changed=True)
    assert json.loads(connection.get(RULES_STATUS_KEY))["sha256"] == cache.current().sha256


def test_a_latin1_byte_is_refused_as_rules_check_refuses_it_and_healthz_says_so(rules_file, redis, client):
    cache = RulesCache(str(rules_file))
    good = cache.current()
    edit(rules_file, rules_file.read_bytes() + "# café, saved as Latin-1\n".encode("latin-1"))
    assert cache.current() is good
    cache.publish(redis)
    answer = client.get("/healthz")
    assert answer.status_code == 503 and "not UTF-8 text (byte 0xe9)" in " ".join(answer.json["problems"])
    assert answer.json["rules"]["sha256"] == good.sha256


def test_a_rules_file_turned_into_a_folder_is_refused_and_the_last_good_rules_stay(rules_file):
    cache = RulesCache(str(rules_file))
    good = cache.current()
    rules_file.unlink()
    rules_file.mkdir()
    assert cache.current() is good
    assert "not a regular file" in cache.status()["pendingError"]


def test_the_status_names_the_file_without_the_folders_above_it(rules_file):
    cache = RulesCache(str(rules_file))
    cache.current()
    edit(rules_file, rules_file.read_text() + "\n  - name: [broken\n")
    cache.look()
    status = json.dumps(cache.status())
    assert cache.status()["file"] == "rules.yaml" and "rules.yaml:" in cache.status()["pendingError"]
    assert str(rules_file.parent) not in status
