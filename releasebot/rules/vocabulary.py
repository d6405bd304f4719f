"""What a component and a version can be: the words that are never components, and the numbers that are
never versions (times, dates, IP addresses, sizes, money, percentages).

Without a `components:` list in rules.yaml, any id-shaped word before a version could be taken for a
component; NEVER_COMPONENTS is what keeps "deployed to prod at 09.15" or "rolled out to Android 14.1 users"
from naming a release. rules.yaml's `not_components:` adds words to it.
"""

from __future__ import annotations

import functools
import re

from releasebot.clauses import DAY_MONTH

NOT_A_VERSION = "not a version"  # how every reason version_problem gives begins
# A CD tool's application named for its environment ("payments-prod" beside the image ".../payments:3.2.1").
ENVIRONMENT_SUFFIX_RE = re.compile(r"[-_.](?:prod|production|prd|live|build)$")  # and a build pipeline's "-build"
NUMBER_RE = re.compile(r"v?\d+(?:\.\d+)*")
COMMIT_RE = re.compile(r"[0-9a-f]{7,40}")
REGION_RE = re.compile(r"(?:eu|us|ap|sa|ca|me|af|cn|ru|de|uk|asia|europe)(?:-[a-z]+){0,2}-\d{1,2}[a-z]?")
SUFFIX_RE = re.compile(r"[-+]")
MAX_COMPONENT = 64
MAX_VERSION = 64

