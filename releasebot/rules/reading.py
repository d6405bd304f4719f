"""The one policy for reading a message: clauses, rules, guards and components together.

For each clause that holds a version, every rule is tried in file order. A pair counts only when its
component passes (a known component or alias, or no word from the never-components list), its version is a
version (not a time, date, IP address, size or amount), and no guard finds a cue in the clause. Across a
message, the first rule (then the first pair) naming a component wins. A rollback guard's pairs are
withdrawals, and so are the announcements a reply quotes when its own text retracts them ("no, that was the
old build, it is not deployed yet"). `read` is the one way to ask what a text says: the worker's chat scan,
`releasebot rules test`, every rule's examples and `make accuracy` go through it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from releasebot.clauses import HEADING_SEPARATOR, LEAD_SEPARATOR, clauses, has_version
from releasebot.normalize import has_quote, plain_text
from releasebot.rules.match import scan
from releasebot.rules.model import Guard, Match, Refusal, Rule, Rules
from releasebot.rules.subject import SHIPPED_VERB_RE, leads_to_subject, subject_names
from releasebot.rules.vocabulary import (
    NEVER_COMPONENTS,
    app_of_platform,
    backport,
    canonical_component,
    one_product,
    release_line,
    same_component,
    version_key,
    version_problem,
    version_shape,
)

MAX_PAIRS_PER_MESSAGE = 50  # a message naming more releases than this is not about one task
CUE_EDGES = " ,.;:!?()[]\"'-|"
AND = r"and|и|і|та|und|y|e|i|oraz"
# Where a clause's phrases meet. A soft break joins parts of one statement ("im 24.500.0 is tagged, going out
# tomorrow", a heading or a table's cells and the line they speak of); a hard break (a dash, a semicolon, the
# seam between a leading sentence and the next) starts another ("chat-widget 3.4.0 is live - could you ask the
# customer to clear the cache?").
SOFT_BREAK = rf",\s|:\s|!\s|\s\(|\)|\s(?:{AND})\s|(?<=[\U0001F300-\U0001FAFF])\s"  # and a pictograph: "… 😎 fixed"
HARD_BREAK = r"\s[-–—]+\s|;\s|\s¦\s"
BREAK_RE = re.compile(f"(?P<hard>{HARD_BREAK})|{SOFT_BREAK}", re.IGNORECASE)
TURN_WORDS = (r"but|however|although|though|whereas|except|но|однако|хотя|а(?!\s+также)|але|проте|однак|aber|jedoch"
              r"|sondern|pero|sino|aunque|mas|porém|contudo|ale|jednak|lecz")
TURN_RE = re.compile(rf",?\s+(?:{TURN_WORDS})\s+|,\s*(?:{TURN_WORDS})\s+", re.IGNORECASE)


@dataclass(frozen=True)
class TakeBack:
    """A version a message takes back from older messages: "1.0.7 went to the staging cluster, not prod",
    "not 24.300.2 but 24.300.3", "rolled back to 3.2.0" (that version and every later one of its major)."""

    version: str
    component: str = ""  # "" when the message names the version alone
    and_later: bool = False
    instead: str = ""  # a correction's version, which takes the place of the one taken back
    instead_component: str = ""  # the correction's component, when it names one
    until: str = ""  # with and_later: a later version the message names as the one that works ("3.1.1 — рабочая")

    def corrected(self, match: Match) -> Match:
        """The match with the correction's version (and component) in place of the one it takes back."""
        return replace(match, version=self.instead, component=self.instead_component or match.component)

    def covers(self, component: str, version: str) -> bool:
        """Whether an older announcement of this component and version is taken back."""
        if self.component and not same_component(self.component, component):
            return False
        if not self.and_later:
            return version == self.version
        mine, theirs = version_key(self.version), version_key(version)
        return mine[:1] == theirs[:1] and theirs >= mine and not (self.until and theirs >= version_key(self.until))


@dataclass(frozen=True)
class Reading:
    """What one message says: the releases it names, what was refused and why, what it withdraws, and
    what it takes back from older messages."""

    matches: tuple[Match, ...] = ()
    refused: tuple[Refusal, ...] = ()
    withdrawn: tuple[str, ...] = ()
    taken_back: tuple[TakeBack, ...] = ()
    retracts_previous: bool = False  # names no version and takes back its author's last announcement
    # the versions it names alone that a rule reads as released ("3.3.1 is live"), component BARE: the chat
    # may make plain whose they are (see ReleaseScan)
    alone: tuple[Match, ...] = ()
    rolled_back: tuple[tuple[str, str], ...] = ()  # the (component, version) pairs its rollbacks name
    rolled_back_to: tuple[str, ...] = ()  # the components it rolls back to a version ("rolled back to 3.0.1")
    marked: tuple[tuple[str, str], ...] = ()  # the pairs a line of it calls this task's ("our fix is in X 1.2")
    # its sentences that call components unrelated without naming a version ("b24-mobile и b24-kiosk к этой
    # задаче не относятся"): the chat's older releases of those components are not this task's
    disowning: tuple[str, ...] = ()
    # older lines' versions it names after a newer line's, of one component: backports ("billing-api 5.7.2 und
    # billing-api 4.8.7 (LTS)", "• 1c-connector 2.4.1 • 1c-connector 2.3.5"), each a release of its own
    backports: tuple[Match, ...] = ()
    # the pairs a `bump` rule named in a sentence that says nowhere where they went ("обновил Alamofire до
    # 5.9.1"): beside another component's release they went inside it, a library, not a release of this task
    bumps: tuple[tuple[str, str], ...] = ()


NOTHING = Reading()  # what a message naming no version says by the rules (a frozen value, shared)


def segments(clause: str) -> list[tuple[int, int]]:
    """Where the clause turns ("…, but …", "…, однако …"): the (start, end) of each part."""
    parts, start = [], 0
    for cut in TURN_RE.finditer(clause):
        parts.append((start, cut.start()))
        start = cut.end()
    return [*parts, (start, len(clause))]


@dataclass(frozen=True)
class Phrase:
    """A stretch of a clause between breaks; `hard` when the break before it is a hard one."""

    start: int
    end: int
    hard: bool
    versioned: bool
    aside: bool = False  # opens with "(": a remark on what stands before it ("… 3.1.4 (rollback)")


def phrases(clause: str, start: int, end: int) -> list[Phrase]:
    """The phrases of clause[start:end], in order."""
    found, at, hard, aside = [], start, False, False
    for cut in BREAK_RE.finditer(clause, start, end):
        found.append(Phrase(at, cut.start(), hard, has_version(clause[at:cut.start()]), aside))
        at, hard, aside = cut.end(), cut.group("hard") is not None, cut.group(0).endswith("(")
    found.append(Phrase(at, end, hard, has_version(clause[at:end]), aside))
    return found


