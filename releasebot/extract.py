"""Which releases a task chat names: rules applied to its messages, newest first, page by page.

For each component the newest message naming it wins (and an older one too when either calls its release a
part of the task: "Part 1 … billing-api 3.15.0", "Part 2 … billing-api 3.16.0"). A newer correction ("не
24.100.2, а timeman 24.100.3") puts its version in place of the one it corrects. A rollback newer than the
deploy withdraws the component, and so does a reply that quotes an announcement and takes it back ("no, that
was the old build, it is not deployed yet"). The bot's own messages, recognised by the marker in their own
(unquoted) text, never match and never take a place in the max_messages window; only messages by the bot's own
user (its author id) are the bot's, so nobody else can hide a message or silence the bot by writing a marker.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from releasebot.comment import find_marker
from releasebot.model import Message, Release
from releasebot.normalize import has_quote, plain_text
from releasebot.rules.model import Match, Refusal, Rules
from releasebot.rules.reading import BARE, NOTHING, SEPARATOR_RE, VERSION_TOKEN_RE, Reading, TakeBack, named_pairs, read
from releasebot.rules.vocabulary import backport, one_product, same_component, version_key, version_shape

__all__ = ["Explanation", "Match", "ReleaseScan", "explain", "extract_releases", "is_own"]

SYSTEM = "system message"
OWN_COMMENT = "the bot's own comment"
RETRACTION_REACH = 3  # "ignore my last message" speaks of one of its author's three messages before it
QUOTED_ONLY = "quoted text only"
# A task closed with nothing of its own shipped: "We made no code changes for this task", "Closing as can't
# reproduce", "В коде мы по этой задаче ничего не меняли". Releases older than it are not this task's.
NOTHING_SHIPPED_RE = re.compile(
    r"(?<!\w)(?:made\s+no\s+(?:code\s+)?changes|no\s+code\s+(?:was\s+)?changed|nothing\s+(?:was\s+)?changed\s+for\s+this"
    r"|closing\s+(?:it\s+|this\s+)?as\s+(?:can'?t|cannot|could\s+not|not)\s+(?:reproduce|reproducible|a\s+bug)"
    r"|clos(?:e|ing|ed)\s+(?:it\s+|this\s+)?as\s+(?:won'?t\s+fix|duplicate)|ничего\s+не\s+меняли|ничего\s+не\s+менял"
    r"|изменений\s+(?:в\s+коде\s+)?(?:по\s+(?:этой\s+)?задаче\s+)?не\s+было|закрываю(?::\s*|,\s*|\s+как\s+)не\s+воспроизводится"
    r"|нічого\s+не\s+змінювали|закриваю(?::\s*|,\s*|\s+як\s+)не\s+відтворюється|keine\s+code-?änderungen"
    r"|nicht\s+reproduzierbar|no\s+(?:hicimos|hubo)\s+cambios|não\s+(?:fizemos|houve)\s+(?:mudanças|alterações)"
    r"|nie\s+wprowadzali(?:śmy)?\s+(?:żadnych\s+)?zmian"
    # no release at all: "Сервис не перезапускался, релиза не было", "налаштування в адмінці, без релізу"
    r"|релиза\s+не\s+было|без\s+релиза|релізу\s+не\s+було|без\s+релізу|no\s+release\s+(?:was\s+)?(?:needed|made|required)"
    r"|релиз\s+не\s+(?:нужен|требуется|понадобился)|реліз\s+не\s+(?:потрібен|знадобився)"
    r"|config(?:uration)?[\s-]+only|только\s+(?:конфиг|настройк)\w*|лише\s+(?:конфіг|налаштуван)\w*|nur\s+konfiguration"
    r"|without\s+a\s+release|no\s+deploy(?:ment)?\s+(?:was\s+)?(?:needed|required)|nothing\s+to\s+deploy"
    r"|kein\s+release|ohne\s+release|sin\s+(?:release|despliegue)|sem\s+(?:release|deploy)|bez\s+(?:wydania|release|wdrożenia)"
    # "Tu nic nie wyszło na produkcję", "nothing from this task was shipped"
    r"|nothing\s+(?:from|of)\s+this\s+(?:task|ticket)\s+(?:remains|is\s+left|stays|stayed)"
    r"|nothing\s+(?:(?:from|of)\s+this\s+(?:task|ticket)\s+)?(?:was\s+|got\s+)?(?:shipped|released|deployed)|nic\s+nie\s+(?:wyszło|wdrożyli\w*)"
    r"|ничего\s+не\s+(?:вышло|выкатили|ушло)|нічого\s+не\s+(?:вийшло|викотили)|nichts\s+(?:ausgerollt|released|deployed)"
    r"|nada\s+(?:sali[oó]|saiu|subiu|se\s+despleg[oó])"
    # the task dropped: "Then we're not doing this in this quarter. Closing"
    r"|(?:we'?re|we\s+are)\s+not\s+doing\s+(?:this|it)|не\s+(?:будем\s+)?делать\s+(?:это|её|ее)|не\s+(?:будемо\s+)?робити\s+це"
    r"|machen\s+wir\s+(?:das\s+)?nicht|no\s+lo\s+(?:vamos\s+a\s+)?hac(?:emos|er)|n[aã]o\s+vamos\s+fazer|nie\s+robimy\s+tego)"
    r"(?!\w)", re.IGNORECASE)
# Nothing needed changing or deploying: "prod is on promo-service 1.9.2, nothing to deploy", "Код менять не нужно".
# A version such a message names is what production runs, unless it says the fix is in it (FIX_IN_RE).
NO_CHANGE_RE = re.compile(
    r"(?<!\w)(?:nothing\s+to\s+(?:deploy|release|ship|change)|no\s+(?:development|dev\s+work|code\s+changes?|changes?"
    r"|release|deploy(?:ment)?)\s+(?:is\s+|was\s+|were\s+)?(?:needed|required|necessary)"
    r"|код\w*\s+(?:менять|трогать|править)\s+не\s+(?:нужно|надо|требуется)|(?:менять|трогать|править)\s+код\w*\s+не\s+(?:нужно|надо)"
    r"|(?:чіпати|міняти|змінювати)\s+(?:\S+\s+)?не\s+треба|не\s+треба\s+(?:нічого\s+)?(?:чіпати|міняти|змінювати)"
    r"|код\w*\s+(?:тут\s+|здесь\s+)?не\s+(?:нужен|нужно|требуется|потрібен)|no\s+code\s+(?:is\s+)?(?:needed|required)"
    r"|kein\s+code\s+(?:nötig|notwendig)|nie\s+trzeba\s+kodu"
    # "To nie jest release naszych jobów": what it names is no release
    r"|this\s+is\s+not\s+a\s+release|это\s+не\s+релиз|це\s+не\s+реліз|to\s+nie\s+jest\s+(?:release|wydanie)"
    r"|das\s+ist\s+kein\s+release|no\s+es\s+un\s+release|n[aã]o\s+[eé]\s+(?:um\s+)?release"
    # the team's own component untouched: "Сам audit-stream не трогали", "without an app version change"
    r"|сам(?:ого|ий|ый)?\s+[\w.-]+\s+не\s+(?:трогали|меняли|чіпали|міняли|обновляли|оновлювали)"
    r"|верси[яі]\s+сам(?:ого|ої)?\s+[\w.-]+\s+не\s+(?:менял|мінял)\w*|[\w.-]+\s+itself\s+(?:was\s+not|wasn't|is\s+not)\s+(?:touched|changed)"
    r"|(?:without|no)\s+(?:an?\s+)?(?:app(?:lication)?\s+)?version\s+change|bez\s+zmiany\s+wersji(?:\s+aplikacji)?|нечего\s+(?:выкатывать|деплоить|релизить|менять)|ничего\s+(?:выкатывать|деплоить|менять)\s+не\s+(?:нужно|надо)"
    r"|keine\s+(?:code-?)?änderung(?:en)?\s+(?:nötig|notwendig|erforderlich)|nichts\s+zu\s+(?:deployen|ändern)"
    r"|no\s+hace\s+falta\s+(?:cambiar|desplegar|tocar)|n[aã]o\s+(?:precisa|[eé]\s+necess[aá]rio)\s+(?:mudar|alterar|deploy|subir)"
    r"|nie\s+trzeba\s+(?:nic\s+)?(?:zmieniać|wdrażać|ruszać))(?!\w)", re.IGNORECASE)
FIX_IN_RE = re.compile(
    r"(?<!\w)(?:(?:fixed|fix(?:\s+is)?|included|landed|contained|shipped|went\s+out)\s+(?:in|with)|already\s+(?:fixed|deployed"
    r"|released|live|shipped|out|in)|исправлен\w*\s+в|уже\s+(?:исправлен|выложен|выкачен)|вошл\w*\s+в|виправлен\w*\s+в"
    r"|вже\s+(?:виправлен|викочен)|behoben\s+in|bereits\s+(?:behoben|enthalten)|corregid\w+\s+en|ya\s+est[aá]\s+corregid"
    r"|corrigid\w+\s+n|j[aá]\s+est[aá]\s+corrigid|naprawion\w*\s+w|poprawion\w*\s+w"
    r"|już\s+naprawion)(?!\w)", re.IGNORECASE)
# A system message naming the task: "Task #48213 created", "Task SRCH-121 … created", "Задача 512 завершена"
TASK_KEY_RE = re.compile(r"(?<!\w)(?:task|задача|задачу|завдання|aufgabe|tarea|tarefa|zadanie)"
                         r"(?:\s+(?:created|создана|створено|erstellt|creada|criada|utworzone))?\s*:?\s+(?:#|№)?\s*"
                         r"(?P<key>[A-Z][A-Z0-9]{1,9}-\d{1,7}|\d{2,12})(?![\w-])", re.IGNORECASE)
# A task named in a release's sentence: "hotfix crm-portal 1.7.1 (задача #5120)" is that task's release
TASK_NAMED_RE = re.compile(r"(?<!\w)(?:task|ticket|задач[аиуеі]|таск[аиу]?|тикет[аеу]?|тікет|завдання|aufgabe|tarea"
                           r"|tarefa|zadani[eau])\s*(?:#|№)\s*(?P<key>[A-Z][A-Z0-9]{1,9}-\d{1,7}|\d{2,12})(?![\w-])",
                           re.IGNORECASE)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\n")
# An issue tracker's key as a release lists what it includes: "Included: LOG-882, LOG-887"
ISSUE_KEY_RE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,9}-\d{1,7}(?![\w-])")
# Words one of those phrases holds: a text without any is not looked at further (cheaper than the pattern)
NOTHING_SHIPPED_HINTS = ("chang", "reproduc", "won", "duplicate", "меня", "измен", "воспроизв", "змінюв", "відтвор",
                         "needed", "required", "necessary", "нужно", "нужен", "потрібен", "надо", "треба", "нечего",
                         "nötig", "zu ", "falta", "precisa", "necess", "trzeba", "change",
                         "änderung", "reproduzier", "cambios", "mudan", "altera", "zmian", "релиз", "реліз", "release",
                         "deploy", "despliegue", "wydania", "wdroż", "nothing", "nic", "ничего", "нічого", "nichts",
                         "nada", "shipped", "released", "doing", "делать", "робити", "machen", "hac", "fazer",
                         "robimy", "сам", "itself", "version change", "zmiany", "only", "только", "лише", "nur ")
NOTHING_SHIPPED_HINT_RE = re.compile("|".join(map(re.escape, NOTHING_SHIPPED_HINTS)))
# A task delivered in parts: "Part 1 (API) shipped in billing-api 3.15.0", "Этап 2 выкатили в tasks 24.220.3".
PART_WORD = (r"part|phase|step|часть|части|этап|фаза|шаг|частина|етап|крок|teil|schritt|stufe|parte|fase|etapa|paso"
             r"|passo|część|etap|faza|krok")
PART_RE = re.compile(
    rf"(?<!\w)(?:(?:{PART_WORD})\s*(?:#|№)?\s*(?:\d{{1,2}}|(?-i:[A-D])|i{{1,3}}|iv|one|two|three)(?![\w.])"
    rf"|(?:first|second|third|1st|2nd|3rd|перв|втор|трет|перш|друг|erste|zweite|dritte|primer|segund|tercer|pierwsz|trzec)"
    rf"\w*\s+(?:{PART_WORD}))", re.IGNORECASE)


class ReleaseScan:
    """Reads messages newest first; for each component keeps the version from the newest message naming it."""

    def __init__(self, rules: Rules, bot_id: int | None = None, task_id: int | None = None):
        self.rules = rules
        # the task's own keys: its id, and the key its system messages name ("Task SRCH-121 created")
        self.task_keys: set[str] = {str(task_id)} if task_id is not None else set()
        self.bot_id = bot_id  # the bot's user on the portal; None: any message with a marker (rules test)
        self.seen = 0
        self._releases: dict[str, Release] = {}
        self._parts: dict[tuple[str, str], Release] = {}  # older releases of a component, of a task in parts
        self._parts_withdrawn: set[str] = set()
        # older lines' releases beside a newer line's (backports), counted when the chat speaks of lines
        self._backports: dict[tuple[str, str], Release] = {}
        # Versions named alone that a rule reads as released ("3.3.1 is live"), newest first, each with what
        # newer messages had taken back and withdrawn when it was read; and every component the chat names
        # with a version (released or stopped by a guard), which may make plain whose they are.
        self._alone: list[tuple[Message, Match, int, frozenset[str]]] = []
        self._named: dict[str, set[str]] = {}
        self._every_pair: dict[str, set[str]] | None = None
        self._bare_rollbacks: list[tuple[int, TakeBack]] = []  # (message, its take-back) of "rolled back to 4.9.8"
        self._nothing_shipped: Message | None = None  # the newest message saying nothing was changed for the task
        self.withdrawn: set[str] = set()
        self.own: list[Message] = []  # the bot's own messages met on the way, newest first
        self.newest_id: int | None = None  # the newest message read that is not the bot's own
        self.taken_back: list[TakeBack] = []  # what newer messages took back from older ones
        self.retracting: dict[int, int] = {}  # author -> messages left in which their retraction applies
        # For the misses' reasons (candidates.py): what each message read said, and the pairs it named that a
        # newer message withdrew or took back, with why.
        self.readings: dict[int, Reading] = {}
        self._passed_over: list[tuple[Message, Match, str]] = []
        self._withdrawn_by: dict[str, Message] = {}
        # What each message read said in words, in reading order (newest first), and which messages announced
        # several releases at once (a train): their releases are narrowed to those the chat spoke of before.
        self._texts: dict[int, str] = {}
        self._plain: dict[int, str] = {}  # the plain text of each message that names a release
        self._trains: dict[int, tuple[Message, tuple[Match, ...]]] = {}

    def feed(self, messages: Iterable[Message]) -> None:
        """Read the next messages (older than those fed before); those past max_messages are ignored."""
        for message in messages:
            if not self.wants_more:
                return
            self._read(message)

    @property
    def wants_more(self) -> bool:
        """False once max_messages non-system messages were read."""
        return self.remaining > 0

    @property
    def remaining(self) -> int:
        """How many more non-system messages are wanted."""
        return max(0, self.rules.max_messages - self.seen)

    @property
    def releases(self) -> tuple[Release, ...]:
        """One release per component, from the newest message naming it; of a message announcing several
        releases, those of components the chat spoke of before it, when it spoke of some (see `_others`)."""
        others = {(match.component, match.version) for _, match, _ in self._others()}
        releases = {**self._releases, **self._alone_releases()}
        for component in list(releases):  # a store card's app under the team's name for it
            name = self._app_name(component)
            if name == component:
                continue
            release = releases.pop(component)
            if name not in releases:
                releases[name] = replace(release, component=name)
        for component in self._rolled_back_alone(releases):
            del releases[component]
        for component in [c for c, release in releases.items() if self._disowned(release)
                          or self._someone_upgrading(release, releases) or self._a_word_beside(release, releases)
                          or _a_store_id(release, releases)]:
            del releases[component]
        bumps = [c for c, release in releases.items() if self._a_bump(release)]
        if len(bumps) < len(releases):  # "заодно обновил Alamofire до 5.9.1", then "dostavka-ios 2.11.1 — Ready"
            for component in bumps:
                del releases[component]
        lines = self._backports if self._backports and any(LINE_RE.search(text) for text in self._texts.values()) \
            else {}
        backports = [r for key, r in lines.items() if key not in self._parts and r.component in releases
                     and releases[r.component].version != r.version]
        return tuple(r for r in (*releases.values(), *self._parts.values(), *backports)
                     if (r.component, r.version) not in others)

    def _on_task_lines(self, message_id: int, matches: tuple[Match, ...]) -> list[Match]:
        """Of a train's releases, those on the lines naming this task ("| search-indexer | 0.9.3 | SRCH-118,
        SRCH-121 |", "• crm-sync 3.9.2 — #48213")."""
        if not self.task_keys:
            return []
        text = self._texts.get(message_id, "")
        key_re = re.compile(rf"(?<![\w-])#?(?:{'|'.join(map(re.escape, sorted(self.task_keys)))})(?![\w-])")
        lines = [line for line in text.split("\n") if key_re.search(line)]
        return [match for match in matches if any(match.version in line and _spoken_of(match.component, line)
                                                  for line in lines)]

    def _disowned(self, release: Release) -> bool:
        """Whether a newer message calls the release's component unrelated to this task by name alone
        ("b24-mobile и b24-kiosk к этой задаче не относятся")."""
        return any(number > release.message_id and any(_spoken_of(release.component, text)
                                                        for text in reading.disowning)
                   for number, reading in self.readings.items() if reading.disowning)

    def _someone_upgrading(self, release: Release, releases: dict[str, Release]) -> bool:
        """Whether the "release" is a customer or host moving to another component's release: a capitalized plain
        name with the version another message gives that component ("Northwind upgraded to 5.14.0 this morning"
        after "helpdesk-web 5.14.0 has been released")."""
        if not release.component.isalpha() or not any(
                other.version == release.version and other.message_id != release.message_id
                and not one_product(component, release.component) for component, other in releases.items()):
            return False
        words = CAPITALIZED_RE.findall(self._plain.get(release.message_id, ""))
        return release.component in {word.lower() for word in words}

    def _a_word_beside(self, release: Release, releases: dict[str, Release]) -> bool:
        """Whether the "release" is a plain word the chat says once, with the version of another component's
        release named by an id ("poprawka walidacji — wersja 1.9.1" beside "deploy-prod wms-bridge 1.9.1")."""
        if not release.component.isalpha() or not any(
                other.version == release.version and SEPARATOR_RE.search(other.component)
                and release.component not in other.component  # "ledger:1.14.2, ledger-worker:1.14.2": both
                for other in releases.values() if other is not release):
            return False
        return sum(1 for text in self._texts.values() if _spoken_of(release.component, text)) <= 1 \
            or _display_name(release.component, self._plain.get(release.message_id, ""))

    def _a_bump(self, release: Release) -> bool:
        """Whether the release is an upgrade its message says nowhere went anywhere (see Reading.bumps)."""
        reading = self.readings.get(release.message_id)
        return reading is not None and (release.component, release.version) in reading.bumps

    def _rolled_back_alone(self, releases: dict[str, Release]) -> list[str]:
        """The releases a newer "rolled back to 4.9.8" undid when it names no component: the chat's one release
        older than it and above that version, whatever its major ("checkout 5.0.0 → production: deployed",
        then "rolled back to 4.9.8"; the same major is taken back by the rollback itself)."""
        undone = []
        for message_id, back in self._bare_rollbacks:
            older = [r for r in releases.values() if r.message_id < message_id]
            if len(older) == 1 and version_key(older[0].version) > version_key(back.version.lstrip("vV")) \
                    and not (back.until and version_key(older[0].version) >= version_key(back.until)):
                undone.append(older[0].component)  # (not the version the rollback's message names as working)
        return list(dict.fromkeys(undone))

    def _alone_releases(self) -> dict[str, Release]:
        """The versions named alone, given the component the chat names them with: "Done — 4.18.0 is at 100% in
        prod" in a chat that speaks of checkout-api 4.17.3 and no other component of that shape. Each counts
        unless a newer message named a release of that component, or took it back."""
        found: dict[str, Release] = {}
        for message, match, backs, withdrawn in self._alone:
            if self._nothing_shipped is not None and message.id < self._nothing_shipped.id:
                continue  # "we made no code changes for this task" came after it
            component = self._whose(match.version)
            kept = self._releases.get(component)
            if not component or component in found or (kept is not None and kept.message_id >= message.id):
                continue
            if any(same_component(said, component) for said in withdrawn) \
                    or any(back.covers(component, match.version) for back in self.taken_back[:backs]):
                continue
            found[component] = _release(replace(match, component=component), message)
        return found

    def _whose(self, version: str) -> str:
        """The one component the chat names with this version, or else with a version of its shape and major
        ("4.17.3" for "4.18.0"); "" when none or several."""
        for named in (self._named, self._all_named()):  # what the rules read first, then any pair the chat names
            exact = {self._app_name(component) for component, versions in named.items() if version in versions}
            if exact:
                return exact.pop() if len(exact) == 1 else ""
            shape = version_shape(version)
            alike = {component for component, versions in named.items()
                     if any(version_shape(other) == shape for other in versions)}
            if alike:
                return alike.pop() if len(alike) == 1 else ""
        return ""

    def _app_name(self, component: str) -> str:
        """The team's name for an app a store card names by its store id or its display name ("Campus
        (edu.unicampus.app): release 5.1.1" in a chat that speaks of campus-app): the one component the chat
        names that starts with the display name; else the component itself."""
        if STORE_ID_RE.fullmatch(component) is not None:  # the display names shown with it: "Campus (…)"
            shown = {found.group(1).lower() for text in self._texts.values() for found in
                     re.finditer(rf"([\w-]+)(?:\s+\([^()]*\))?\s*\({re.escape(component)}\)", text)}
        else:  # a display name, when the chat shows it with a store id
            stores = [other for other in self._named if other != component and STORE_ID_RE.fullmatch(other)]
            if not any(f"{component} ({store})" in text for store in stores for text in self._texts.values()):
                return component
            shown = {component}
        names = {name for name in (*self._named, *self._all_named()) if STORE_ID_RE.fullmatch(name) is None
                 and any(name != word and name.startswith((f"{word}-", f"{word}_")) for word in shown)}
        return names.pop() if len(names) == 1 else component

    def _all_named(self) -> dict[str, set[str]]:
        """Every pair the chat's messages name ("Reported on sync-engine 9.4.1"), read once, when needed."""
        if self._every_pair is None:
            self._every_pair = {}
            for text in self._texts.values():
                for match in named_pairs(self.rules, text):
                    self._every_pair.setdefault(match.component, set()).add(match.version)
        return self._every_pair

    @property
    def passed_over(self) -> list[tuple[Message, Match, str]]:
        """The pairs messages named that do not count because of another message, with why."""
        return [*self._passed_over, *self._others()]

    def _others(self) -> list[tuple[Message, Match, str]]:
        """Another team's releases in a train announcement: "Train #22 is out — crm 24.310.0, im 24.510.0 and
        report-builder 2.11.0 are deployed" in a chat that spoke only of crm before counts crm alone. A chat
        that spoke of none of them, or of all, keeps them all."""
        found = []
        sources = {release.message_id for release in self._releases.values()}
        for message_id, (message, matches) in self._trains.items():
            if message_id not in sources:
                continue  # a newer message named these components: this one's releases are not the result
            # a newer message says which of them is this task's ("Our change rides in ledger 2.9.1")
            marked = {pair for number, reading in self.readings.items() if number > message_id
                      for pair in reading.marked}
            own = [match for match in matches if (match.component, match.version) in marked] \
                or self._on_task_lines(message_id, matches)
            if own and len(own) < len(matches):
                found += [(message, match, "another team's release: a later message says which of them is this "
                           "task's") for match in matches if match not in own]
                continue
            # what the chat said before, but not another list of the same releases (the train's manifest)
            # (a message calling it unrelated does not speak of it: "FYI mail-gateway 1.30.0 …, not related to us")
            earlier = [(number, text) for number, text in self._texts.items() if number < message_id
                       and sum(match.version in text for match in matches) < 2]
            joined = " ".join(text for _, text in earlier)
            spoken = [match for match in matches if _spoken_of(match.component, joined) and any(
                _spoken_of(match.component, text) and not _disowns(self.readings[number], match.component)
                for number, text in earlier)]
            if spoken and len(spoken) < len(matches):
                found += [(message, match, "another team's release in an announcement of several: the chat "
                           "never spoke of it before") for match in matches if match not in spoken]
        return found

    def note_task_keys(self, message: Message) -> None:
        """Note the task keys a system message names near its start (the task's own, from its creation)."""
        self.task_keys.update(found.group("key").lower() for found in TASK_KEY_RE.finditer(message.text[:500]))

    def _read(self, message: Message) -> None:
        if message.is_system:
            self._note_newest(message)
            self.note_task_keys(message)
            return
        plain = plain_text(message.text)
        if _by(message, self.bot_id) and find_marker(plain) is not None:
            self.own.append(message)
            return
        self._note_newest(message)
        self.seen += 1
        reading = read(self.rules, message.text, plain=plain)
        self.readings[message.id] = reading
        low = plain.lower()
        self._texts[message.id] = low
        if len(reading.matches) > 1:
            self._trains[message.id] = (message, reading.matches)
        if reading.matches:
            self._plain[message.id] = plain
        retracted = self._retracted_by_author(message, reading)
        if self._nothing_shipped is None and NOTHING_SHIPPED_HINT_RE.search(low) and (
                NOTHING_SHIPPED_RE.search(plain) if not reading.matches else _none_needed(plain, reading.matches)):
            self._nothing_shipped = message  # (and the versions it names itself are what runs)
        if reading is NOTHING:
            return  # it names no version and takes nothing back: the rest has nothing to do
        for named in (*reading.matches, *(refusal for refusal in reading.refused if refusal.guard)):
            if named.component != BARE:
                self._named.setdefault(named.component, set()).add(named.version)
        withdrawn_before = frozenset(self.withdrawn)
        for match in reading.matches:
            # a newer message corrected it ("не 24.100.2, а timeman 24.100.3"): the announcement stands, corrected
            match = next((back.corrected(match) for back in self.taken_back
                          if back.instead and back.covers(match.component, match.version)), match)
            why = self._why_passed_over(match, retracted) or self._another_tasks(plain, match)
            if why:
                self._passed_over.append((message, match, why))
                continue
            named = next((r for c, r in self._releases.items() if c != match.component and r.version == match.version
                          and r.message_id != message.id and one_product(c, match.component)), None)
            if named is not None and match.component not in self._releases:
                if _fuller_name(match.component, named.component):  # "Portal 6.1.4 live" after tracking-portal's
                    self._releases = {match.component if c == named.component else c:
                                      replace(r, component=match.component) if c == named.component else r
                                      for c, r in self._releases.items()}
                    continue
                self._passed_over.append((message, match, f"the same release a newer message names "
                                                          f"{named.component} {named.version}"))
                continue
            kept = self._releases.setdefault(match.component, _release(match, message))
            if kept.version == match.version or match.component in self._parts_withdrawn:
                continue
            if self._in_parts(plain, kept):
                self._parts.setdefault((match.component, match.version), _release(match, message))
            elif backport(match.version, kept.version) and (
                    LINE_RE.search(self._texts.get(kept.message_id, ""))
                    or version_key(kept.version)[0] != version_key(match.version)[0]):
                # a newer message's release of an older line: a backport ("billing-api 4.8.3 (LTS) published")
                self._backports.setdefault((match.component, match.version), _release(match, message))
        for match in reading.backports:  # "billing-api 5.7.2 und billing-api 4.8.7 (LTS)"
            if match.component not in self._parts_withdrawn and not self._why_passed_over(match, retracted):
                self._backports.setdefault((match.component, match.version), _release(match, message))
        for component in reading.withdrawn:
            if component in self._releases:  # rolled back before its newer release: no older part counts
                self._parts_withdrawn.add(component)
            else:
                self.withdrawn.add(component)
                self._withdrawn_by.setdefault(component, message)
        self.taken_back.extend(reading.taken_back)
        self._bare_rollbacks.extend((message.id, back) for back in reading.taken_back
                                    if back.and_later and not back.component)
        if not retracted:  # what newer messages withdrew, and what they and this one took back, applies to it
            self._alone.extend((message, match, len(self.taken_back), withdrawn_before) for match in reading.alone)
        for back in (back for back in reading.taken_back if back.and_later):
            # "rolled back to 3.2.0": the restored version a CD tool then reports running is no release of this task
            for component in [c for c, r in self._releases.items() if back.covers(c, r.version)
                              and r.version == back.version.lstrip("vV")]:
                del self._releases[component]
            for key in [key for key in self._parts if back.covers(*key) and key[1] == back.version.lstrip("vV")]:
                del self._parts[key]
        if reading.retracts_previous:
            self.retracting[message.author_id] = RETRACTION_REACH

    def _in_parts(self, plain: str, newer: Release) -> bool:
        """Whether an older release of a component counts beside the newer one: either message calls its
        release a part of the task ("Part 1 (API) shipped in billing-api 3.15.0" … "Part 2 is live in
        billing-api 3.16.0"). Without that, the newer release replaces it (a hotfix, a second try)."""
        return PART_RE.search(plain) is not None or PART_RE.search(self._texts.get(newer.message_id, "")) is not None

    def _why_passed_over(self, match: Match, retracted: bool) -> str:
        """Why a pair a message names does not count, because of a newer message ("" when it counts)."""
        if retracted:
            return "taken back by its author's later message ('ignore my last message')"
        if self._nothing_shipped is not None:
            return f"a later message (#{self._nothing_shipped.id}) says nothing was changed for this task"
        withdrawn = next((said for said in self.withdrawn if same_component(said, match.component)), None)
        if withdrawn is not None:
            later = self._withdrawn_by.get(withdrawn)
            by = f" (#{later.id})" if later is not None else ""
            return (f"taken back by a later reply quoting it{by}" if later is not None and has_quote(later.text)
                    else f"withdrawn by a later rollback{by}")
        if any(back.covers(match.component, match.version) for back in self.taken_back):
            return "taken back by a later message (a correction, or 'that went to staging')"
        return ""

    def _another_tasks(self, plain: str, match: Match) -> str:
        """Why the release is another task's: its sentence names that task and not this one ("вечером выкатили
        хотфикс crm-portal 1.7.1 (задача #5120)"), or its message lists the project's issues it includes and not
        this one ("fleet-ui 1.33.0 deployed … Included: LOG-882, LOG-887" in LOG-901's chat); "" when it does not,
        or when this task's key is unknown."""
        if not self.task_keys:
            return ""
        own = {key for key in self.task_keys if "-" in key}
        projects = {key.split("-")[0] for key in own}
        listed = {key.lower() for key in ISSUE_KEY_RE.findall(plain)} if own else set()
        listed = {key for key in listed if key.split("-")[0] in projects}
        if listed and not listed & own and set(VERSION_TOKEN_RE.findall(plain)) <= {match.version}:  # one release's
            return f"its message lists other issues of the project ({', '.join(sorted(listed))})"
        if "#" not in plain and "№" not in plain:
            return ""
        for sentence in SENTENCE_END_RE.split(plain):
            keys = {found.group("key").lower() for found in TASK_NAMED_RE.finditer(sentence)}
            if keys and not keys & self.task_keys and match.version in sentence \
                    and _spoken_of(match.component, sentence):
                return f"its sentence names another task ({', '.join(sorted(keys))})"
        return ""

    def _retracted_by_author(self, message: Message, reading) -> bool:
        """Whether a newer message of this message's author ("ignore my last message, wrong chat") takes back
        what it announces: the author's latest announcement within RETRACTION_REACH of their messages."""
        left = self.retracting.get(message.author_id)
        if left is None:
            return False
        if reading.matches:
            del self.retracting[message.author_id]
            return True
        if left <= 1:
            del self.retracting[message.author_id]
        else:
            self.retracting[message.author_id] = left - 1
        return False


    def _note_newest(self, message: Message) -> None:
        if self.newest_id is None:
            self.newest_id = message.id