NEVER_COMPONENTS = frozenset({
    "succeeded", "success", "successful", "successfully", "completed", "complete", "finished", "passed", "failed",
    "done", "ok", "ready", "started", "running", "serving", "healthy", "green", "red", "status", "result", "state",
    "released", "shipped", "published", "rolled", "merged", "fixed", "resolved", "included", "landed", "tested",
    "morning", "evening", "afternoon", "night", "tonight", "today", "yesterday", "tomorrow", "week", "month",
    "year", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "since", "ago", "hour",
    "hours", "minute", "minutes", "second", "seconds", "utc", "gmt", "msk", "am", "pm", "runbook", "docs", "doc",
    "сегодня", "вчера", "завтра", "утром", "вечером", "ночью", "сьогодні", "вчора", "ввечері", "вночі", "heute",
    "gestern", "morgen", "hoy", "ayer", "anoche", "hoje", "ontem", "amanhã", "dziś", "dzisiaj", "wczoraj", "jutro",
    "confluence", "jira", "ticket", "issue", "task", "bug", "pr", "mr", "changelog", "notes",
    "took", "takes", "take", "average", "avg", "mean", "median", "section", "chapter", "page", "paragraph",
    "line", "table", "figure", "rate", "ratio", "score", "size", "cost", "price", "total", "load", "latency",
    "uptime", "factor", "level", "rating", "max", "approximately", "roughly", "nearly", "almost", "under",
    "below", "above", "reached", "hit", "hits", "got", "gets", "set", "sets", "new", "old", "latest", "current",
    "previous", "next", "last", "first", "all", "both", "each", "every", "some", "any", "our", "your", "my",
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been",
    "has", "have", "had", "do", "does", "did", "and", "or", "but", "nor", "so", "yet", "also",
    "too", "not", "no", "now", "just", "only", "then", "than", "as", "at", "by", "for", "from", "in", "into",
    "of", "off", "on", "onto", "out", "over", "per", "to", "up", "upon", "via", "with", "within", "without",
    "after", "before", "until", "till", "about", "around", "between", "version", "versions", "ver",
    "rev", "revision", "release", "releases", "rel", "build", "builds", "tag", "tags", "ref", "commit", "patch",
    "hotfix", "fix", "update", "upgrade", "upgraded", "updated", "downgrade", "image", "package", "app",
    "application", "service", "module", "component", "project", "pipeline", "job", "stage", "step", "run",
    "workflow", "deploy", "deployed", "deployment", "rollout", "sync", "prod", "production",
    "staging", "stg", "dev", "develop", "development", "test", "testing", "qa", "uat", "preprod",
    "pre-prod", "sandbox", "canary", "live", "env", "environment", "cluster", "server", "servers", "node",
    "nodes", "host", "hosts", "region", "zone", "android", "ios", "ipados", "macos", "osx", "windows", "win",
    "tizen", "webos", "tvos", "watchos", "harmonyos", "registry", "inside", "rollback", "revert", "restored",
    "restore", "se", "astra", "откат", "отката",
    "linux", "ubuntu", "debian", "centos", "rhel", "fedora", "alpine", "chrome", "chromium", "firefox",
    "safari", "edge", "opera", "yandex", "browser", "python", "py", "php", "nodejs", "npm", "java",
    "jdk", "jre", "kotlin", "swift", "go", "golang", "rust", "ruby", "perl", "dotnet", "net", "postgres",
    "postgresql", "mysql", "mariadb", "mongodb", "sqlite", "elasticsearch", "kafka", "rabbitmq", "docker",
    "kubernetes", "k8s", "helm", "terraform", "ansible", "jenkins", "gitlab", "github", "teamcity", "argo",
    "argocd", "octopus", "bitrix", "bitrix24", "portals", "user", "users", "team", "v", "vs", "eta",
    "approx", "ca", "mb", "gb", "kb", "tb", "ms", "sec", "min", "usd", "eur", "rub", "gbp", "cny",
    "jpy", "percent", "pct", "steps", "part", "phase", "item", "items", "day", "days", "weeks",
    "controller", "plugin", "plugins", "runner", "ci", "cd", "replaces", "replaced", "supersedes", "instead",
    "образ", "образі", "образе", "obraz", "imagen", "imagem", "good", "bad", "train", "window", "sprint", "wave",
    "batch", "nginx", "apache", "httpd", "redis", "memcached", "far", "branch", "branches", "create", "delete",
    "list", "show", "upload", "download", "versionname", "versioncode", "marketingversion",
    "gradle", "maven", "jvm", "adoptium", "temurin", "corretto", "graalvm", "provider", "providers", "record",
    "jako", "jak", "oba", "obie", "als", "como", "call", "meeting", "room", "standup", "demo",
    # libraries and database tools that stand beside a team's own release ("lodash до 4.17.21", "Flyway 10.10.0")
    "lodash", "axios", "jquery", "moment", "express", "babel", "eslint", "guzzle", "requests", "urllib3",
    "numpy", "pandas", "log4j", "jackson", "okhttp", "retrofit", "gson", "netty", "bootstrap", "tailwindcss",
    "flyway", "liquibase", "alembic", "ag-grid", "or-tools", "ortools", "protobuf", "grpc", "tensorflow", "pytorch",
    "torch", "scikit-learn", "opencv", "ffmpeg", "imagemagick", "haproxy", "envoy", "keycloak", "jackson-databind",
    "sdk",
    # platforms a team's plugin runs on, and words of size: "обновили Moodle до 4.4.3", "the big 5.0 launch"
    "moodle", "wordpress", "drupal", "joomla", "magento", "shopify", "woocommerce", "prestashop", "opencart",
    # application servers and drivers beside a release ("Runtime: WildFly 30.0.1", "ojdbc 19.23.0.0"); a guess
    "tomcat", "wildfly", "jboss", "weblogic", "websphere", "jetty", "iis", "gunicorn", "uwsgi", "ojdbc", "jdbc",
    "odbc", "thought", "hoped", "assumed", "думал", "думали", "думав",
    "schema", "spec", "specification", "format", "protocol", "standard", "xsd", "wsdl", "regulation",
    "notice", "big", "major", "minor", "huge", "small", "large", "whole", "entire",
    # where a version went, not what it is: "5.4.1 (cloud) and 5.3.4 (medical on-prem)", "the release log: 5.4.1"
    "cloud", "on-prem", "onprem", "on-premise", "on-premises", "saas", "log", "logs", "облако", "облаке", "коробка",
    "коробке", "хмара", "хмарі",
    # settings and amounts: "multiplier | 2.0", "coefficient 1.5" are a value, not a release
    "value", "values", "setting", "settings", "parameter", "parameters", "param", "multiplier", "coefficient", "coef",
    "threshold", "limit", "weight", "surcharge", "fee", "discount", "bonus", "tariff", "timeout", "interval",
    "значение", "коэффициент", "множитель", "порог", "лимит", "тариф", "значення", "коефіцієнт", "множник",
    "wert", "faktor", "multiplikator", "valor", "coeficiente", "multiplicador", "wartość", "współczynnik", "mnożnik",
    # the customer, and "from" before a date ("od 14.10"), in the other languages
    "aplikacja", "aplikacji", "aplicación", "aplicativo", "приложение", "приложения", "застосунок", "застосунку",
    "anhang", "anlage", "attachment", "вложении", "вкладенні", "załączniku", "adjunto", "anexo",
    "cliente", "clientes", "klient", "klienta", "клиент", "клиента", "клієнт", "клієнта", "kunde", "kunden", "od",
    # test and code-quality tools ("Сборка и тесты (PHPUnit 10.5.20, 312 тестов)")
    "phpunit", "pytest", "junit", "mocha", "cypress", "playwright", "selenium", "vitest", "testng", "karma",
    "jasmine", "rspec", "codeception", "k6", "jmeter", "gatling", "postman", "newman", "sonarqube", "phpstan",
    "psalm", "rubocop", "prettier", "stylelint", "detekt", "ktlint", "swiftlint",
    "openssl", "kernel", "glibc", "libc", "curl", "git", "openjdk", "spring-boot", "react", "vue", "angular",
    "django", "flask", "laravel", "symfony", "composer", "pip", "yarn", "pnpm", "webpack", "vite", "typescript",
    "artifact", "artefact", "image.tag", "tag.version", "app.version", "chart", "appversion",
    # the same kinds of words in the other languages of Bitrix24's markets (ru, uk, de, es, pt, pl)
    "версия", "версии", "версию", "версія", "версію", "версії", "релиз", "реліз",
    "сборка", "сборку", "сборке", "сборки", "збірка", "збірку", "прод",
    "wieder", "jetzt", "noch", "schon", "rustore", "appgallery", "testflight",
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "neue", "neuen", "neu", "nicht", "kein", "und",
    "von", "mit", "auf", "ist", "wird", "sondern", "el", "la", "los", "las", "un", "una", "de", "del",
    "en", "y", "con", "para", "por", "sino", "nueva", "nuevo", "versión", "version.", "o", "os", "um", "uma", "da",
    "dos", "em", "na", "e", "com", "pra", "nova", "novo", "não",
    "versão", "w", "z", "i", "nie", "tylko", "ale", "nowa", "nowy", "wersja", "wersji", "wersję",
    "wydanie", "wydania", "wydaniu", "wydań", "выпуск", "выпуска", "выпуске", "випуск", "випуску", "релиза", "релизе",
    "релизом", "релізу", "релізі", "lanzamiento", "lançamento", "veröffentlichung", "ausgabe",
    "не", "ни", "а", "и", "в", "во", "на", "до", "с", "со", "по", "из", "от", "для", "что", "это", "как", "уже",
    "ні", "і", "у", "з", "та", "це", "вже", "beta", "alpha", "rc", "preview", "nightly", "snapshot",
    # pronouns, and verbs that stand before a number in a sentence ("they upgraded to 2.3.0", "the page serves
    # 16.2.0", "na produkcji jest 1.7.1", "correction: 3.2.0 was …"), in the seven languages
    "we", "you", "he", "she", "they", "them", "us", "me", "who", "which", "what", "there", "here",
    "someone", "everyone", "everybody", "customer",
    "runs", "serves", "uses", "used", "shows", "showed", "says", "said",
    "includes", "contains", "requires", "needs", "ships", "brings", "adds", "fixes", "introduces", "supports",
    "targets", "mentions", "displays", "prints", "reads", "still", "already", "again", "even", "yes", "nope",
    "correction", "corrected", "edit", "edited", "upd", "note", "ps", "fyi", "typo", "actually", "rather",
    "мы", "вы", "они", "он", "она", "оно", "я", "ты", "там", "тут", "здесь", "есть", "был", "была", "было",
    "были", "будет", "стал", "стала", "теперь", "сейчас", "ещё", "еще", "тоже", "также", "да", "нет", "поправка",
    "уточнение", "ми", "ви", "вони", "він", "вона", "є", "був", "була", "було", "тепер", "зараз", "ще", "так",
    "wir", "ihr", "sie", "er", "es", "sind", "war", "waren", "hat", "haben", "läuft", "steht", "nun",
    "ja", "auch", "korrektur", "nosotros", "ellos", "ellas", "está", "están", "era", "fue", "tiene",
    "ya", "ahora", "sí", "también", "corrección", "nós", "eles", "elas", "é", "estão", "foi",
    "tem", "já", "agora", "sim", "também", "correção", "oni", "one", "jest", "są", "był", "była", "było",
    "ma", "mają", "już", "teraz", "tak", "też", "poprawka",
    # branches, and what tools print before a version ("✔ Created tag v2.8.0", "Pushed … 2026.1.3", "gh release
    # view v1.3.0", "--tag-name v3.0.1", "Running with gitlab-runner 17.4.1")
    "master", "trunk", "pushed", "created", "view", "tag-name", "gitlab-runner",
    "actions-runner", "sentry-cli", "release-cli", "kubectl", "argocd-image-updater", "node.js", "deno", "bun",
    "can", "could", "would", "will", "may", "might", "pulled", "halted", "halting", "re-promoted", "promoted",
    "phased", "staged", "sukces", "erfolg", "erfolgreich", "éxito", "exito", "sucesso", "успешно", "успех", "успіх",
    "успішно",
    # third-party infrastructure a security and operations team upgrades and reports on, never a team's own release:
    # network and firewall systems, server firmware, virtualization, cluster add-ons, monitoring, security agents
    # and scanners, system libraries; CPU architectures; specifications; "hosted", "db", Polish "sam" (only)
    "ios-xe", "xe", "nx-os", "nxos", "ios-xr", "junos", "fortios", "fortigate", "fortiswitch", "fortianalyzer",
    "fortimanager", "pan-os", "panos", "globalprotect", "anyconnect", "asa", "ftd", "arubaos", "arubaos-cx",
    "routeros", "mikrotik", "edgeos", "unifi", "vyos", "opnsense", "pfsense", "sophos", "checkpoint", "gaia",
    "big-ip", "tmos", "netscaler", "bios", "uefi", "idrac", "ilo", "bmc", "esxi", "vcenter", "vsphere", "proxmox",
    "hyper-v", "xenserver", "nutanix", "veeam", "rke2", "k3s", "kubelet", "kubeadm", "containerd", "cri-o",
    "coredns", "calico", "cilium", "flannel", "istio", "linkerd", "traefik", "ingress-nginx", "cert-manager",
    "external-dns", "external-secrets", "velero", "longhorn", "rook", "ceph", "metallb", "harbor", "gitea", "nexus",
    "artifactory", "consul", "nomad", "grafana", "prometheus", "alertmanager", "loki", "tempo", "mimir",
    "thanos", "kibana", "logstash", "fluentd", "fluent-bit", "opensearch", "jaeger", "zabbix", "nagios", "icinga",
    "sensor", "falcon", "crowdstrike", "sentinelone", "defender", "osquery", "wazuh", "zscaler", "warp",
    "cloudflared", "tailscale", "wireguard", "openvpn", "intune", "jamf", "sccm", "wsus", "trivy", "grype", "snyk",
    "clair", "openssh", "systemd", "busybox", "sudo", "libcurl", "zlib", "log4j-core", "log4j-api", "x64", "x86",
    "arm64", "amd64", "aarch64", "win64", "win32", "cyclonedx", "spdx", "tls", "oauth", "saml", "openapi", "swagger",
    "hosted", "sam", "db", "database", "critical", "clickhouse", "aks", "eks", "gke", "openshift", "dependency-track",
})