def guard_scopes(found: list[Phrase], at: int, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where a pair's guards are looked for: (every guard's stretch, the `anywhere` guards' stretch).

    The pair's own phrases run from the one where its rule's match starts to the one where it ends, so
    "im 24.500.0 is tagged, going out tomorrow" is a plan. They take in the phrases before them that name no
    version, across soft breaks only ("Deploy to production failed: im 24.500.0"), but not a leading sentence
    ("Right, it wasn't applied. Fix deployed: booking 1.3.1") nor a remark after them ("deployed payments
    3.2.5, the double charge no longer reproduces"). The `anywhere` guards (a question, "unrelated") reach
    further, to the phrases naming the neighbouring pairs.
    """
    first = next((i for i, p in enumerate(found) if p.end >= min(start, at)), 0)
    last = next((i for i, p in enumerate(found) if p.end >= max(end, at)), len(found) - 1)
    own = next((i for i, p in enumerate(found) if p.start <= at <= p.end), first)
    first, last = min(first, own), max(last, own)
    low, high = first, last
    while low > 0 and not found[low].hard and not found[low - 1].versioned:
        low -= 1
    while high + 1 < len(found) and found[high + 1].aside and not found[high + 1].versioned:
        high += 1
    wide_low, wide_high = first, last
    while wide_low > 0 and not found[wide_low - 1].versioned \
            and not (found[wide_low].hard and _held(found, wide_low - 1, -1)):
        wide_low -= 1
    while wide_high + 1 < len(found) and not found[wide_high + 1].versioned \
            and not (found[wide_high + 1].hard and _held(found, wide_high + 1, 1)):
        wide_high += 1
    return (found[low].start, found[high].end), (found[wide_low].start, found[wide_high].end)


def _held(found: list[Phrase], at: int, step: int) -> bool:
    """Whether the run of phrases without a version from found[at] on (leftwards for step -1) belongs to the pair
    beyond it, met across soft breaks only: "… Posnet 6.3.2, ale to nie dotyczy tego zadania — nasz problem był po
    stronie kassa-front i jest już poprawiony w 5.2.1": the "nie dotyczy" is Posnet's."""
    while 0 <= at + step < len(found):
        if (found[at] if step < 0 else found[at + step]).hard:
            return False
        if found[at + step].versioned:
            return True
        at += step
    return False


def _all_named(versions: list[str], named: list[str]) -> bool:
    """Whether every version the clause holds is named, each as often as it stands there."""
    left = list(versions)
    for version in named:
        if version in left:
            left.remove(version)
    return not left


def _another_statement(clause: str, start: int, end: int) -> bool:
    """Whether clause[start:end] starts another statement about another version ("ledger 7.2.1 - 7.2.0 we built,
    but never deployed": the "but" speaks of 7.2.0)."""
    hard = [cut for cut in BREAK_RE.finditer(clause, start, end) if cut.group("hard") is not None]
    return bool(hard) and has_version(clause[hard[-1].end():end])


def _own_start(clause: str, start: int) -> int:
    """Where the line or sentence holding a pair starts in its clause: after the heading and lead lines read in
    front of it (what they say is not said of this pair alone)."""
    return max(clause.rfind(HEADING_SEPARATOR, 0, start), clause.rfind(LEAD_SEPARATOR, 0, start), 0)


def _unversioned_end(clause: str, start: int, end: int, again=None) -> int:
    """Where the phrases of clause[start:end] that name no version end (at the first that names one, less one
    that `again` says names the pair's own version once more)."""
    return next((phrase.start for phrase in phrases(clause, start, end) if phrase.versioned
                 and not (again and again(clause[phrase.start:phrase.end]))), end)


# A name joined of parts ("pos-terminal", "@acme/ui", "web_frontend"): a word inside it is part of the name
SEPARATOR_RE = re.compile(r"[-_./@]")
# Where a release went, said in its sentence: production, a portal, a store, a cluster (see Reading.bumps)
PLACE_RE = re.compile(
    r"prod(?!uct|ucer)|прод(?!укт)|бо[юеи]\b|боев|live|лайв|продакшн|produkc|producci|produ[cç][aã]o|produktiv|store|стор"
    r"|маркет|market"
    r"|portal|портал|порталі|site|сайт|cluster|кластер|namespace|server|сервер|опубликован|published|publicad"
    r"|опублікован|opublikowan|veröffentlicht|клиент|клієнт|customer|kunde|client|cliente|klient", re.IGNORECASE)
ENVIRONMENT_NAME_RE = re.compile(
    r"[-_.](?:stage|staging|stg|dev|qa|test|uat|preprod|preview|sandbox|canary|beta)(?:$|[-_.])")


def _own_name_masked(clause: str, component: str) -> str:
    """The clause with the pair's own compound name blanked, so that a word inside it is no cue: "pos-terminal
    2.3.5 опубликован" is no failure, "order-rollback-svc 1.4.0 deployed" no rollback. A name that carries a
    test environment ("web-staging") stays: it says where the version went."""
    if not SEPARATOR_RE.search(component) or ENVIRONMENT_NAME_RE.search(component):
        return clause
    return re.sub(rf"(?<![\w.@/-]){re.escape(component)}(?![\w@/-])", lambda named: "x" * len(named.group(0)),
                  clause, flags=re.IGNORECASE)


# "this task is about X", naming a component without a version: the releases of others in the message are not its
ABOUT_RE = re.compile(
    r"(?:task|ticket|задач\w*|завдання|zadanie|aufgabe|tarea|tarefa)\s+(?:was\s+|is\s+)?(?:about|concern(?:s|ed)|касал\w*"
    r"|каса\w*|стосувал\w*|стосується|dotyczył\w*|dotyczy|betr(?:ifft|af)|trata(?:ba)?\s+de|(?:é|era)\s+sobre)\s+"
    r"(?P<id>[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+)", re.IGNORECASE)
NOT_THIS_BEFORE_RE = re.compile(
    r"(?:unrelated|related|nothing\s+to\s+do|nothing\s+(?:from|of|in)|ничего\s+(?:из|по)|нічого\s+(?:з|по)"
    r"|nichts\s+(?:aus|von)|nada\s+(?:de|da|do)|nic\s+z|not\s+(?:for|about|part\s+of|from|in)|не\s+относ\w*|не\s+по|не\s+к|не\s+стосу\w*"
    r"|nicht\s+(?:zu|für|von)|nada\s+que\s+ver|no\s+es\s+de|n[aã]o\s+[eé]\s+d[aeo]|nie\s+dotyczy|nie\s+z|not|не|ні|nicht|no|não|nie)"
    r"\W+(?:(?:to|with|с|з|к|до|mit|con|com|z|do)\W+)?$", re.IGNORECASE)
NOT_THIS_AFTER_RE = re.compile(r"\W*(?:\w+\W+)?(?:не\s+относ|не\s+стосу|nie\s+dotyczy|is\s+unrelated|nicht\s+betr"
                               r"|отношени\w*\s+не\s+име|не\s+име\w*\s+отношени|стосунку\s+не\s+ма|відношення\s+не\s+ма"
                               r"|no\s+aplica|не\s+попал|не\s+вош|не\s+потрап|не\s+увійш|nie\s+wesz|nie\s+trafi|no\s+entr|n[aã]o\s+entrou"
                               r"|(?:is|was)n'?t\s+in|(?:is|was)\s+not\s+in|didn'?t\s+make\s+it|ist\s+nicht\s+drin)",
                               re.IGNORECASE)
# a task's key between a pair and "this task": "(TASK-9087 — esta tarefa)"
TASK_REF_RE = re.compile(r"[A-Z][A-Z0-9]*-\d+|#\d+")
CLAIM_GAP = " ([{|,-—–←⬅:#0123456789"  # what may stand between a pair and the "(this task)" after it


def _pair_end(clause: str, at: int, version: str) -> int:
    """Where a pair starting at `at` ends: after its version."""
    found = clause.find(version, at)
    return found + len(version) if found >= 0 else at


def _cue_span(text: str, cue) -> tuple[int, int]:
    """Where a cue's word is: its match also holds the character on each side of the word."""
    if cue is None:
        return 0, 0
    word = text[cue.start():cue.end()]
    start = cue.start() + len(word) - len(word.lstrip(CUE_EDGES))
    return start, cue.start() + len(word.rstrip(CUE_EDGES))


def _str_offset(data: bytes, offset: int) -> int:
    return len(data[:offset].decode("utf-8", "ignore"))


def read(rules: Rules, text: str, *, only: Iterable[Rule] | None = None, keep_quotes: bool = False,
         plain: str | None = None) -> Reading:
    """What a message says, by the rules (or `only` these) and the file's guards: the releases it names,
    the pairs refused and why (a guard's stop among them), and what it takes back (its rollbacks, and the
    announcements it quotes when its own text retracts them). Quoted text counts only with `keep_quotes`;
    `plain` is the text's plain_text when the caller has it already."""
    plain = plain_text(text, keep_quotes=keep_quotes) if plain is None else plain
    reading = _read_plain(rules, plain, only)
    if not keep_quotes and only is None and not reading.matches and not has_version(plain) and has_version(text) \
            and has_quote(text):
        reading = _confirmed_quote(rules, text, plain) or reading
    retracted = () if keep_quotes else _retracted_quotes(rules, text, plain, reading)
    taken_back, previous = ((), False) if keep_quotes or only is not None else _taken_back(rules, plain, reading)
    if reading.taken_back:  # with the pairs it disowns
        taken_back = tuple(dict.fromkeys((*reading.taken_back, *taken_back)))
    if "*" in text and not keep_quotes and only is None:  # "залил billing 2.4.0 на бой\n*2.4.1 конечно"
        taken_back = tuple(dict.fromkeys((*taken_back, *_starred_corrections(text))))
    if reading.alone and only is None and not keep_quotes:
        reading = _owned(reading, _owner(rules, reading, text, plain, taken_back))
    if reading.matches and only is None and "?" in plain and CHECKING_RE.search(plain):
        # "В релиз-нотах написано, что это исправлено в lms-core 3.19.1. Это правильно?": asked, not said
        reading = replace(reading, matches=(), refused=(*reading.refused, *(
            Refusal(match.rule, match.component, match.version, "guard question: the message asks whether it is "
                    "right", guard="question") for match in reading.matches)))
    if only is None and not keep_quotes:
        disowning = _disowning(rules, plain)
        reading = replace(reading, disowning=disowning) if disowning else reading
    if not (retracted or taken_back or previous):
        return reading
    # a rollback later in the same message ("10:02 orders 5.4.0 deployed … 10:31 rolled back to 5.3.4")
    rolled_back = [back for back in taken_back if back.and_later]
    # (not the version a correction names as the right one: "в проде keybroker 1.16.2, а не 1.16.1 — 1.16.1 откатили")
    right = {back.instead for back in taken_back if back.instead}
    matches = tuple(match for match in reading.matches if match.version in right or not any(
        back.covers(match.component, match.version) and plain.find(match.version) < plain.find(back.version)
        and _on_its_line(back, match, reading.matches) for back in rolled_back))
    # a correction in the same message ("в проде sign 24.300.1... точнее 24.300.2")
    corrections = [back for back in taken_back if back.instead]
    matches = tuple(next((back.corrected(match) for back in corrections if back.covers(match.component, match.version)),
                         match) for match in matches)
    return replace(reading, matches=matches, withdrawn=(*reading.withdrawn, *retracted), taken_back=taken_back,
                   retracts_previous=previous)


# A deploy card's list of images ("Images:", "Image:", "Образы:")
IMAGES_RE = re.compile(r"(?<!\w)(?:images?|образы?|obrazy?|imagens?|imágenes)\s*:", re.IGNORECASE)
# A component as a quoted question names it, without a version: "is the sync-worker fix on prod?"
COMPOUND_NAME_RE = re.compile(
    r"(?<![\w@/.-])(@[a-z0-9][\w.-]*/[a-z0-9][\w.-]*|[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)(?![\w@/-])", re.IGNORECASE)


def _pair_rule(rules: Rules):
    """The rule that names every well-formed pair: the first withdrawing guard's `{pair}` pattern, if any."""
    return next((guard.withdraws_rule for guard in rules.guards if guard.withdraws_rule is not None), None)


def named_pairs(rules: Rules, plain: str) -> list[Match]:
    """Every well-formed pair a text names, whatever it says of it (by a withdrawing guard's `{pair}` pattern;
    none when the rules file has no such guard): "Reported on sync-engine 9.4.1" names sync-engine 9.4.1."""
    rule = _pair_rule(rules)
    if rule is None or not has_version(plain):
        return []
    accept = _Reader(rules, ()).accept
    return [match for clause in clauses(plain) if has_version(clause) for match in scan(rule, clause, accept)[0]
            if match.component != BARE]


def _owner(rules: Rules, reading: Reading, text: str, plain: str, taken_back: tuple[TakeBack, ...] = ()) -> str:
    """Whose the versions a message names alone are: the one component it names with a version of their shape
    ("sync-worker 3.0.1 got rolled back … 3.0.2 has been in prod since"), or else the one component the message
    it quotes speaks of ("[QUOTE]is the sync-worker fix on prod?[/QUOTE] Yes, 3.4.0 - live since yesterday")."""
    shapes = {version_shape(match.version) for match in reading.alone}
    named = {component for component, version in (*((pair.component, pair.version) for pair in (
        *reading.matches, *(r for r in reading.refused if r.guard))), *reading.rolled_back,
        *((back.component, back.version) for back in taken_back if back.component),  # "не X 3.1.0, а X 3.1.1"
        *((back.instead_component, back.instead) for back in taken_back if back.instead_component))
        if component != BARE and version_shape(version) in shapes}
    if named:
        return named.pop() if len(named) == 1 else ""
    if not has_quote(text):
        return ""
    quoted = {component for word in COMPOUND_NAME_RE.findall(_quoted(text, plain))
              if (component := rules.component_for(canonical_component(word))[0])}
    return quoted.pop() if len(quoted) == 1 else ""


def _disowning(rules: Rules, plain: str) -> tuple[str, ...]:
    """The sentences that call something unrelated to this task and name no version (see Reading.disowning)."""
    # one pass of the guards' set: usually no cue at all
    unrelated = [guard for guard in rules.guard_sets.withdrawing.hits(plain) if not guard.retracts_alone]
    if not unrelated or not any(guard.cue_in(plain) for guard in unrelated):
        return ()
    return tuple(clause.lower() for clause in clauses(plain)
                 if not has_version(clause) and any(guard.cue_in(clause) for guard in unrelated))


def _confirmed_quote(rules: Rules, text: str, plain: str) -> Reading | None:
    """A reply naming no version that confirms the one release its quote names ("[QUOTE]is the fix live in
    dragondash-server 3.14.2?[/QUOTE] live."; "Всё, на бою ✅" over a quoted deploy card): the reply's words read
    as said of that pair, its own guards included ("no, not yet" stays a no)."""
    if rules.guard_sets.all.first(plain) is not None:  # "no, that was the old build": the reply's cue stops it
        return None
    quotes = _quoted(text, plain)
    pairs = {(match.component, match.version) for match in named_pairs(rules, quotes)}
    if len(pairs) != 1:
        return None
    component, version = pairs.pop()
    said = _read_plain(rules, f"{' '.join(plain.split())}: {component} {version}")
    if not said.matches and AFFIRMATIVE_RE.fullmatch(plain.strip()):  # "Jep." to "is the fix in X 3.0.7 and live?"
        said = _read_plain(rules, QUESTION_WORD_RE.sub(" ", quotes.replace("?", ".")))
    return said if [(match.component, match.version) for match in said.matches] == [(component, version)] else None


# The words that make a sentence a question besides its mark: "Czy poprawka jest już na produkcji…", "выложено ли"
QUESTION_WORD_RE = re.compile(r"(?<!\w)(?:czy|ли)(?!\w)", re.IGNORECASE)
# A reply that only says yes: the question it quotes, asked as a statement, is what it says
AFFIRMATIVE_RE = re.compile(
    r"\W*(?:yes|yep|yeah|yup|correct|right|exactly|confirmed|jep|ja|genau|richtig|да|ага|угу|верно|точно|так|tak"
    r"|dokładnie|sí|si|sim|exacto|correcto|isso|exatamente|certo)\W*", re.IGNORECASE)


def _owned(reading: Reading, owner: str) -> Reading:
    """The reading with its versions named alone given to their owner (the later version where it names two)."""
    if not owner or owner in reading.rolled_back_to:  # "rolled back to 3.0.1 (3.0.2 went out for 4 minutes)"
        return reading
    matches = {match.component: match for match in reading.matches}
    # the versions of the owner this message rolls back: a version named alone below them is the one restored
    rolled = [version for component, version in reading.rolled_back if component == owner]
    for match in reading.alone:
        if any(version_key(match.version) < version_key(version) for version in rolled):
            continue  # "rollback de payments 3.4.1, volvimos a 3.4.0"
        kept = matches.get(owner)
        if kept is None or version_key(match.version) > version_key(kept.version):
            matches[owner] = replace(match, component=owner)
    return replace(reading, matches=tuple(matches.values()), alone=())


# A clause that says which of several releases carried this task: "(this task)", "(это наша задача)", "to zadanie"
THIS_TASK_RE = re.compile(
    r"(?<!\w)(?:(?:this|our)\s+(?:task|ticket|issue)|our\s+(?:fix|change)|наш\s+фикс|наша\s+правка|наш\s+фікс"
    r"|unser\s+fix|nuestro\s+(?:fix|cambio)|nosso\s+fix|nossa\s+corre[cç][aã]o|nasz\s+fix|nasza\s+poprawka"
    r"|for\s+this\s+one|эт(?:а|о|у|ой)\s+(?:наша\s+)?задач\w*|наша\s+задача"
    r"|(?:ця|наша)\s+задача|цієї\s+задачі|to\s+zadanie|nasze\s+zadanie|(?:esta|nuestra)\s+tarea|(?:esta|nossa)\s+tarefa"
    r"|(?:diese|unsere)[sr]?\s+(?:aufgabe|ticket)"
    # a train's line pointing at this task: "| ledger | 1.9.4 | #10398 (this one) |", "| #7745 ← dieses |"
    r"|tego\s+zadania|tym\s+zadaniu|(?:essa|esse)\s+tarefa|este\s+ticket|ce\s+ticket"
    r"|this\s+one|(?:[←⬅]|<-+)\s*(?:this|эта|этот|это|ця|цей|це|diese[sr]?|esta|este|essa|esse|ta|ten|to)"
    r"|\((?:this|эта|этот|ця|цей|diese[sr]?|esta|este|essa|esse|ta|ten)\))(?!\w)", re.IGNORECASE)
WORD_RE = re.compile(r"[^\W\d_]{2,}")
# Right after a rollback's cue: the version it went back to ("откатились на sale 25.1.1", "rolled back to 3.2.0")
BACK_TO_RE = re.compile(r"\s*(?:to|на|до|auf|a|para|na|do)\s", re.IGNORECASE)
# A word that points back at what was said before it: "… went live and we reverted it"
PRONOUN_RE = re.compile(r"(?<!\w)(?:it|them|его|её|ее|их|його|її|їх|ihn|ją|je)(?!\w)", re.IGNORECASE)
# What may stand before a pair in a list of withdrawn pairs: "reverted sso 1.4.0 and the gateway 2.2.3"
LIST_WORDS = frozenset({"and", "the", "also", "plus", "и", "і", "та", "й", "также", "und", "y", "e", "i", "oraz", "o"})
BARE = "bare-version"  # stands in for the missing component of a version named alone
VERSION = r"v?\d{1,9}(?:\.\d{1,9}){1,3}(?:-[0-9a-z]+(?:\.[0-9a-z]+)*)?"
# Two versions side by side, from and to: a table's "was | now" columns, an arrow ("2.8.4 → 2.9.0").
FROM_TO_HINT_RE = re.compile(r"\d\s*(?:\||→|->|=>|⇒)\s*v?\d")
FROM_TO_RE = re.compile(rf"(?<![\w.])(?P<old>{VERSION})\s*(?:\||→|->|=>|⇒)\s*(?P<new>{VERSION})(?![\w.])",
                        re.IGNORECASE)
VERSION_TOKEN_RE = re.compile(r"(?<![\w.])v?(\d{1,9}(?:\.\d{1,9}){1,3}(?:-[0-9a-z]+(?:\.[0-9a-z]+)*)?)", re.IGNORECASE)
# A version named alone: not part of a word, a path or a pair ("im/24.500.0", "im:24.500.0"), but a git tag's
# ref is ("refs/tags/v12.4.0").
BARE_VERSION_RE = re.compile(rf"(?:(?<=tags/)|(?<![\w.@/:^~-]))(?P<word>[\w.@/-]+(?:[ \t]*\|)?[ \t]+)?"
                             rf"(?P<version>{VERSION})(?!\w|\.\w)", re.IGNORECASE)  # "| im | 24.500.0 |" is a pair
# A correction: "not billing 2.4.0 but billing 2.4.1", "не 3.1.0, а ui 3.1.1", "nicht 3.1.0, sondern ui 3.1.1".
CORRECTION_RE = re.compile(
    rf"(?<!\w)(?:not|не|ні|nicht|no\s+es|no|não\s+é|não|nie)\s+(?:(?P<component>[a-z@][\w.@/-]*)\s+)?(?P<version>{VERSION})"
    rf"\s*,?\s*(?:but|а|sondern|sino|mas|é|tylko|lecz|it's|it\s+is|это|це)\s+(?:(?P<new_component>[a-z@][\w.@/-]*)\s+)?"
    rf"(?P<new>{VERSION})", re.IGNORECASE)
# The corrected version first: "prod got 12.4.1, not 12.4.0", "в прод ушла 3.1.1, а не 3.1.0"
CORRECTION_AFTER_RE = re.compile(
    rf"(?:(?P<new_component>[a-z@][\w.@/-]*)\s+)?(?P<new>{VERSION})\s*,?\s*(?:not|а\s+не|не|nicht|no|não|nie|ні|а\s+не)"
    rf"\s+(?:(?P<component>[a-z@][\w.@/-]*)\s+)?(?P<version>{VERSION})(?!\w|\.\d)", re.IGNORECASE)
# A correction of the component alone: "не im, а imopenlines 24.0.0", "not im but imopenlines 24.0.0".
COMPONENT_CORRECTION_RE = re.compile(
    rf"(?<!\w)(?:not|не|ні|nicht|no|não|nie)\s+(?P<component>[a-z@][\w.@/-]*)\s*,?\s*(?:but|а|sondern|sino|mas|tylko|lecz"
    rf"|it's|it\s+is|это|це)\s+(?P<new_component>[a-z@][\w.@/-]*)\s+(?P<new>{VERSION})", re.IGNORECASE)
TYPO = r"typo|опечатка|описка|tippfehler|errata|literówka"
# A correction after the fact: "sign 24.300.1... точнее 24.300.2", "ui 3.1.0, I mean ui 3.1.1".
RATHER = (r"точнее|вернее|тьфу|то\s+есть|т\.\s?е\.|i\.\s?e\.|tzn\.?|czyli|d\.\s?h\.|i\s+mean|i\s+meant|or\s+rather"
          r"|точніше|тобто|genauer|besser\s+gesagt|mejor\s+dicho"
          r"|ou\s+melhor|a\s+właściwie|właściwie|правильно|правильная|правильна|correct\s+(?:one|version)\s+is"
          r"|should\s+(?:have\s+)?be(?:en)?|richtig\s+ist|richtig\s+wäre|lo\s+correcto\s+es|o\s+correto\s+é|poprawnie")
RATHER_WORD_RE = re.compile(RATHER, re.IGNORECASE)
# A note that corrects the version before it: "deployed tasks 24.200.5 to prod - edit: 24.200.6".
EDIT_RE = re.compile(rf"(?<!\w)(?:edit|upd|update|correction|поправка|уточнение|исправление|виправлення"
                     rf"|korrektur|corrección|correção|poprawka|(?:{TYPO})(?:[\s,]+[\w']+){{0,2}})\s*:\s*"
                     rf"(?:[a-z@][\w.@/-]*\s+)?(?P<new>{VERSION})(?!\w|\.\w)", re.IGNORECASE)
RATHER_RE = re.compile(
    rf"(?:(?P<component>[a-z@][\w.@/-]*)\s+)?(?P<version>{VERSION})[\s.,;:!…-]{{0,6}}"
    rf"(?:{RATHER})[\s,:-]+(?:(?P<new_component>[a-z@][\w.@/-]*)\s+)?(?P<new>{VERSION})", re.IGNORECASE)


def _taken_back(rules: Rules, plain: str, reading: Reading) -> tuple[tuple[TakeBack, ...], bool]:
    """What the message takes back from older ones: the pairs a retracting guard stopped, the version a
    correction replaces, and the versions it names alone where a rule reads them and a retracting guard's cue
    stands in their own phrase ("1.0.7 went to the staging cluster, not prod"; "rolled back to 3.2.0")."""
    corrections = _corrections(plain) if has_version(plain) else []
    if reading.matches and MISTAKE_RE.search(plain):
        # "Sorry, pomyłka — the fix is in magazyn-worker 2.2.0": an older "magazyn-api 2.2.0" named the wrong thing
        corrections += [TakeBack(match.version, instead=match.version, instead_component=match.component)
                        for match in reading.matches]
    if rules.guard_sets.retracting.first(plain) is None:
        return tuple(corrections), False
    retracting = rules.guard_sets.retracting.guards
    if not has_version(plain):
        return (), any(guard.anywhere and guard.cue_in(plain) for guard in retracting)
    names = {guard.name for guard in retracting}
    found = [TakeBack(r.version, r.component) for r in reading.refused if r.guard in names] + corrections
    bare_text = BARE_VERSION_RE.sub(_with_bare_component, plain)
    if bare_text != plain:
        bare = _read_plain(rules, bare_text)
        refused = {r.version for r in bare.refused if r.component == BARE and r.guard in names}
        found += [TakeBack(version) for version in sorted(refused)]  # a rule read it, a retracting guard stopped it
        for phrase in (phrase for clause in clauses(bare_text) for phrase in BREAK_RE.split(clause)):
            cues = [guard for guard in retracting if phrase and BARE in phrase and guard.cue_in(phrase)]
            if any(guard.retracts_alone for guard in cues):  # the versions named alone, not a pair beside them
                found += [TakeBack(m.group("version").lstrip("vV")) for m in BARE_VERSION_RE.finditer(phrase)
                          if _word(m) == BARE]
        if BARE in bare.withdrawn:  # the versions named alone in the sentences rolling back ("2.0.1 — рабочая" is not)
            every = clauses(plain)
            rolling = [clause for clause in every
                       if any(guard.retracts_alone and guard.cue_in(clause) for guard in retracting)] or [plain]
            # what a later sentence names alone, with no retracting cue of its own, is the version that works
            last = max(every.index(clause) for clause in rolling) if rolling[0] in every else len(every)
            working = [version for clause in every[last + 1:] if not any(guard.cue_in(clause) for guard in retracting)
                       for version in _bare_versions(clause)]
            for clause in rolling:
                # the version gone back to, and what came after it ("откатили на 1.9.4"); the version rolled back
                # from ("1.16.1 откатили") takes back itself alone (a refusal above)
                to = {m.group("version").lstrip("vV") for m in BARE_VERSION_RE.finditer(clause)
                      if _word(m).lower() in BACK_TO_WORDS}
                for version in _bare_versions(clause):
                    if to and version not in to:
                        continue
                    later = [other for other in working if version_key(other) > version_key(version)]
                    found.append(TakeBack(version, and_later=True, until=min(later, key=version_key) if later else ""))
    return tuple(dict.fromkeys(found)), False


# The word before the version a rollback went back to: "rolled back to 3.2.0", "откатили на 1.9.4"
BACK_TO_WORDS = frozenset({"to", "на", "до", "auf", "zu", "a", "para", "pra", "pro", "do", "na", "з"})


# An author owning up to a mistake: the release the message names corrects an older one of the same version
MISTAKE_RE = re.compile(
    r"(?<!\w)(?:my\s+(?:bad|mistake)|mistake|mixed\s+(?:it\s+)?up|wrong\s+(?:component|service|module|app|repo|project)"
    r"|ошиб(?:ся|лась|лись|ка\s+в\s+(?:предыдущем|прошлом))|перепутал\w*|опечат\w+|помилив\w*|помилка|переплутал\w*"
    r"|verwechselt|mein\s+fehler|me\s+equivoqu[eé]|error\s+m[ií]o|me\s+confund[ií]|errei|me\s+enganei|foi\s+mal"
    r"|pomyłk\w+|pomyliłe\w+|pomyliła\w*|typo|tippfehler|literówk\w+)(?!\w)", re.IGNORECASE)


# The words a correction starts or turns on: a text without any holds none (the test costs less than the patterns)
CORRECTION_WORD_RE = re.compile(
    rf"(?<!\w)(?:not|не|ні|nicht|no|não|nie|edit|upd|update|correction|поправка|уточнение|исправление|виправлення"
    rf"|уточнення|korrektur|corrección|correção|poprawka|{TYPO}|{RATHER})(?!\w)", re.IGNORECASE)


# A chat's way to correct a typo: a line starting with "*" and the right version
STARRED_RE = re.compile(rf"(?m)^[ \t]*\*[ \t]*(?P<new>{VERSION})(?![\w.]|\.\d)", re.IGNORECASE)


def _starred_corrections(text: str) -> list[TakeBack]:
    """The version a "*2.4.1" line puts in place of the last version before it."""
    found = []
    for star in STARRED_RE.finditer(text):
        before = VERSION_TOKEN_RE.findall(text, 0, star.start())
        new = star.group("new").lstrip("vV")
        if before and before[-1] != new:
            found.append(TakeBack(before[-1], instead=new))
    return found


def _corrections(plain: str) -> list[TakeBack]:
    """The versions the message corrects, each with the version (and component) that takes its place."""
    if CORRECTION_WORD_RE.search(plain) is None:
        return []
    found = []
    rather = RATHER_RE.finditer(plain) if RATHER_WORD_RE.search(plain) else ()
    for correction in (*CORRECTION_RE.finditer(plain), *CORRECTION_AFTER_RE.finditer(plain), *rather):
        component, new_component = (_named(correction.group(name)) for name in ("component", "new_component"))
        found.append(TakeBack(correction.group("version").lstrip("vV"), component,
                              instead=correction.group("new").lstrip("vV"), instead_component=new_component))
    for correction in COMPONENT_CORRECTION_RE.finditer(plain):
        component, new_component = (_named(correction.group(name)) for name in ("component", "new_component"))
        if component and new_component and component != new_component:
            new = correction.group("new").lstrip("vV")
            found.append(TakeBack(new, component, instead=new, instead_component=new_component))
    for edit in EDIT_RE.finditer(plain):
        before = VERSION_TOKEN_RE.findall(plain, 0, edit.start())
        new = edit.group("new").lstrip("vV")
        if before and before[-1] != new:
            found.append(TakeBack(before[-1], instead=new))
    return found


def _named(word: str | None) -> str:
    """A component as a correction names it ("" for none, or a word that is never one)."""
    component = canonical_component(word or "")
    return "" if component in NEVER_COMPONENTS else component


def _with_bare_component(version: re.Match) -> str:
    word = _word(version).lower().lstrip("-")  # "--version 0.9.8" names the version alone
    if word and word not in NEVER_COMPONENTS and not word.endswith((":", ",", ".", ";", "!", "?", ")")):
        return version.group(0)  # a component and its version, read as they are
    return f"{version.group('word') or ''}{BARE} {version.group('version')}"


def _alone_given(version: re.Match) -> str:
    """A version named alone, read as the stand-in BARE's when what stands before it may lead to a component
    named elsewhere ("Done — 4.18.0 is at 100%", "Sim, 3.4.0 — já em produção"), not another thing's name
    ("python 3.12 is available")."""
    word = _word(version).lower()
    if SHIPPED_VERB_RE.fullmatch(word):  # "Установили 2.4.1 на прод": the verb is no component
        return f"{version.group('word')}{BARE} {version.group('version')}"
    if _with_bare_component(version) == version.group(0) or not leads_to_subject(word):
        return version.group(0)
    return _with_bare_component(version)


def _word(version: re.Match) -> str:
    """The word right before a version (its table cell's, "im" of "| im | 24.500.0")."""
    return (version.group("word") or "").strip(" \t|")


def _bare_versions(plain: str) -> list[str]:
    return [m.group("version").lstrip("vV") for m in BARE_VERSION_RE.finditer(plain)
            if _with_bare_component(m) != m.group(0) or SHIPPED_VERB_RE.fullmatch(_word(m).lower())]


def _retracted_quotes(rules: Rules, text: str, plain: str, reading: Reading) -> tuple[str, ...]:
    """The components a reply's quotes name (and its own text does not) when its own text retracts them."""
    if not has_quote(text) or rules.guard_sets.retracting.first(plain) is None:
        return ()
    quotes = _quoted(text, plain)
    if not quotes:
        return ()
    quoted = _read_plain(rules, quotes).matches  # the quotes alone: the reply's own words are what retract
    own = {match.component for match in reading.matches}
    return tuple(dict.fromkeys(match.component for match in quoted if match.component not in own))


# A message ending in a short question whether what it says is right: "… 3.19.1. Это правильно?"
CHECKING_RE = re.compile(
    r"(?:^|[.!:]\s+|\n)(?:is\s+(?:that|this|it)\s+(?:right|correct|true|accurate)|(?:right|correct|true)|это\s+(?:правильно|верно|так)"
    r"|правильно|верно|так\s+ли\s+это|це\s+(?:правильно|так)|чи\s+це\s+так|stimmt\s+(?:das|es)|(?:ist\s+das\s+)?richtig"
    r"|¿?\s*es\s+(?:correcto|cierto)|(?:isso\s+)?est[aá]\s+cert[oa]|[eé]\s+isso|czy\s+to\s+(?:prawda|poprawne|dobrze|się\s+zgadza))"
    r"\s*\?+\s*$", re.IGNORECASE)


def _quoted(text: str, plain: str) -> str:
    """The lines a message quotes (its plain text with the quotes kept, less its own lines `plain`)."""
    own_lines = set(plain.split("\n"))
    return "\n".join(line for line in plain_text(text, keep_quotes=True).split("\n") if line not in own_lines)


def _read_plain(rules: Rules, plain: str, only: Iterable[Rule] | None = None) -> Reading:
    """What the plain text of a message names, by the rules (or `only` these) and the file's guards."""
    if not has_version(plain):
        return NOTHING
    chosen = rules.rules if only is None else tuple(only)
    reader = _Reader(rules, chosen)
    reader.read(FROM_TO_RE.sub(_to_version, plain) if FROM_TO_HINT_RE.search(plain) else plain)
    named = {match.version for match in reader.matches.values()}
    # the versions named alone (looked for only when a version of the text is not named by a pair already)
    unnamed = any(version not in named for version in VERSION_TOKEN_RE.findall(plain))
    alone = [version for version in _bare_versions(plain) if version not in named] if unnamed else []
    subject = _subject(rules, plain) if alone else ""
    if subject:  # read again with the versions named alone given the card's subject; keep what that adds
        again = _Reader(rules, chosen)
        again.read(BARE_VERSION_RE.sub(lambda m: _given(m, subject, alone), plain))
        for match in again.matches.values():
            if match.component == subject and match.version in alone:
                reader.keep(match)
    reading = reader.reading()
    if len(reading.matches) > 1 and only is None:
        reading = _without_sidecars(rules, plain, reading, subject)
    if alone and not subject and only is None:  # whose they are, the chat may say (see ReleaseScan)
        bare = _Reader(rules, chosen)
        bare.read(BARE_VERSION_RE.sub(_alone_given, plain))
        found = tuple(match for match in bare.reading().matches if match.component == BARE and match.version in alone)
        reading = replace(reading, alone=found)
    return reading


ASIDE = ("not a release: a remark in brackets on the release before it (what it uses: 'circuit breaker "
         "(resilience4j 2.2.0)')")


def _tarball_name(name: str) -> str:
    """A scoped package's name as its tarball spells it: "@acme/ui-kit" is "acme-ui-kit" (acme-ui-kit-3.8.0.tgz)."""
    return name[1:].replace("/", "-") if name.startswith("@") else ""


def _aside(data: bytes, match: Match, kept: list[Match]) -> bool:
    """Whether the pair stands in brackets after another release of the clause, as something that release uses
    ("inventario-api 2.3.0 with a circuit breaker (resilience4j 2.2.0)", "jar deployed to prod (EMR 6.15, Spark
    3.4.1)", "(feast 0.36.0 under the hood, redis 7.2.4 as online store)"); not the same product's part ("payments
    3.2.1 (payments-worker 3.2.1)"), nor another release the brackets announce ("(and ui 3.1.0, deployed too)")."""
    opened = data.rfind(b"(", 0, match.at)
    if opened < 0 or data.find(b")", opened, match.at) >= 0:
        return False
    closed = data.find(b")", match.at)
    before = [other for other in kept if other.at < opened]
    inside = data[opened + 1:closed].decode("utf-8", "replace")
    return closed >= 0 and bool(before) and not any(one_product(other.component, match.component)
                                                    and other.version == match.version for other in before) \
        and not AND_START_RE.match(inside) and not SHIPPED_VERB_RE.search(inside.lower())


AND_START_RE = re.compile(r"\s*(?:and|also|plus|\+|&|и|а\s+также|і|та|und|y|e|i|oraz)(?!\w)", re.IGNORECASE)


def _on_its_line(back: TakeBack, match: Match, matches: tuple[Match, ...]) -> bool:
    """Whether a rollback to a version named alone speaks of this pair: of the message's pairs, those of its
    version's line when any is ("im 24.600.1 установлен ✅; pull 24.100.2 … откатили на 24.100.1": pull's)."""
    line = release_line(back.version)
    same = [other for other in matches if release_line(other.version) == line]
    return back.component != "" or not same or match in same


def _without_sidecars(rules: Rules, plain: str, reading: Reading, subject: str) -> Reading:
    """Of a deploy card about one app that lists its images, the app's own (and its like: "notifier-worker" of
    "notifier"), not another vendor's sidecar ("Application gateway-prod … Images: gateway:1.7.0,
    envoyproxy/envoy:v1.29.1")."""
    subject = subject or (_subject(rules, plain) if IMAGES_RE.search(plain) else "")
    if not subject or not any(match.component == subject for match in reading.matches):
        return reading
    kept = tuple(match for match in reading.matches if one_product(match.component, subject))
    return replace(reading, matches=kept) if len(kept) < len(reading.matches) else reading


def _to_version(versions: re.Match) -> str:
    """Of "25.102.0 | 25.102.1" (a from and to column) or "2.8.4 → 2.9.0", the version it went to."""
    old, new = versions.group("old"), versions.group("new")
    return new if version_key(new) > version_key(old) else versions.group(0)


def _subject(rules: Rules, plain: str) -> str:
    """The one component the message's card is about (see releasebot.rules.subject), or ""."""
    subjects = {rules.component_for(canonical_component(name))[0] for name in subject_names(plain)} - {""}
    if len(subjects) > 1:  # "Build Contoso / CRM / Deploy crm-sync to Production": the project's crm is crm-sync
        longest = max(subjects, key=len)
        subjects = {longest} if all(longest.startswith((f"{name}-", f"{name}_")) or name == longest
                                    for name in subjects) else subjects
    return subjects.pop() if len(subjects) == 1 else ""


def _given(version: re.Match, subject: str, alone: list[str]) -> str:
    """A version named alone, given the subject: "tag 25.3.2" under "acme/rest-api" reads "tag rest-api 25.3.2"."""
    word = _word(version).lower()
    if version.group("version").lstrip("vV") not in alone or _with_bare_component(version) == version.group(0) \
            or not leads_to_subject(word):
        return version.group(0)  # a pair already, or another thing's version ("python 3.11.8")
    return f"{version.group('word') or ''}{subject} {version.group('version')}"


class _Reader:
    def __init__(self, rules: Rules, chosen: tuple[Rule, ...]):
        self.rules, self.chosen = rules, chosen
        self.matches: dict[str, Match] = {}
        self.refused: list[Refusal] = []
        self.withdrawn: dict[str, None] = {}
        self.disowned: dict[TakeBack, None] = {}  # the pairs a withdrawing guard that is no rollback speaks of
        self.rolled_back: set[tuple[str, str]] = set()  # the pairs this message's rollbacks name
        self.marked: set[tuple[str, str]] = set()  # the pairs named in a clause that says "this task"
        self.number = 0  # the clause being read
        self.kept_in: dict[str, int] = {}  # component -> the clause its kept match came from
        self.rolled_back_to: dict[str, tuple[int, str]] = {}  # component -> (clause, the version it went back to)
        self.retracted_in = -1  # the last clause that takes back what the message said before it
        self.backports: dict[tuple[str, str], Match] = {}  # (see Reading.backports)
        self.about: set[str] = set()  # the components a clause says this task is about ("To zadanie dotyczyło X")
        self.bumps: set[tuple[str, str]] = set()  # (see Reading.bumps)

    def read(self, plain: str) -> None:
        """Read every clause of a message's plain text that holds a version, and note the clauses that take
        back what came before them ("^ scratch that, wrong ticket")."""
        retracting = [guard for guard in self.rules.guard_sets.retracting.guards
                      if guard.anywhere and guard.retracts_alone and guard.cue_in(plain)]
        for self.number, clause in enumerate(clauses(plain)):
            if THIS_TASK_RE.search(clause):  # "To zadanie dotyczyło geo-service, więc jeszcze nie wyszło."
                self.about.update(canonical_component(found.group("id")) for found in ABOUT_RE.finditer(clause))
            if has_version(clause):
                self.clause(clause)
            if any(guard.cue_in(clause) for guard in retracting):
                self.retracted_in = self.number

    def clause(self, clause: str) -> None:
        """Read one clause: its pairs count unless a guard stops them (see `stop`). Rules are tried in order;
        once every version in the clause is named by a pair that counts, the later rules are not tried."""
        chosen = self.rules.prefilter.matching(clause) if self.chosen is self.rules.rules else self.chosen
        if not chosen and not self.rules.withdrawing:
            return
        data = clause.encode("utf-8")
        cued = self.rules.guard_sets.all.first(clause) is not None  # no cue anywhere: no pair is stopped
        parts = segments(clause) if cued else [(0, len(clause))]
        whole = phrases(clause, 0, len(clause)) if cued else []
        this_task = THIS_TASK_RE.search(clause) is not None
        if this_task:  # before the guards: a pair the clause calls this task's is not what its "unrelated" speaks of
            self._claims(clause, data)
        # each version as often as the clause names it ("notifier:1.14.2, notifier-worker:1.14.2" is two pairs)
        versions = VERSION_TOKEN_RE.findall(clause) if len(chosen) > 1 else []
        named: list[str] = []
        kept: list[Match] = []
        for rule in chosen:
            matches, refused = scan(rule, clause, self.accept)
            self.refused.extend(refused)
            for match in matches:
                stop = self.stop(clause, parts, whole, match, data) if cued else None
                if stop is None:
                    kept.append(match)
                    self.keep(match)
                    if rule.bump and not PLACE_RE.search(clause):
                        self.bumps.add((match.component, match.version))
                    named.append(match.version)
                else:
                    reason = f"guard {stop[0].name}: {stop[1]!r}"
                    self.refused.append(Refusal(match.rule, match.component, match.version, reason, stop[0].name))
            if versions and len(named) >= len(versions) and _all_named(versions, named):
                break  # a later rule could only name these pairs again
        for match in (match for match in kept if _aside(data, match, kept)):
            if self.matches.get(match.component) is match:
                del self.matches[match.component]
            self.refused.append(Refusal(match.rule, match.component, match.version, ASIDE))
        masked = clause
        for name in {match.component for match in kept} if cued and self.rules.withdrawing else ():
            masked = _own_name_masked(masked, name)  # "order-rollback-svc 1.4.0 deployed" rolls nothing back
        for start, end in parts if cued and self.rules.withdrawing else ():  # no cue: nothing withdrawn
            stop = self.rules.guard_sets.withdrawing.first(masked[start:end])
            if stop is not None:
                self.withdraw(stop[0], clause[start:end], masked[start:end])

    def _claims(self, clause: str, data: bytes) -> None:
        """Note the pairs the clause calls this task's: of the pairs it names, the one right before each "this
        task" when only punctuation parts them ("catalog 3.5.0 (esta tarea) y search-indexer 1.25.1", "| ledger |
        1.9.4 | #10398 (this one) |"), else the next one after it ("the relevant one for this ticket is
        media-proxy 3.2.0"), else the last one before it; every pair after a "this task" that opens the clause."""
        rule = _pair_rule(self.rules)
        named = scan(rule, clause, self.accept)[0] if rule is not None else []
        spans = [(_str_offset(data, m.at), _pair_end(clause, _str_offset(data, m.at), m.version), m)
                 for m in named if m.component != BARE]
        for claim in THIS_TASK_RE.finditer(clause):
            if NOT_THIS_BEFORE_RE.search(clause[max(0, claim.start() - 40):claim.start()]) \
                    or NOT_THIS_AFTER_RE.match(clause, claim.end()):
                continue  # "Unrelated to this task, but disk 24.200.5 …", "к этой задаче не относится"
            before = [(end, m) for _, end, m in spans if end <= claim.start()]
            after = [(start, end, m) for start, end, m in spans if start >= claim.end()]
            listed = after[:1]  # and the pairs listed with it, up to a hard break ("… ledger 2.9.1 — payments …")
            for start, end, m in after[1:]:
                if any(cut.group("hard") for cut in BREAK_RE.finditer(clause, listed[-1][1], start)):
                    break
                listed.append((start, end, m))
            after = [m for _, _, m in listed]
            if not before:  # "Für dieses Ticket sind jetzt live: tax-engine 9.1.0 und pricing-engine 2.9.0"
                owners = after
            elif not TASK_REF_RE.sub("", clause[before[-1][0]:claim.start()]).strip(CLAIM_GAP):
                owners = [before[-1][1]]
            else:
                owners = after[:1] or [before[-1][1]]
            self.marked.update((owner.component, owner.version) for owner in owners)

    def stop(self, clause: str, parts: list[tuple[int, int]], whole: list[Phrase], match: Match, data: bytes):
        """The guard and cue that stop a pair, if any: a cue in its scope (see `guard_scopes`), or in a later
        part of the clause before any version of its own ("im 24.500.0 is live, but not with this fix"; "…, but
        this fix is not in it; it goes out in 24.500.1")."""
        sets = self.rules.guard_sets
        at, start, end = (_str_offset(data, offset) for offset in (match.at, match.start, match.end))
        clause = _own_name_masked(clause, match.component)
        while end > at and clause[end - 1] in CUE_EDGES:  # a word edge the pattern took ("… is live;")
            end -= 1
        while start < at and clause[start] in CUE_EDGES:
            start += 1
        part_start, part_end = next(((s, e) for s, e in parts if s <= at <= e), parts[-1])
        found = whole if (part_start, part_end) == (0, len(clause)) else phrases(clause, part_start, part_end)
        (low, high), wide = guard_scopes(found, at, max(start, part_start), min(end, part_end))
        # the `anywhere` guards see the whole clause, turns included ("Unrelated to this task, but disk …")
        if found is not whole or (start, end) != (max(start, part_start), min(end, part_end)):
            wide = guard_scopes(whole, at, start, end)[1]
        wide_low, wide_high = wide
        # a pair its own phrase calls this task's ("This task's fix is in helpdesk-web 5.18.0 - billing-api and
        # reports are unrelated") is not what a later phrase's "unrelated" speaks of
        claimed = THIS_TASK_RE.search(clause, low, end) is not None or (match.component, match.version) in self.marked
        hit = sets.all.first(clause, low, high) \
            or (None if claimed else sets.anywhere.first(clause, wide_low, wide_high))
        if hit is not None:
            return hit
        again = functools.partial(self._said_again, version=match.version)
        later = ((s, _unversioned_end(clause, s, e, again)) for s, e in parts
                 if s > at and not _another_statement(clause, end, s))
        return next((hit for s, e in later if e > s and (hit := sets.all.first(clause, s, e))), None)

    def _said_again(self, phrase: str, version: str) -> bool:
        """Whether the phrase names the pair's version alone once more, and no other ("Im Build 7.1.4 ist es
        behoben, aber 7.1.4 ist noch nicht freigegeben": what the second says is said of the first)."""
        found = list(BARE_VERSION_RE.finditer(phrase))
        return bool(found) and all(one.group("version").lstrip("vV") == version and (
            not one.group("word") or not self.accept(one.group("word").strip(" |"), version, "", "")[0])
            for one in found)

    def keep(self, match: Match) -> None:
        """A release the message names; of two versions of one component in a message, the later one
        ("the bug came with tasks 24.300.0 and is fixed in tasks 24.300.2")."""
        kept = self.matches.get(match.component)
        # "@acme/ui-kit 3.2.1" on npm and "acme/ui-kit 3.2.1" on GitHub: one release, under its scoped name
        alias = next((name for name, other in self.matches.items()
                      if other.version == match.version and name != match.component
                      and (same_component(name, match.component) or same_component(match.component, name)
                           or name.replace("_", "-") == match.component.replace("_", "-")
                           or _tarball_name(name) == match.component or _tarball_name(match.component) == name)),
                     None)
        if alias is not None:  # (and "geo-tools" over the wheel's "geo_tools")
            if alias.startswith("@") or ("-" in alias and alias != _tarball_name(match.component)):
                return
            del self.matches[alias]
            kept = None
        if kept is None:
            if len(self.matches) < MAX_PAIRS_PER_MESSAGE:
                self.matches[match.component] = match
                self.kept_in[match.component] = self.number
        elif version_key(match.version) > version_key(kept.version):
            self.matches[match.component] = match
            self.kept_in[match.component] = self.number
        elif backport(kept.version, match.version) \
                and (self.number, match.at) > (self.kept_in[match.component], kept.at):
            self.backports.setdefault((match.component, match.version), match)

    def withdraw(self, guard: Guard, part: str, cued: str) -> None:
        """A rollback withdraws each component its pattern finds in the phrase holding the cue ("deployed crm
        25.1.0 and rolled back ui 3.2.0"), or after the cue when that phrase names none ("Rolled back: im …"),
        or in the phrase before when the guard speaks of its whole clause (`anywhere`) or the cue's phrase
        points back ("utils 1.4.2 is a transitive bump, unrelated"; "… went live and we reverted it"), and the
        pairs listed right after it ("reverted sso 1.4.0 and gateway
        2.2.3, im 24.500.0")."""
        if guard.withdraws_rule is None:
            return
        start, end = _cue_span(cued, guard.regex.search(cued))  # `cued`: the part, the releases' own names blanked
        breaks = list(BREAK_RE.finditer(part))  # the phrase holding the cue, whatever the break
        phrase_start = max((b.end() for b in breaks if b.end() <= start), default=0)
        phrase_end = min((b.start() for b in breaks if b.start() >= end), default=len(part))
        rule = guard.withdraws_rule
        found = scan(rule, part[phrase_start:phrase_end], self.accept)[0] or scan(rule, part[start:], self.accept)[0]
        earlier = [b for b in breaks if b.end() <= phrase_start]
        refers_back = guard.anywhere or PRONOUN_RE.search(part, phrase_start, phrase_end) is not None
        own_version = has_version(part[phrase_start:phrase_end])  # "(2.4.0 was the hotfix for the other ticket)"
        if not found and refers_back and not own_version and earlier and earlier[-1].group("hard") is None:
            # the phrase before is what it speaks of: "utils 1.4.2 is a transitive bump, nothing from this task is
            # in it"; "payments 3.2.4 went live at 18:05 and we reverted it at 18:20"
            found = scan(rule, part[earlier[-2].end() if len(earlier) > 1 else 0:earlier[-1].start()], self.accept)[0]
        if not found and guard.anywhere and not own_version:
            # "…, unrelated" speaks of its whole sentence: "FYI mail-gateway 1.30.0 had a flaky test, re-ran green, not
            # related to us"; not when its phrase names a version of its own ("; the 3.1.0-rc.2 on staging is
            # unrelated")
            found = scan(rule, part[:start], self.accept)[0]
        if not found and own_version and not guard.retracts_alone:  # "9.2.4 там вышла по другой задаче": that version
            for alone in BARE_VERSION_RE.finditer(part, phrase_start, phrase_end):
                self.disowned.setdefault(TakeBack(alone.group("version").lstrip("vV")), None)
        for cut in (b for b in breaks if b.start() >= phrase_end and b.group("hard") is None):
            following = next((b.start() for b in breaks if b.start() > cut.end()), len(part))
            listed = part[cut.end():following]
            pairs = scan(rule, listed, self.accept)[0]
            data = listed.encode("utf-8")
            lead = listed[:_str_offset(data, pairs[0].at)].lower().split() if pairs else ["-"]
            tail = listed[_str_offset(data, pairs[-1].end):] if pairs else ""
            if not set(lead) <= LIST_WORDS or (WORD_RE.search(tail) and self._states(listed)):
                # the list ends at a phrase that is more than a pair ("…, then deployed X 3.0", "…, X 2.0 is live")
                break
            found = [*found, *pairs]
        back_to = BACK_TO_RE.match(part, end) is not None  # "rolled back to sale 25.1.1": the version went back to
        if not guard.retracts_alone:  # "This task's fix is in X 5.18.0 - Y and Z are unrelated": not X
            claimed = THIS_TASK_RE.search(part, 0, start)
            found = [match for match in found  # and not "X 1.24.0 (наш фикс) и Y (не относится)"
                     if (claimed is None or match.at < len(part[:claimed.start()].encode()))
                     and (match.component, match.version) not in self.marked]
        for match in found:
            if guard.retracts_alone:  # a rollback: the component went back, older releases of it too
                self.withdrawn.setdefault(match.component, None)
            else:  # "crm 24.300.2 went out too, unrelated to this ticket": that release, not crm 24.300.1 before it
                self.disowned.setdefault(TakeBack(match.version, match.component), None)
            self.rolled_back.add((match.component, match.version))
            if back_to:
                self.rolled_back_to[match.component] = (self.number, match.version)

    def _states(self, text: str) -> bool:
        """Whether a rule reads a release in the text on its own ("frontend 3.1.3 ist jetzt live")."""
        return any(scan(rule, text, self.accept)[0] for rule in self.rules.prefilter.matching(text))

    def _undone(self, component: str) -> bool:
        """Whether a later clause of the message undid the release: a rollback of its component ("14:02 deployed
        sale 25.2.0 … 14:15 rolled back to sale 25.1.1"), or a take-back of all said before ("scratch that")."""
        kept_in = self.kept_in.get(component, -1)
        back_in, back_to = self.rolled_back_to.get(component, (-1, ""))
        return (back_in > kept_in and version_key(self.matches[component].version) > version_key(back_to)) \
            or self.retracted_in > kept_in

    def accept(self, raw: str, version: str, before: str, after: str) -> tuple[str, str]:
        """The component as recorded, or why the pair is not a release."""
        problem = version_problem(version, before, after)
        if problem:
            return "", problem
        component = canonical_component(raw)
        for suffix in (f"-{version}", f"-v{version}"):  # a chart named with its version: "notifier-1.15.2  1.15.2"
            if component.endswith(suffix) and len(component) > len(suffix):
                component = component[:-len(suffix)]
        if component == BARE or (app_of_platform(component, version) and not self.rules.components):
            return component, ""  # (the mobile app "android 8.41.0", not the system "Android 8.1.0")
        return self.rules.component_for(component)

    def reading(self) -> Reading:
        """Everything read so far; of several releases, those a clause calls this task's when it calls some so
        ("crm 24.300.5 ✅, tasks 24.200.6 ✅ (this task)")."""
        kept = [match for match in self.matches.values() if (match.component, match.version) not in self.rolled_back
                and not self._undone(match.component)]
        if self.about and not any(match.component in self.about for match in kept):
            kept = []  # "gateway 2.4.0 ✅ prod, … To zadanie dotyczyło geo-service, więc jeszcze nie wyszło."
        bumps = {pair for pair in self.bumps if any(match.component == pair[0] for match in kept)}
        if bumps and any((match.component, match.version) not in bumps for match in kept):
            # "Выложили на прод crm-connector 2.5.0. Внутри обновили guzzle до 7.8.1": guzzle went inside it
            kept = [match for match in kept if (match.component, match.version) not in bumps]
        marked = [match for match in kept if (match.component, match.version) in self.marked]
        backports = tuple(match for key, match in self.backports.items() if key not in self.rolled_back
                          and any(other.component == match.component for other in marked or kept)) \
            if self.backports else ()
        return Reading(tuple(marked or kept), tuple(self.refused), tuple(self.withdrawn), tuple(self.disowned),
                       rolled_back=tuple(sorted(self.rolled_back)), rolled_back_to=tuple(self.rolled_back_to),
                       marked=tuple(sorted(self.marked)), backports=backports, bumps=tuple(sorted(bumps)))
