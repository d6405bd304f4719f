"""Any text, however hostile, is read without an error, and what it names is bounded and well-formed."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasebot.rules import load_rules, read
from tests.rules.conftest import SHIPPED_RULES

RULES = load_rules(SHIPPED_RULES)
PIECES = st.sampled_from([
    "deployed in ", "im ", "24.500.0", " and ", "v", "@", "/", ":", "[QUOTE]", "[/QUOTE]", "[S]", "[*]", "[LIST]",
    "\n", " ", "?", "not ", "rolled back ", "выкатили ", "на прод", "Service: ", "Version: ", "|", "(", ")", "✅",
    "\u00a0", "\u200b", "—", "**", "`", "~~", ">>", "-----", "1.", "9" * 30, "a" * 70, ".0",
])
VERSION = re.compile(r"\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.+-]+)?")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=60).map("".join) | st.text(max_size=400))
def test_any_text_is_read_and_what_it_names_is_well_formed(text):
    reading = read(RULES, text)
    for match in reading.matches:
        assert 0 < len(match.component) <= 64 and match.component == match.component.lower()
        assert len(match.version) <= 64 and VERSION.fullmatch(match.version)
    assert len(reading.matches) <= 50
