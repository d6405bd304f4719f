"""The one thing a deploy bot's card is about, for the versions it names alone.

CI and CD tools name the component and its version apart: "Service: catalog · Artifact tag: 25.2.1",
"acme/rest-api · pipeline #1782 · tag 25.3.2", "billing-api » deploy-prod - #97 Back to normal",
"Application tasks-prod has been successfully synced", "Build Payments::Deploy to Production". When a message
names exactly one such subject, each version it names alone ("tag 25.3.2", "Release 25.100.0 was deployed")
is read as that subject's, and the rules and guards decide about it as about any pair. Two subjects, or none,
and nothing changes: a version is never given a component the message does not make plain.
"""

from __future__ import annotations

import re

from releasebot.clauses import URL_RE

ID = r"(?:@[a-z0-9][\w.-]*/)?[a-z0-9][\w.@-]*[a-z0-9]"  # "billing-api", a scoped package "@acme/ui-kit"
KEYS = (r"service|app|app\s+name|application|component|project|projects|repo|repository|package|module|pipeline"
        r"|job|chart|release\s+name|программа|програма|застосунок|додаток|aplikacja|aplicativo"
        r"|сервис|приложение|проект|компонент|модуль|пакет|репозиторий|dienst|anwendung|projekt|servicio|proyecto"
        r"|aplicaci[oó]n|servi[cç]o|projeto|aplica[cç][aã]o|serwis|projekt|aplikacja")