# A chat speaking of release lines: a backport to the LTS, maintenance branches ("release/3.9", "ветка 2.3")
LINE_RE = re.compile(
    r"(?<![\w/])(?:lts|backport\w*|back-port\w*|cherry-?pick\w*|maintenance\s+(?:line|branch|release)\w*"
    r"|(?:release|maint|support)/v?\d|(?:old|older|previous|supported|maintained)\s+(?:line|branch)\w*"
    r"|бэкпорт\w*|бекпорт\w*|(?:ветк|гілк)\w*\s+v?\d|(?:поддерживаем|підтримуван|старой|старую|предыдущ)\w*\s+(?:ветк|гілк)\w*"
    r"|wartungs\w*|(?:zweig|linie|rama|ramo|linha|gałę\w*|gałąź)\s+v?\d)(?!\w)", re.IGNORECASE)
def _a_store_id(release: Release, releases: dict[str, Release]) -> bool:
    """Whether the release is an app's store id ("Campus (edu.unicampus.app): release 4.6.1 … 100% of users") of
    the same version the chat names under the team's own name for the app ("campus-app 4.6.1")."""
    return STORE_ID_RE.fullmatch(release.component) is not None and any(
        other is not release and other.version.partition("+")[0] == release.version.partition("+")[0]
        and STORE_ID_RE.fullmatch(other.component) is None for other in releases.values())


