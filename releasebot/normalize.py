"""Message text as a reader sees it: BB-codes and Markdown reduced to their text, quoted and struck-out
text removed, Unicode spaces, dashes and quotes made plain.

Everything here runs in time linear in the text: the tag pattern cannot backtrack past the next `[`, and
every search for a closing tag starts where the previous one ended. A message longer than MAX_TEXT (a pasted
log, say, with "deployed in im 24.500.0" under it) is condensed first: only its lines holding something
version-shaped are kept, the first and last MAX_VERSION_LINES of them, each with the line before it, so the
work after that is bounded by the number of version-shaped lines, never by the length of the text.
"""

from __future__ import annotations

import re
import unicodedata

from releasebot.tables import read_tables

MAX_TEXT = 20_000
MAX_LINE = 500  # characters of one kept line
MAX_VERSION_LINES = 100  # of a long message: the first and the last this many lines holding a version
VERSIONISH_LINE_RE = re.compile(r"\d\.\d")

# `[b]`, `[/URL]`, `[url=https://…]`, `[img width=10]`: the attribute stops at the next bracket or line end.
TAG_RE = re.compile(r"\[(/?)([a-z*]+)(?:[= ]([^\[\]\n]*))?\]", re.IGNORECASE)
# Tags whose content is skipped to its closing tag: code is kept verbatim, the others dropped
# (struck-out text is what the writer took back).
ENCLOSING = ("code", "img", "video", "s", "strike", "del")
CLOSING_RE = {name: re.compile(rf"\[/{name}\]", re.IGNORECASE) for name in ENCLOSING}
# Tags reduced to their text: the tag goes, what it wraps stays.
INLINE = frozenset({
    "b", "i", "u", "url", "user", "chat", "disk", "size", "color", "font", "left", "center", "right",
    "justify", "icon", "context", "send", "put", "call", "dialog", "attach", "timestamp", "th",
})
# Tags that end a block: list items, paragraphs, table rows and cells never run into each other.
BLOCK = {"br": "\n", "p": "\n", "list": "", "*": "\n- ", "tr": "\n", "td": " | ", "table": "\n",
         "hr": "\n", "th": " | "}
CELLS = frozenset({"td", "th"})  # a table row stays one line, its cells apart: " | a | b" as in Markdown
# Unicode that RE2's \s and ASCII patterns do not see as what it is.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"))
TRANSLATION = INVISIBLE | {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"), '"'),
    **dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                             "\u2009\u200a\u202f\u205f\u3000\t\v\f"), " "),
    ord("\r"): None,
}
# Markdown as CI bots write it: **bold**, __bold__, `code`, ~~struck~~, [label](url).
MARKDOWN_STRUCK_RE = re.compile(r"~~[^~\n]{0,500}~~")
MARKDOWN_LINK_RE = re.compile(r"\[([^\[\]\n]{1,300})\]\((?:https?://|/)[^()\s]{0,2000}\)")
MARKDOWN_EMPHASIS_RE = re.compile(r"\*\*|__|`+|(?<![\w*])\*(?=\S)|(?<=[^\s*])\*(?![\w*])|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)")
# The page of a published release or package version: a GitHub or GitLab release, a PyPI or npm version. Such a
# page exists once the version is out, so a link to it reads as "released <name> <version>" (its name is
# nowhere else in a semantic-release comment or a twine log). test.pypi.org and drafts are no such page.
RELEASE_URL = (r"https?://(?:www\.)?(?:github\.com/(?P<github>[\w.-]{1,100}/[\w.-]{1,100})/releases/tag/"
               r"|gitlab\.[\w.-]{1,100}/(?P<gitlab>[\w.-]{1,100}(?:/[\w.-]{1,100}){1,5})/-/releases/"
               r"|pypi\.org/project/(?P<pypi>[\w.-]{1,100})/"
               r"|npmjs\.com/package/(?P<npm>(?:@[\w.-]{1,100}/)?[\w.-]{1,100})/v/)"
               r"v?(?P<version>\d{1,9}(?:\.\d{1,9}){1,3}(?:-[0-9A-Za-z.]{1,40})?)/?(?![\w.-])")
