"""Event bodies built the way Bitrix24 (PHP) builds them on the wire."""

from __future__ import annotations

import time
from urllib.parse import quote_plus

PORTAL_AUTH = {
    "domain": "example.bitrix24.com",
    "client_endpoint": "https://example.bitrix24.com/rest/",
    "server_endpoint": "https://oauth.bitrix.info/rest/",
    "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
}


def php_urlencode(value: str) -> str:
    """PHP's urlencode(): like quote_plus, but `~` is encoded too."""
    return quote_plus(value, safe="").replace("~", "%7E")


def http_build_query(data: dict, prefix: str = "") -> str:
    """PHP's http_build_query() for nested arrays: keys become `a[b][c]`, percent-encoded, joined by `&`."""
    parts = []
    for key, value in data.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict):
            parts.append(http_build_query(value, name))
        else:
            parts.append(f"{php_urlencode(name)}={php_urlencode(str(value))}")
    return "&".join(p for p in parts if p)


def task_event(task_id: int, token: str, event: str = "ONTASKUPDATE") -> str:
    """A task event as a Bitrix24 outgoing webhook posts it."""
    data = {"FIELDS_BEFORE": {"ID": task_id}, "FIELDS_AFTER": {"ID": task_id},
            "IS_ACCESSIBLE_BEFORE": "undefined", "IS_ACCESSIBLE_AFTER": "undefined"}
    if event == "ONTASKCOMMENTADD":
        data = {"FIELDS_AFTER": {"ID": 0, "TASK_ID": task_id, "MESSAGE_ID": 9123}}
    return http_build_query({
        "event": event, "event_handler_id": 975, "data": data, "ts": int(time.time()),
        "auth": PORTAL_AUTH | {"application_token": token},
    })