WINDOWS_FEATURE_UPDATE_RE = re.compile(r"\d\dh\d")
DATE_RE = re.compile(rf"{DAY_MONTH}\.(?:19|20)\d\d|(?:1[3-9]|2\d|3[01])\.0[1-9]")
VERSION_INSIDE_RE = re.compile(r"\d\.\d")
# An instance of a server product ("cart-redis", "orders-postgres": its chart's or image's version is the vendor's)
# and a Debian system package ("libssl3", "libpq5")
INFRA_INSTANCE_RE = re.compile(
    r"[-_](?:redis|postgres|postgresql|pg|mysql|mariadb|mongodb|mongo|kafka|rabbitmq|elasticsearch|opensearch|memcached"
    r"|zookeeper|etcd|minio|clickhouse|cassandra|nginx|haproxy)$|^lib[a-z0-9+.-]*\d$")
PRIVATE_IP_FIRST = frozenset({"10", "127", "169", "172", "192"})  # (and "0": 0.0.0.0)
UNIT_AFTER_RE = re.compile(
    r"\s?(?:%|[kmgtp]i?b\b|[kmgtp]bit|bytes?\b|ms\b|sec\b|secs\b|s\b|min\b|mins\b|h\b|hrs?\b|px\b|pt\b|"
    r"usd\b|eur\b|rub\b|руб|₽|\$|€|£|x\b|°|мб|гб|кб|мс|сек|мин|час|дн|процент|percent|users?\b|rps\b|qps\b|"
    r"minutes?\b|hours?\b|seconds?\b|days?\b|weeks?\b|months?\b|years?\b|times\b|points?\b)",
    re.IGNORECASE)
