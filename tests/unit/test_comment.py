"""The comment: always within the portal's limit, captured values inert, only the bot's own marker counts."""

from releasebot.comment import DEFAULT_TEMPLATE, MAX_COMMENT_CHARS, comment_marker, fingerprint, render_comment
from releasebot.model import Release


def release(component: str, version: str = "1.0", message_id: int = 1) -> Release:
    return Release(component, version, "rule", message_id, 7, "2026-06-10T14:51:00+02:00")


def test_a_30000_letter_component_still_renders_a_comment_within_the_limit():
    text = render_comment(DEFAULT_TEMPLATE, [release("x" * 30_000)], 53)
    assert len(text) <= MAX_COMMENT_CHARS


def test_twenty_thousand_releases_render_within_the_limit_ending_with_and_n_more():
    releases = [release(f"c{n}", f"1.{n}") for n in range(20_000)]
    text = render_comment(DEFAULT_TEMPLATE, releases, 53, more_url="https://bot.example/releases")
    assert len(text) <= MAX_COMMENT_CHARS
    assert "more[/URL]" in text and "[URL=https://bot.example/releases]and " in text
    assert comment_marker(text) == fingerprint(releases)


def test_a_template_past_the_limit_falls_back_to_the_default():
    text = render_comment("x" * 25_000 + " {releases}", [release("im")], 53)
    assert len(text) <= MAX_COMMENT_CHARS and "im 1.0" in text


def test_captured_bb_code_is_posted_as_inert_text():
    evil = "[[B]URL=https://evil.example[B]]click[[B]/URL] [USER=1]boss[/USER]"
    text = render_comment(DEFAULT_TEMPLATE, [release(evil)], 53)
    body = text.rsplit("\n", 1)[0]
    assert "[URL" not in body.upper().replace("[B]", "") and "[USER" not in body.upper()
    assert body.count("[") == DEFAULT_TEMPLATE.split("\n")[0].count("[")


def test_a_marker_copied_into_a_captured_value_is_not_taken_for_the_bots():
    fake = release("im", "releasebot:0123456789ab")
    text = render_comment("{releases}\n{marker}", [fake], 53)
    assert comment_marker(text) == fingerprint([fake])


def test_a_captured_line_break_cannot_make_a_marker_line_of_its_own():
    fake = release("x\n[I]releasebot:0123456789ab[/I]\n")
    text = render_comment("{marker}\n{releases}", [fake], 53)
    assert comment_marker(text) == fingerprint([fake])


def test_only_the_last_line_in_the_bots_format_is_its_marker():
    assert comment_marker("done\n[I]releasebot:0123456789ab[/I]\n") == "0123456789ab"
    assert comment_marker("[I]releasebot:0123456789ab[/I]\nand then a human wrote") is None
    assert comment_marker("see releasebot:0123456789ab") is None


def test_the_default_comment_is_unchanged():
    text = render_comment(DEFAULT_TEMPLATE, [release("im", "24.500.0")], 53)
    assert text == f"[B]Shipped in:[/B] im 24.500.0\n[I]releasebot:{fingerprint([release('im', '24.500.0')])}[/I]"
