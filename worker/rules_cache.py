"""The rules in force for the worker: reloaded when the file changes, the last good ones kept on error."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from infra.redis_keys import RULES_STATUS as RULES_STATUS_KEY
from releasebot.errors import ConfigError
from releasebot.rules import Rules, RulesError, load_rules

log = logging.getLogger(__name__)


@dataclass
class RulesCache:
    """Holds the rules loaded from `path` and notices edits without a restart."""

    path: str
    rules: Rules | None = None
    stamp: tuple | None = None
    pending_error: str = ""
    loaded_at: str = ""
    checked_at: str = ""
    looked: bool = False
    published: dict | None = None  # the status last written, but for checkedAt

    def current(self) -> Rules:
        """The rules to use now, reloading the file if it changed since the last look."""
        self.look()
        if self.rules is None:
            raise ConfigError(f"no valid rules loaded from {self.path}: {self.pending_error}")
        return self.rules

    def look(self) -> None:
        """Look at the file now: load it if it changed, refuse it (keeping the last good rules) if broken."""
        stamp = self._stamp()
        if stamp != self.stamp or not self.looked:
            self.looked = True
            self._reload(stamp)
        self.checked_at = _now()

    def status(self) -> dict:
        """Which rules are in force and the error of a rejected edit, for /healthz, which anyone may read:
        the file by its name, never the folders above it."""
        name = os.path.basename(self.path) or self.path
        return {
            "file": name,
            "sha256": self.rules.sha256 if self.rules else None,
            "rules": len(self.rules.rules) if self.rules else 0,
            "loadedAt": self.loaded_at,
            "checkedAt": self.checked_at,
            "pendingError": self.pending_error.replace(self.path, name) or None,
        }

    def publish(self, connection, *, if_changed: bool = False) -> None:
        """Write the status where the web process can show it; `if_changed`: only when more than checkedAt did."""
        status = self.status()
        essence = {key: value for key, value in status.items() if key != "checkedAt"}
        if if_changed and essence == self.published:
            return
        connection.set(RULES_STATUS_KEY, json.dumps(status))
        self.published = essence

    def _stamp(self) -> tuple | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def _reload(self, stamp: tuple | None) -> None:
        """Load the file as `releasebot rules check` does (load_rules): what it refuses, the worker refuses."""
        self.stamp = stamp
        try:
            rules = load_rules(self.path)
        except RulesError as error:
            self._reject(str(error))
            return
        if self.rules is not None and rules.sha256 == self.rules.sha256:
            if self.pending_error:
                log.info("rules file %s is back to the rules in force (sha256 %s)", self.path, self.rules.sha256[:12],
                         extra={"rules_sha256": self.rules.sha256[:12]})
            self.pending_error = ""  # reverted to the rules in force: nothing is pending any more
            return
        self.rules, self.pending_error = rules, ""
        self.loaded_at = _now()
        log.info("rules loaded from %s: %d rules, sha256 %s", self.path, len(rules.rules), rules.sha256[:12],
                 extra={"rules": len(rules.rules), "rules_sha256": rules.sha256[:12]})

    def _reject(self, error: str) -> None:
        self.pending_error = error
        kept = f"keeping the rules loaded at {self.loaded_at}" if self.rules else "no rules in force"
        log.error("rules file %s rejected (%s): %s", self.path, kept, error, extra={"rules_file": self.path})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
