"""Editing rules.yaml under a running worker: the next job uses it; a broken edit changes nothing but a loud error."""

import re
import shutil

import requests

from releasebot.rules import load_rules
from tests.integration.conftest import ROOT, TOKEN, forget, post_event, wait_for_result
from tests.wire import task_event

# A phrase no shipped rule reads, so that only the added rule can find it, however the shipped rules grow.
PHRASE = "ZZRELEASE im=24.600.0"
NEW_RULE = """
  - name: zz-release
    pattern: 'ZZRELEASE im=(?P<version>\\d+(?:\\.\\d+)+)'
    component: im
    examples:
      - text: "ZZRELEASE im=24.600.0"
        expect: [{component: im, version: "24.600.0"}]
"""


def result_after_event(web, task_id):
    post_event(web, task_event(task_id, TOKEN))
    return wait_for_result(web, task_id)


def test_edit_takes_effect_without_restart_and_a_broken_edit_keeps_the_last_good_rules(
        processes, sim, record, tmp_path):
    rules = tmp_path / "rules.yaml"
    shutil.copy(ROOT / "rules.yaml", rules)
    web, _ = processes.web(), processes.worker(RULES_FILE=str(rules))
    shipped = len(load_rules(rules).rules)
    sim.add_message(56, PHRASE)
    assert result_after_event(web, 56)["outcome"] == "not_found"

    text = rules.read_text()
    rules.write_text(re.sub(r"(?m)^rules:.*\n", lambda m: m.group(0) + NEW_RULE.lstrip("\n"), text, count=1))
    forget(record, 56)
    assert result_after_event(web, 56)["releases"][0]["version"] == "24.600.0"

    rules.write_text(rules.read_text() + "\n  - name: [broken\n")
    forget(record, 53)
    assert result_after_event(web, 53)["outcome"] == "found"
    health = requests.get(f"{web.url}/healthz", timeout=5).json()
    assert health["rules"]["rules"] == shipped + 1 and "rules.yaml" in health["rules"]["pendingError"]
    assert "rejected" in processes.log_text()