SUBJECT_RES = (
    # a card's field: "Service: catalog", "Project - crm", "app=payments"
    re.compile(rf"(?<![\w-])(?:{KEYS})\s*(?::|=|\s-\s)\s*[\"'`*]*(?P<id>{ID})(?![\w/@:-])", re.IGNORECASE),
    # a card's field over two lines (Slack and Teams cards): "Project\ncrm"; Sentry: "… for this project\ncrm"
    re.compile(rf"(?:(?:^|\n)[ \t]*(?:{KEYS})[ \t]*:?|for\s+this\s+project)[ \t]*\n"
               rf"[ \t]*[\"'`*\[]*(?P<id>{ID})[\"'`*\]]*[ \t]*(?:\n|$)", re.IGNORECASE),
    # GitLab's deployment message: "payments-gateway with job #98231 by Marta Nowak"
    re.compile(rf"(?:^|\n)\W*(?P<id>{ID})\W*\s+with\s+job\s+\W*#?\d", re.IGNORECASE),
    # a card's title naming its project first: "paywall: Deployment to production succeeded"
    re.compile(rf"(?:^|\n)\W*(?P<id>{ID}):[ \t]+(?:deployment|deploy|deployed|rollout)[ \t]+(?:to|of|on|in)\s",
               re.IGNORECASE),
    # Bitbucket's: "web_frontend · Pipeline #1422 · main"
    re.compile(rf"(?:^|\n)\W*(?P<id>{ID})\s+·\s+(?:pipeline|build|deployment)\s+#", re.IGNORECASE),
    # a repository path: "acme/rest-api", "platform/payments" (an image with its tag is a pair already)
    re.compile(r"(?<![\w./@:#-])(?P<id>[a-z][\w.-]*(?:/[a-z0-9][\w.-]*)+)(?![\w/@:-])", re.IGNORECASE),
    # Argo CD and its like: "Application crm-prod has degraded", "app payments is synced"
    re.compile(rf"(?<![\w-])(?:application|app|приложение)\s+[\"'`*]*(?P<id>{ID})[\"'`*]*\s+"
               rf"(?:is|has|was|sync|synced|health|синхрон)", re.IGNORECASE),
    # a deploy's line: "Deploy crm-backend to production ✅", "Deployment … succeeded for forms (pipeline #60331)"
    re.compile(rf"(?<![\w-])(?:deploy|deployment|release|rollout|promote|promotion)\s+(?:of\s+)?[\"'`*]*(?P<id>{ID})"
               rf"[\"'`*]*\s+(?:to|on|in|into)\s", re.IGNORECASE),
    re.compile(rf"(?:succeeded|successful|completed|finished|done|failed|recorded)\s+for\s+[\"'`*]*(?P<id>{ID})",
               re.IGNORECASE),
    # "✅ leadwise-widget deployed to production"
    re.compile(rf"(?:^|\n)\W*(?P<id>{ID})\s+(?:deployed|released|promoted|published)\s+(?:to|on|in|into)\s",
               re.IGNORECASE),
    # Helm: 'Release "notify-gateway" has been upgraded. Happy Helming!'
    re.compile(rf"release\s+\"(?P<id>{ID})\"\s+has\s+been\s+(?:upgraded|installed)", re.IGNORECASE),
    # Jenkins: "billing-api » deploy-prod - #97 …" (the plain text has » as ");
    # TeamCity: "Build Payments::Deploy …", "Build CRM / Deploy …"
    re.compile(rf"(?:^|\n)\W*(?P<id>{ID})\s+[»\"]\s|(?<![\w.@/-])(?P<id2>{ID})\s+[»\"]\s+[\w-]*(?:deploy|release|build)",
               re.IGNORECASE),
    # prose naming the component apart from its version: "nasz problem był po stronie kassa-front i jest już poprawiony
    # w 5.2.1", "ошибка в модуле crm-sync, исправлено в 3.8.1" (an id with a separator, after a word for one)
    re.compile(r"(?<![\w-])(?:(?:in|im|в|у|w)\s+(?:the\s+|dem\s+)?(?:module|service|component|modul|moduł|модуле|сервисе"
               r"|компоненте|модулі|сервісі)|модуля|сервиса|компонента|po\s+stronie|по\s+стороне|на\s+стороне|на\s+боці)\s+[\"'`*«]*"
               r"(?P<id>[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+)[\"'`*»]*(?![\w/@:.-]|\s+v?\d)", re.IGNORECASE),
    re.compile(rf"(?<![\w-])build\s+[\"'„“«]?(?:{ID}\s*(?:::|\s/\s)\s*)*?(?P<id>{ID})\s*(?:::|\s/\s)\s*(?!{ID}\s*(?:::|\s/\s))",
               re.IGNORECASE),
)
# The words that may stand before a version that is the subject's: none, a field's name ("tag:"), or a word for a
# version; any other word names something else ("runtime is still python 3.11.8").
LEAD_WORDS = frozenset({
    "", "v", "version", "ver", "release", "build", "tag", "ref", "revision", "rev", "image", "artifact", "artefact",
    "верс", "версия", "версии", "версию", "версія", "версію", "релиз", "реліз", "сборка", "сборку", "тег",
    "versión", "versão", "wersja", "wersję", "wersji", "to", "as", "до", "на", "auf", "a", "para", "na", "do",
    # "prod is 1.7.1", "na produkcji jest 1.7.1", "now 4.18.0", "at 4.18.0"
    "is", "it's", "now", "at", "jest", "ist", "es", "está", "é", "есть", "є", "теперь", "тепер", "jetzt", "teraz",
    "ahora", "agora", "la", "o", "die", "der", "in", "into", "with", "в", "у", "w", "em", "en", "mit", "con", "com",
    "hotfix", "fix", "bugfix", "patch", "хотфикс", "фикс",
    # "prod running 5.12.0"
    "running", "runs", "serving",
})
MAX_SUBJECT_TEXT = 4000  # a card is short: a subject is looked for in a message's first characters only


def subject_names(plain: str) -> list[str]:
    """Every subject the message's text names, as written, in text order (a link's path names none)."""
    head = URL_RE.sub(" ", plain[:MAX_SUBJECT_TEXT])
    found = [(m.start(group), m.group(group)) for regex in SUBJECT_RES for m in regex.finditer(head)
             for group in ("id", "id2") if group in regex.groupindex and m.group(group)]
    return [name for _, name in sorted(found)]


def leads_to_subject(word: str) -> bool:
    """Whether a version after this word (lowercase) may be the subject's."""
    word = word.lstrip("-")  # a command's option: "--version 0.9.8"
    return word in LEAD_WORDS or word.endswith((":", ",", "=", "#", ".", "!", "?", ";", ")")) \
        or not any(char.isalpha() for char in word) or SHIPPED_VERB_RE.fullmatch(word) is not None


# A verb saying a version shipped, right before it: "Установили 2.4.1 на прод", "deployed 3.0.1 this morning"
SHIPPED_VERB_RE = re.compile(
    r"(?:deployed|released|shipped|installed|published|выложил|выкатил|установил|задеплоил|зарелизил|раскатил|залил"
    r"|викотил|встановил|задеплоїл|розгорнул|wdrożyl|wdrożył|zainstalowal|zainstalował|opublikowal|opublikował"
    r"|desplegamos|instalamos|publicamos|implantamos|instalei|publiquei)\w*")
