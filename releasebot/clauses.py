"""A message's plain text cut into clauses, the statements a release is read from.

A clause is a sentence of a line; a paragraph of `key: value` lines (a CI bot's card) is one clause; a
paragraph's heading without a version ("Deployed to production:", "✅ Deploy succeeded", a later "### Next"
or "Not released:") is put before each line under it, and a last line without a version ("All of the above
is on prod") after each line above it, so every bullet is read with what frames it and each can be stopped
on its own ("… failed").
Links are dropped first: a URL's path is not a statement.
"""

from __future__ import annotations

import re

URL_RE = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'\]\[]{1,2000}", re.IGNORECASE)
VERSIONISH_RE = re.compile(r"\d\.\d")
# A store's build number after a version: "3.14.0 (31400)", "8.45.0 (1204)" read as "3.14.0", "8.45.0"
BUILD_NUMBER_RE = re.compile(r"(\d\.\d{1,9}(?:\.\d{1,9}){0,2})\s+\(\d{3,9}\)")
KEY_VALUE_RE = re.compile(r"\s*[\"']?[^\W\d][\w .()/-]{0,28}?[\"']?\s*(?::|\s?=|\s-\s)\s*\S")
BULLET_RE = re.compile(r"\s*(?:[-*•·▪►‣⁃>]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? and at a pictograph before a capitalised word ("… в App Store 🍏 Android-сборка ждёт …",
# not "forms 5.6.0 🚀 LIVE").
SENTENCE_END_RE = re.compile(
    r"(?<=[.!?])\s+|(?<=[\U0001F300-\U0001FAFF])\s+(?=[A-ZА-ЯЁІЇЄÄÖÜÁÉÍÓÚÑÇĄĆĘŁŃŚŹŻ][a-zа-яёіїєäöüßáéíóúñçąćęłńóśźż])")
HEADING_SEPARATOR = " | "  # a heading (or card line, or table cell) and what it speaks of: one statement
LEAD_SEPARATOR = " ¦ "  # a sentence without a version and the next one ("Deployed! ¦ search 0.15.0"): two
MAX_LEAD, MAX_LEAD_LINES = 120, 2  # short version-less lines read in front of the next line that has one
# a line's short last sentence without a version that affirms speaks of the one before it ("Да, на проде.")
MAX_TAIL = 60
AFFIRMATION_RE = re.compile(r"(?:yes|yep|yeah|да|ага|так|ja|jep|sí|si|sim|tak)(?!\w)", re.IGNORECASE)
MAX_FIELD_VALUE = 60  # a bulleted `key: value` line with a longer value is a recap's point, not a card's field
CARD_SHARE = 0.6  # a paragraph is a card when most of its lines are `key: value` (a pasted log is not)
MAX_CLAUSES = 400
MAX_SECTION_HEADING = 80
# A sentence that speaks of the one before it: "crm 24.300.1 and mobile 24.200.0. Both are out to all portals."
BACK_REFERENCE_RE = re.compile(
    r"(?:both|all\s+(?:of\s+them|three|four|these|those)|they|these|those|оба|обе|обидва|обидві|все\s+(?:три|они)"
    r"|они|вони|beide|alle\s+(?:drei|beide)|ambos|ambas|todos|ellos|eles|obie|oba|wszystkie|one|oni)(?!\w)",
    re.IGNORECASE)
MAX_HEADED_LINES = 12  # a paragraph longer than this is a log, not a card under its title
# A line that points at what follows it: "prod done, see below", "подтверждение от Argo ниже 👇"
BELOW_RE = re.compile(r"(?:below|ниже|нижче|unten|abajo|abaixo|poniżej|[👇⬇↓])\W*$", re.IGNORECASE)


def clauses(plain: str) -> list[str]:
    """The clauses of a message's plain text, in text order. A paragraph that is one short heading line
    without a version ("**Shipped to production**", "Deployed to staging:", or any short line over a table)
    is read in front of the clauses of the paragraphs under it, up to the next such heading (a changelog
    pasted under it)."""
    found: list[str] = []
    section, heading_above = "", False
    paragraphs = _paragraphs(BUILD_NUMBER_RE.sub(r"\1", URL_RE.sub(" ", plain)))
    for number, paragraph in enumerate(paragraphs):
        framed_next = number + 1 < len(paragraphs) and _framed(paragraphs[number + 1])
        if len(paragraph) == 1 and (_is_section_heading(paragraph[0]) or (framed_next and _is_title(paragraph[0]))):
            heading = _unbullet(paragraph[0].lstrip("#").strip())
            # a table's header row under its title: both frame the rows
            section = f"{section}{HEADING_SEPARATOR}{heading}" if heading_above else heading
            heading_above = True
            continue
        heading_above = False
        found.extend(f"{section}{HEADING_SEPARATOR}{clause}" if section else clause
                     for clause in _paragraph_clauses(paragraph))
        if len(found) >= MAX_CLAUSES:
            break
    return found[:MAX_CLAUSES]


def _framed(paragraph: list[str]) -> bool:
    """Whether a short line over this paragraph is its title: over a table, a release's own Markdown heading
    ("## media-proxy 1.7.0"), a bot's card of fields ("New version of payments-prod is up and running." over
    it), or one short line naming a version ("опубликовал в npm" over "+ date-utils-lite@1.4.0")."""
    first = paragraph[0]
    return first.startswith("|") or (first.startswith("#") and has_version(first)) or _is_card(paragraph) \
        or (len(paragraph) == 1 and has_version(first) and len(first) <= MAX_SECTION_HEADING)


def _is_section_heading(line: str) -> bool:
    """A line that heads what follows: short, no version, no question, marked as a heading (Markdown
    heading, bold, or ending with a colon)."""
    if _versioned(line) or line.endswith("?") or len(line) > MAX_SECTION_HEADING:
        return False
    return line.startswith("#") or line.rstrip().endswith(":") or (line.startswith("**") and line.endswith("**")) \
        or BELOW_RE.search(line) is not None


def _is_title(line: str) -> bool:
    """A title: a short line without a version or a question ("Released to production" over a table, "Shipped to
    prod 🎉" over a release's heading)."""
    return not has_version(line) and not line.endswith("?") and len(line) <= MAX_SECTION_HEADING


def has_version(text: str) -> bool:
    """Whether the text holds something shaped like a version (a digit, a dot, a digit)."""
    return VERSIONISH_RE.search(text) is not None


DAY_MONTH = r"(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])"  # "24.09": a day and a month
DATE_RE = re.compile(rf"(?<![\d.]){DAY_MONTH}(?![\d]|\.\d)")


def names_version(text: str) -> bool:
    """Whether the text holds something shaped like a version that is not a day of the year ("на прод 24.09")."""
    return has_version(DATE_RE.sub(" ", text))


def _versioned(line: str) -> bool:
    """Whether a line holds something shaped like a version besides a full date ("… to PRODUCTION on 19.07.2025:"
    heads the lines under it)."""
    return has_version(FULL_DATE_RE.sub(" ", line))


FULL_DATE_RE = re.compile(rf"(?<![\d.]){DAY_MONTH}\.(?:19|20)\d\d(?![\d]|\.\d)")


def _paragraphs(text: str) -> list[list[str]]:
    """Runs of non-blank lines, each line stripped."""
    paragraphs, current = [], []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    return [*paragraphs, current] if current else paragraphs


def _is_card(lines: list[str]) -> bool:
    """A paragraph of mostly `key: value` lines (a CI bot's card; a pasted log is not)."""
    return len(lines) > 1 and sum(1 for line in lines if _field(line)) >= max(2, CARD_SHARE * len(lines))


def _field(line: str) -> bool:
    """A card's `key: value` line; a bullet whose value is a sentence ("- причина: кешування відповіді …, тому
    відділення не оновлювались") is a recap's point, a statement of its own."""
    found = KEY_VALUE_RE.match(line)
    return found is not None and not (BULLET_RE.match(line) and len(line) - found.end() > MAX_FIELD_VALUE)


def _paragraph_clauses(lines: list[str]) -> list[str]:
    if _is_card(lines):
        return [HEADING_SEPARATOR.join(_unbullet(line) for line in lines)]
    if len(lines) > 1 and lines[0].startswith("#") and has_version(lines[0]):
        # a release's own heading and what its first lines say of it: "## desktop 12.4.1\nReleased to all users."
        body = [line for line in lines[1:MAX_LEAD_LINES + 1] if not names_version(line) and not line.startswith("#")]
        if body and body[0] == lines[1]:
            rest = lines[1 + len(body):]
            return [HEADING_SEPARATOR.join([lines[0].lstrip("#").strip(), *body]),
                    *(_paragraph_clauses(rest) if rest else [])]
    footer = _footer(lines)
    if footer:
        lines = lines[:-1]
    found, title, heading, lead = [], "", "", []
    for number, line in enumerate(lines):
        # the first line heads a short paragraph (a bot's title), not a pasted log ("Started by user …"); a later
        # heading ("Details:") heads the lines under it, under that title ("The sync … has failed")
        if not _versioned(line) and ((number == 0 and len(lines) <= MAX_HEADED_LINES) or _starts_a_list(line)) \
                and number + 1 < len(lines) and not line.endswith("?"):
            heading, before = _unbullet(line.lstrip("#").strip()), lead
            lead = []
            if number == 0 and len(lines) <= MAX_HEADED_LINES:
                title = "" if _starts_a_list(line) else heading  # "Shipped:" heads a section, not the paragraph
            elif title:  # with the card's lines read so far ("✅ Application payments-prod sync succeeded")
                title = HEADING_SEPARATOR.join((title, *before))
                heading = f"{title}{HEADING_SEPARATOR}{heading}"
            continue
        if not has_version(line) and number + 1 < len(lines) and not line.endswith("?") and len(line) <= MAX_LEAD \
                and not (BULLET_RE.match(line) and KEY_VALUE_RE.match(_unbullet(line))):  # a recap's own point
            lead = [*lead, _unbullet(line)][-MAX_LEAD_LINES:]  # a bot's card: "Deploy to production succeeded"
            continue
        for sentence in _sentences(line):
            found.append(HEADING_SEPARATOR.join(part for part in (heading, *lead, sentence, footer) if part))
        lead = []
    return found


def _starts_a_list(line: str) -> bool:
    """A heading inside a paragraph: a Markdown heading, or a line ending with a colon."""
    return line.startswith("#") or line.rstrip("*_ ").endswith(":")


def _footer(lines: list[str]) -> str:
    """A last line without a version under lines with versions ("All of the above is live") speaks of them; not the
    last point of a list ("- таймаут … показывает понятную ошибку" under "X 1.22.0 опубликован. Что внутри:")."""
    if len(lines) < 2 or has_version(lines[-1]) or not any(has_version(line) for line in lines[:-1]) \
            or (BULLET_RE.match(lines[-1]) and BULLET_RE.match(lines[-2])):
        return ""
    return _unbullet(lines[-1])


def _sentences(line: str) -> list[str]:
    """The line's sentences; one without a version that is not a question leads the next ("Deployed!
    search-indexer 0.15.0", "Rolled out... auth-service 2.9.0")."""
    sentences, lead = [], ""
    for piece in SENTENCE_END_RE.split(_unbullet(line)):
        if not piece:
            continue
        if not has_version(piece) and not piece.endswith("?"):
            if sentences and not lead and BACK_REFERENCE_RE.match(piece):  # "… and mobile 24.200.0. Both are out."
                sentences[-1] = f"{sentences[-1]}{LEAD_SEPARATOR}{piece}"
                continue
            lead = f"{lead} {piece}".strip()
            continue
        sentences.append(f"{lead}{LEAD_SEPARATOR}{piece}" if lead else piece)
        lead = ""
    if lead and sentences and len(lead) <= MAX_TAIL and AFFIRMATION_RE.match(lead):  # "…, а не 3.1.0. Да, на проде."
        sentences[-1] = f"{sentences[-1]}{LEAD_SEPARATOR}{lead}"
        return sentences
    return [*sentences, lead] if lead else sentences


def _unbullet(line: str) -> str:
    bullet = BULLET_RE.match(line)
    return line[bullet.end():] if bullet else line
