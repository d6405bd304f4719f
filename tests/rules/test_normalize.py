"""Message text as a reader sees it: BB-codes reduced to text, quoted text gone, in linear time."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasebot.normalize import plain_text

BITRIX_QUOTE = (
    "------------------------------------------------------\n"
    "Ivan Petrov [10.06.2026 14:51]\n"
    "deployed in im 24.400.0\n"
    "------------------------------------------------------\n"
)


@pytest.mark.parametrize(("text", "plain"), [
    ("[b]deployed[/b] in [I]im[/I] 24.500.0", "deployed in im 24.500.0"),
    ("[URL=https://portal.example/im]im 24.500.0[/URL]", "im 24.500.0"),
    ("[url]https://portal.example/im[/url]", "https://portal.example/im"),
    ("[USER=20294]Anna Smirnova[/USER], deployed", "Anna Smirnova, deployed"),
    ("deployed[br]in im 24.500.0[BR]", "deployed\nin im 24.500.0\n"),
    ("[size=14][color=#ff0000]im 24.500.0[/color][/size]", "im 24.500.0"),
    ("see [img width=100]https://x.example/a.png[/img]log", "see log"),
    ("file [disk=123] in chat [chat=45]", "file  in chat "),
    ("[code]deployed in [b]im[/b] 24.500.0[/code]", "deployed in [b]im[/b] 24.500.0"),
    ("[WIP] in [im 24.500.0] done", "[WIP] in [im 24.500.0] done"),
    ("[b]unclosed bold and [code]unclosed code", "unclosed bold and unclosed code"),
])
def test_bb_codes_are_reduced_to_their_text(text, plain):
    assert plain_text(text) == plain


@pytest.mark.parametrize(("text", "plain"), [
    (">>deployed in im 24.400.0\nthat was wrong", "that was wrong"),
    ("  >> deployed in im 24.400.0\nok", "ok"),
    (f"{BITRIX_QUOTE}no, deployed in im 24.500.0", "no, deployed in im 24.500.0"),
    ("[quote]deployed in im 24.400.0[/quote]thanks", "\nthanks"),
    ("[QUOTE]outer [quote]inner[/quote] still outer[/QUOTE]after", "\nafter"),
    ("before[quote]never closed, deployed in im 1.0", "before"),
    ("stray[/quote] closing tag", "stray closing tag"),
    ("[quote]deployed in [b]im[/b] 1.0[/quote][b]deployed[/b]", "\ndeployed"),
    ("im[quote]x[/quote]24.500.0", "im\n24.500.0"),
])
def test_quoted_text_is_removed(text, plain):
    assert plain_text(text) == plain


def test_quote_block_framed_by_dashes_after_br_codes_is_removed():
    text = BITRIX_QUOTE.replace("\n", "[BR]") + "agreed"
    assert plain_text(text) == "agreed"


def test_single_line_of_dashes_is_text_not_a_quote():
    assert plain_text("deployed in im 24.500.0\n-----\nthanks") == "deployed in im 24.500.0\n-----\nthanks"


def test_keep_quotes_keeps_quoted_words_and_drops_only_the_marks():
    text = f"[quote]a 1.0[/quote]>>b 2.0\n{BITRIX_QUOTE}c"
    kept = plain_text(text, keep_quotes=True).split("\n")
    assert kept == ["", "a 1.0", "b 2.0", "Ivan Petrov [10.06.2026 14:51]", "deployed in im 24.400.0", "c"]


def test_empty_and_missing_text_are_empty():
    assert plain_text("") == "" and plain_text(None) == ""


MARKUP = [*"[]/=bBuqoteimgcdr >-\n", "[quote]", "[/quote]", "[code]", "[/code]", "[br]", ">>", "------\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=60).map("".join))
def test_any_markup_normalizes_without_error(text):
    assert isinstance(plain_text(text), str) and isinstance(plain_text(text, keep_quotes=True), str)


MEGABYTE = 1_000_000


@pytest.mark.parametrize("hostile", [
    "[url=" * (MEGABYTE // 5),
    "[b" * (MEGABYTE // 2),
    "[a " * (MEGABYTE // 3),
    "[code]" * (MEGABYTE // 6),
    "[quote]" * (MEGABYTE // 7),
    "[img]x" * (MEGABYTE // 6),
    "------\n" * (MEGABYTE // 7),
    ">>" * (MEGABYTE // 2),
], ids=["url-attr", "open-brackets", "spaced-attr", "unclosed-code", "nested-quotes", "unclosed-img",
        "dash-lines", "quote-marks"])
def test_megabyte_of_hostile_markup_is_normalized_promptly(hostile):
    started = time.monotonic()
    plain_text(hostile)
    assert time.monotonic() - started < 5