RELEASE_LINK_RE = re.compile(rf"\[(?P<label>[^\[\]\n]{{1,300}})\]\({RELEASE_URL}\)", re.IGNORECASE)  # Markdown
RELEASE_TAG_RE = re.compile(rf"\[url={RELEASE_URL}\]", re.IGNORECASE)  # BB-code
RELEASE_URL_RE = re.compile(RELEASE_URL, re.IGNORECASE)
QUOTE_LINE_PREFIX = ">>"
DASH_FRAME_MIN = 4


def plain_text(text: str, keep_quotes: bool = False) -> str:
    """The text with BB-codes reduced to their text and quoted text removed (keep_quotes: only its marks)."""
    reduced = read_tables(_reduce_markdown(_reduce_codes(_release_links(plain_characters(text)), keep_quotes)))
    return _unquote_lines(reduced) if keep_quotes else _drop_quoted_lines(reduced)


def _release_links(text: str) -> str:
    """Links to a published release's page as words: "[GitHub release](https://github.com/acme/ui-kit/releases/tag/
    v3.2.1)" reads "GitHub release (released acme/ui-kit 3.2.1)"."""
    if "://" not in text:
        return text
    text = RELEASE_LINK_RE.sub(lambda found: f"{found.group('label')} ({_released(found)})", text)
    text = RELEASE_TAG_RE.sub(lambda found: f"({_released(found)}) [url]", text)
    return RELEASE_URL_RE.sub(_released, text)


def _released(found: re.Match) -> str:
    name = next(found.group(key) for key in ("github", "gitlab", "pypi", "npm") if found.group(key))
    return f"released {name} {found.group('version')}"


def plain_characters(text: str | None) -> str:
    """The first MAX_TEXT characters, with Unicode spaces, dashes and quotes as ASCII and invisibles gone."""
    text = condensed(text or "")
    if text.isascii():
        return text.replace("\r", "").replace("\t", " ")
    return unicodedata.normalize("NFKC", text.translate(TRANSLATION)).translate(TRANSLATION)


def condensed(text: str) -> str:
    """A long message reduced to its lines that hold something version-shaped (the first and the last
    MAX_VERSION_LINES of them), each with the line before it for context; a short message as it is."""
    if len(text) <= MAX_TEXT:
        return text
    lines = text.split("\n")
    holding = [number for number, line in enumerate(lines) if VERSIONISH_LINE_RE.search(line)]
    if len(holding) > 2 * MAX_VERSION_LINES:
        holding = holding[:MAX_VERSION_LINES] + holding[-MAX_VERSION_LINES:]
    kept: list[str] = []
    last = -2
    for number in holding:
        if number - 1 > last:
            kept.append("")  # a gap: what was left out never joins two kept lines into one paragraph
            kept.append(_ends(lines[number - 1]) if number else "")
        kept.append(_ends(lines[number]))
        last = number
    return "\n".join(kept)


def _ends(line: str) -> str:
    """A line of at most MAX_LINE characters: a longer one keeps its start and its end, on two lines."""
    half = MAX_LINE // 2
    return line if len(line) <= MAX_LINE else f"{line[:half]}\n{line[-half:]}"


def _reduce_markdown(text: str) -> str:
    """Markdown emphasis read like BB-code emphasis; struck-out text dropped; links reduced to their label."""
    if not any(mark in text for mark in "*_`~]"):
        return text
    text = MARKDOWN_STRUCK_RE.sub("", text)
    text = MARKDOWN_LINK_RE.sub(r"\1", text)
    return MARKDOWN_EMPHASIS_RE.sub("", text)


def _reduce_codes(text: str, keep_quotes: bool) -> str:
    return _Reducer(text, keep_quotes).run() if "[" in text else text