# A reverse-domain id, as stores name apps: com.acme.shop, edu.unicampus.app
STORE_ID_RE = re.compile(r"[a-z]{2,6}\.[a-z0-9_-]+\.[a-z0-9_.-]+")


def _none_needed(plain: str, matches: tuple[Match, ...]) -> bool:
    """Whether the message says nothing needed changing or deploying, of the versions it names: before them, or
    in their sentence ("No development needed. … prod is on promo-service 1.9.2"), and not that the fix is in one
    ("no code change needed, already fixed in ui 3.2.1"). A remark after them on something else is not of them
    ("Shipped to prod: partner_portal 1.15.0. … the third reseller sends their tenant id next week (config only,
    no release needed)")."""
    said = NO_CHANGE_RE.search(plain)
    if said is None or FIX_IN_RE.search(plain):
        return False
    if said.start() < min(plain.find(match.version) for match in matches):
        return True
    start = max((end.end() for end in SENTENCE_END_RE.finditer(plain, 0, said.start())), default=0)
    sentence = plain[start:next((end.start() for end in SENTENCE_END_RE.finditer(plain, said.end())), len(plain))]
    return any(match.version in sentence for match in matches)


def _display_name(component: str, plain: str) -> bool:
    """Whether the message names the component only as the first word of a name of capitalized words, an app's
    display name ("App Name: CityTrans Go"), not as an id."""
    found = [m for m in re.finditer(rf"(?<![\w@/.-]){re.escape(component)}(?![\w@/-])", plain, re.IGNORECASE)]
    return bool(found) and all(m.group(0)[:1].isupper() and DISPLAY_NAME_TAIL_RE.match(plain, m.end()) for m in found)