MONEY_BEFORE = frozenset("$€£₽¥#№")


def canonical_component(raw: str) -> str:
    """The component as the index keeps it: lowercase, the last segment of a path unless it is an npm scope."""
    component = raw.strip("\"'`*()[]<>.,:;!?").lower().lstrip("_")  # Azure DevOps's artifact alias "_crm-build"
    if "/" in component and not component.startswith("@"):
        component = component.rstrip("/").rsplit("/", 1)[-1]
    return ENVIRONMENT_SUFFIX_RE.sub("", component) or component


def same_component(said: str, component: str) -> bool:
    """Whether a later message's name for a component is that component: itself, or a scoped package named
    without its scope ("utils" for "@shopfront/utils")."""
    return said == component or component.endswith(f"/{said}")


def one_product(one: str, other: str) -> bool:
    """Whether two names may be one product's: the same component, or one is the other and a qualifier
    ("pulse" and "pulse-ios", "notifier" and "notifier-worker", "ui-kit" and "@acme/ui-kit"), or the same name
    written without its separators ("fraudscoring" and "fraud-scoring")."""
    short, long = sorted((one, other), key=len)
    return same_component(short, long) or long.startswith((f"{short}-", f"{short}_", f"{short}.")) \
        or long.endswith((f"-{short}", f"_{short}")) or _unseparated(short) == _unseparated(long)