def has_quote(text: str | None) -> bool:
    """Whether the text may hold quoted text (a [QUOTE] block, a ">>" line, a dash-framed block)."""
    text = text or ""
    return ">>" in text or "----" in text or "[quote" in text.lower()


class _Reducer:
    """One pass over the text, tag by tag, keeping what a reader sees."""

    def __init__(self, text: str, keep_quotes: bool):
        self.text, self.keep_quotes = text, keep_quotes
        self.pieces: list[str] = []
        self.quote_depth = 0
        lowered = text.lower()
        self.last_closing = {name: _last_closing(text, name) if f"[/{name}]" in lowered else -1
                             for name in ENCLOSING}

    @property
    def showing(self) -> bool:
        """Whether the text at this point is kept (outside quotes, or quotes are kept)."""
        return self.quote_depth == 0 or self.keep_quotes

    def run(self) -> str:
        """The text with every BB-code reduced."""
        pos = 0
        while (tag := TAG_RE.search(self.text, pos)) is not None:
            if self.showing:
                self.pieces.append(self.text[pos:tag.start()])
            pos = self.take(tag)
        if self.showing:
            self.pieces.append(self.text[pos:])
        return "".join(self.pieces)

    def take(self, tag: re.Match) -> int:
        """Reduce one tag; return where reading goes on."""
        name, closing = tag.group(2).lower(), bool(tag.group(1))
        if name == "quote":
            self.quote(closing)
        elif name in ENCLOSING and not closing and self.last_closing[name] >= tag.end():
            return self.enclosed(tag, name)
        elif self.showing and name in BLOCK:
            self.pieces.append(("\n" if name not in CELLS else "") if closing else BLOCK[name])
        elif self.showing and name not in INLINE and name not in ENCLOSING:
            self.pieces.append(tag.group(0))  # not a BB-code: "[WIP]" is text
        return tag.end()

    def quote(self, closing: bool) -> None:
        """Enter or leave a (possibly nested) quote."""
        depth_before = self.quote_depth
        self.quote_depth = max(0, depth_before + (-1 if closing else 1))
        if self.keep_quotes or (depth_before and not self.quote_depth):
            self.pieces.append("\n")  # a quote is a block: the words around it must not run together

    def enclosed(self, tag: re.Match, name: str) -> int:
        """Skip to the closing tag, keeping the content of [code] verbatim; return where it ends."""
        end = CLOSING_RE[name].search(self.text, tag.end())
        if name == "code" and self.showing:
            self.pieces.append(self.text[tag.end():end.start()])
        return end.end()


def _last_closing(text: str, name: str) -> int:
    """Where the last closing tag of this name starts, or -1: an opening tag after it is unclosed."""
    last = -1
    for found in CLOSING_RE[name].finditer(text):
        last = found.start()
    return last


def _drop_quoted_lines(text: str) -> str:
    lines = text.split("\n")
    framed = _framed_lines(lines)
    kept = [
        line for number, line in enumerate(lines)
        if not framed[number] and not _is_quote_line(line)
    ]
    return "\n".join(kept)


def _unquote_lines(text: str) -> str:
    lines = [line for line in text.split("\n") if not _is_dash_line(line)]
    unquoted = (line.lstrip()[len(QUOTE_LINE_PREFIX):] if _is_quote_line(line) else line for line in lines)
    return "\n".join(unquoted)


def _is_quote_line(line: str) -> bool:
    return line.lstrip().startswith(QUOTE_LINE_PREFIX)


def _framed_lines(lines: list[str]) -> list[bool]:
    """Which lines belong to a dash-framed quote: dash lines pair up, opening and closing a block."""
    frames = [number for number, line in enumerate(lines) if _is_dash_line(line)]
    framed = [False] * len(lines)
    for opening, closing in zip(frames[0::2], frames[1::2], strict=False):
        framed[opening:closing + 1] = [True] * (closing + 1 - opening)
    return framed


def _is_dash_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= DASH_FRAME_MIN and stripped.count("-") == len(stripped)
