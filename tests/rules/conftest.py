from pathlib import Path

import pytest

from releasebot.rules import load_rules, parse_rules

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_RULES = ROOT / "rules.yaml"
SAMPLES = ROOT / "tests" / "data" / "rules"


@pytest.fixture(scope="session")
def shipped():
    return load_rules(SHIPPED_RULES)


def rules_from(body: str, **top):
    """Rules from a `rules:` body (YAML), with optional top-level sections."""
    extra = "".join(f"{key}: {value}\n" for key, value in top.items())
    return parse_rules(f"version: 1\n{extra}rules:\n{body}")