DISPLAY_NAME_TAIL_RE = re.compile(r"[ \t]+[A-Z][\w]*(?:[ \t]*$|[ \t]*\n|[ \t]+[A-Z])", re.MULTILINE)
CAPITALIZED_RE = re.compile(r"(?<![\w@/.-])[A-Z][a-z]+(?![\w@/-])")


def _spoken_of(component: str, text: str) -> bool:
    """Whether the text names the component as a word (a scoped package also by its name alone)."""
    return _name_re(component).search(text) is not None


@functools.lru_cache(maxsize=1024)
def _name_re(component: str) -> re.Pattern:
    names = sorted({component, component.rsplit("/", 1)[-1]}, key=len, reverse=True)
    return re.compile(rf"(?<![\w@/.-])(?:{'|'.join(map(re.escape, names))})(?![\w-])")


def is_own(message: Message, bot_id: int | None = None) -> bool:
    """True for a message the bot wrote: by the bot's user (`bot_id`, when known), with the marker in its own,
    unquoted text (never a system message)."""
    return not message.is_system and _by(message, bot_id) and find_marker(plain_text(message.text)) is not None


def _by(message: Message, bot_id: int | None) -> bool:
    return bot_id is None or message.author_id == bot_id


def extract_releases(rules: Rules, messages: Iterable[Message]) -> tuple[Release, ...]:
    """The releases named in messages given newest first (a one-page ReleaseScan)."""
    messages = list(messages)
    scan = ReleaseScan(rules)
    for message in messages:  # the task's own key, from the system message of its creation (the worker knows it)
        if message.is_system:
            scan.note_task_keys(message)
    scan.feed(messages)
    return scan.releases