def _unseparated(name: str) -> str:
    """A name without its separators: TeamCity's project "FraudScoring" is "fraud-scoring"."""
    return name.replace("-", "").replace("_", "").replace(".", "")


# A document's or a change's number: a year and a serial number in a name ("rn-cbs-2025-014", "cr-2025-11")
DOCUMENT_NUMBER_RE = re.compile(r"(?:^|[-_.])(?:19|20)\d\d[-_./]\d{1,6}(?:$|[-_.])")


@functools.lru_cache(maxsize=4096)  # a chat names its few components again and again
def component_problem(component: str, never: frozenset[str]) -> str:
    """Why a word cannot be a component ("" when it can), with no `components:` list to go by."""
    if len(component) < 2 or len(component) > MAX_COMPONENT:
        return "not a component: shorter than 2 or longer than 64 characters"
    if not any(char.isalpha() for char in component) or NUMBER_RE.fullmatch(component):
        return f"not a component: {component!r} has no letters or is itself a version"
    if component in never:
        return f"{component!r} is never a component"
    if WINDOWS_FEATURE_UPDATE_RE.fullmatch(component):
        return f"not a component: {component!r} names a Windows feature update (22H2), its build is Windows'"
    if REGION_RE.fullmatch(component):
        return f"not a component: {component!r} names a region (eu-1, us-east-1)"
    if component.endswith(("_version", "-version", ".version", "_tag", "-tag", "image.tag")):
        return f"not a component: {component!r} names a setting, not a component (app_version=2.7.2)"
    if DOCUMENT_NUMBER_RE.search(component):
        return f"not a component: {component!r} is a document's number (RN-CBS-2025-014)"
    if INFRA_INSTANCE_RE.search(component):
        return f"not a component: {component!r} names a server or a system package (cart-redis, libssl3)"
    if VERSION_INSIDE_RE.search(component):
        return f"not a component: {component!r} carries a version of its own (ubuntu-22.04)"
    if COMMIT_RE.fullmatch(component) and any(char.isdigit() for char in component):
        return f"not a component: {component!r} is a commit hash"
    return ""


DAY_MONTH_RE = re.compile(DAY_MONTH)
TIME_AFTER_RE = re.compile(r"\s*,?\s*(?:в|о|at|um|o|à|às|a\s+las|ab|from|с|з)?\s*\d{1,2}:\d{2}", re.IGNORECASE)


