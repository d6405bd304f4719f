"""Links both ways: from a result to the task in the portal, and from a comment to the bot's release page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from releasebot.settings import DEFAULT_TASK_URL_TEMPLATE, Settings

# A portal's host name as Bitrix24 sends it in auth[domain] (example.bitrix24.com, or a custom domain, with a
# port on premises): DNS labels ending in a top-level domain of letters. An IP address (127.0.0.1), a single
# label (localhost) or anything else is not trusted to build links.
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
TOP_LEVEL_DOMAIN = r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
DOMAIN_RE = re.compile(rf"(?:{LABEL}\.)+{TOP_LEVEL_DOMAIN}(?::\d{{1,5}})?")


def portal_from_domain(domain: str | None) -> str | None:
    """`https://<domain>` for a well-formed auth[domain], else None."""
    text = (domain or "").strip().lower()
    return f"https://{text}" if len(text) <= 253 and DOMAIN_RE.fullmatch(text) else None


def release_path(component: str, version: str) -> str:
    """The path of a version's page, each part percent-encoded but a scoped component's `@` and `/`
    (`/releases/@acme/ui-kit/4.1.0`, as the pages link it: servers decode `%2F` before routing anyway)."""
    return f"/releases/{quote(component.lower(), safe='@/')}/{quote(version, safe='')}"


@dataclass(frozen=True)
class Links:
    """How the bot links: the portal (PORTAL_URL or the events' domain), the task path, its own address."""

    portal: str = ""
    task_url_template: str = DEFAULT_TASK_URL_TEMPLATE
    public_url: str = ""

    @classmethod
    def configured(cls, settings: Settings, learnt_portal: str | None) -> Links:
        """Links as configured: PORTAL_URL, else the portal learnt from the events received."""
        return cls(settings.portal_url or learnt_portal or "", settings.task_url_template, settings.public_url)

    def task_url(self, task_id: int) -> str | None:
        """The task's page in the portal, or None while the portal is not known."""
        if not self.portal:
            return None
        return self.task_url_template.replace("{portal}", self.portal).replace("{id}", str(int(task_id)))

    def release_url(self, component: str, version: str) -> str | None:
        """The bot's page of a version, or None when PUBLIC_URL is unset."""
        return self.public_url + release_path(component, version) if self.public_url else None