@dataclass(frozen=True)
class Explanation:
    """What the rules make of one message: skipped and why, or what matched and by which rule."""

    message: Message
    matches: tuple[Match, ...] = ()
    skipped: str = ""
    quoted: tuple[Match, ...] = ()  # what the quoted text would have named, had quotes counted
    refused: tuple[Refusal, ...] = ()  # pairs a rule matched that are not releases, and why
    withdrawn: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        """One line: the matches with their rules, why the message was skipped, or "no match"."""
        if self.matches:
            return ", ".join(f"{m.component} {m.version} (rule {m.rule})" for m in self.matches)
        verdict = f"skipped: {self.skipped}" if self.skipped else "no match"
        if self.withdrawn:
            verdict = f"withdraws {', '.join(self.withdrawn)}"
        elif self.refused and not self.skipped:
            first = self.refused[0]
            verdict += f" ({first.component} {first.version} by rule {first.rule} refused: {first.reason})"
        if self.quoted:
            named = ", ".join(f"{m.component} {m.version}" for m in self.quoted)
            verdict += f" (the quoted text names {named}, but quotes never count)"
        return verdict


def explain(rules: Rules, message: Message) -> Explanation:
    """Why a message yields what it does, for `releasebot rules test`."""
    if message.is_system:
        return Explanation(message, skipped=SYSTEM)
    plain = plain_text(message.text)
    if find_marker(plain) is not None:
        return Explanation(message, skipped=OWN_COMMENT)
    reading = read(rules, message.text)
    matches = reading.matches
    quoted = () if matches else _quoted_matches(rules, message.text)
    if not matches and message.text.strip() and not plain.strip():
        return Explanation(message, skipped=QUOTED_ONLY, quoted=quoted)
    return Explanation(message, matches, quoted=quoted, refused=reading.refused, withdrawn=reading.withdrawn)


def _quoted_matches(rules: Rules, text: str) -> tuple[Match, ...]:
    """What the message would name if its quoted text counted."""
    return read(rules, text, keep_quotes=True).matches


def _disowns(reading: Reading, component: str) -> bool:
    """Whether a message withdraws the component or takes back a release of it ("…, not related to us")."""
    return any(same_component(said, component) for said in reading.withdrawn) or \
        any(back.component and same_component(back.component, component) for back in reading.taken_back)


def _fuller_name(name: str, short: str) -> bool:
    """Whether a name is a fuller form of a short one, its last word ("tracking-portal" of "portal"): what an older
    message names in full, a newer one may name by its last word (not "notifier" of "notifier-worker", another
    part of one product)."""
    return name.endswith((f"-{short}", f"_{short}"))


def _release(match: Match, message: Message) -> Release:
    return Release(match.component, match.version, match.rule,
                   message.id, message.author_id, message.created_at)