def version_problem(version: str, before: str, after: str) -> str:
    """Why the digits are not a version ("" when they are): a time, date, IP address, size, money or a number
    glued to more text. `before` is the character before it, `after` what follows (a few characters)."""
    if len(version) > MAX_VERSION:
        return "not a version: longer than 64 characters"
    core = SUFFIX_RE.split(version, maxsplit=1)[0]
    parts = core.split(".")
    if after[:1].isalnum() or after[:1] == "_" or before[-1:] in MONEY_BEFORE \
            or (after[:1] == "," and after[1:2].isdigit()):  # "12.450,00 zł"
        return f"not a version: {version!r} is part of a longer word or an amount"
    if before[-1:] in ("^", "~") or (before[-1:] == "=" and before[-2:-1] in (">", "<", "~", "^")):
        return f"not a version: {version!r} is a range of versions ({before[-1:]}{version})"
    if after[:1] == "." and after[1:2] in ("x", "X", "*"):
        return f"not a version: {version!r} names a line of versions ({version}.x)"
    if parts[0].startswith("0") and len(parts[0]) > 1:
        return f"not a version: {version!r} reads as a time or date (leading zero)"
    if version.upper().endswith("-SNAPSHOT"):
        return f"not a version: {version!r} is a snapshot build, never a release"
    if ".00" in core and any(part.startswith("00") for part in parts[1:]):
        return f"not a version: {version!r} has a part with two leading zeros (a document number: NT 2024.003)"
    if parts[0] == "0" and len(parts) == 2 and len(parts[1]) >= 3:
        return f"not a version: {version!r} reads as a decimal number (a score, a ratio)"
    if DATE_RE.fullmatch(core) or (len(parts) == 2 and DAY_MONTH_RE.fullmatch(core) and TIME_AFTER_RE.match(after)):
        return f"not a version: {version!r} is a date"  # (and "18.10 в 23:40": a day and a time)
    network = after[:1] == "/" and after[1:2].isdigit()  # "0.0.0.0/0", "10.20.0.0/16"
    if len(parts) == 4 and (parts[0] in PRIVATE_IP_FIRST or parts[0] == "0" or network) \
            and all(part.isdigit() and int(part) < 256 for part in parts):
        return f"not a version: {version!r} is an IP address"
    if len(parts) <= 2 and UNIT_AFTER_RE.match(after):  # "1.5 h", never "7.1.1 час без ошибок"
        return f"not a version: {version!r} is followed by a unit"
    return ""


def version_key(version: str) -> tuple:
    """A version's order: by its numbers, a pre-release ("-rc.1") before the release itself."""
    core = version.lstrip("vV").partition("+")[0]
    numbers, dash, pre = core.partition("-")
    parts = tuple(int(part) if part.isdigit() else 0 for part in numbers.split("."))
    return (*parts, 0 if dash else 1, pre)


# A mobile platform's own versions: no higher major, and never a minor of 10 or more (Android 8.1.0, iOS 17.4.1)
PLATFORM_MAJORS = {"android": 20, "ios": 30, "ipados": 30, "tizen": 10, "webos": 30, "tvos": 30, "watchos": 30}


def app_of_platform(component: str, version: str) -> bool:
    """Whether "android 8.41.0" or "ios 24.6.1" names the app of that platform: a version the platform itself
    never had (a minor of 10 or more, or a higher major); "Android 8.1.0" and "iOS 17.4.1" name the system."""
    if component not in PLATFORM_MAJORS:
        return False
    numbers = version_key(version)[:-2]  # (less the pre-release marks)
    return len(numbers) >= 3 and (numbers[0] > PLATFORM_MAJORS[component] or numbers[1] >= 10)


def release_line(version: str) -> tuple:
    """The line a version belongs to, its major and minor: 4.8.3 is on the 4.8 line."""
    return version_key(version)[:2]


def backport(newer: str, older: str) -> bool:
    """Whether `older`, named after `newer` (in a message, or by a newer message), is a release of an older line
    kept alongside it (the 4.8.x LTS beside 5.2.x), not a version it replaced: lower, of another line."""
    return version_key(older) < version_key(newer) and release_line(older) != release_line(newer)


def version_shape(version: str) -> tuple[int, int]:
    """A version's major number and count of numbers: "4.17.3" and "4.18.0" are alike, "3.12" and "3.4.0" not."""
    numbers = version.lstrip("vV").partition("+")[0].partition("-")[0].split(".")
    return (int(numbers[0]) if numbers[0].isdigit() else -1), len(numbers)
