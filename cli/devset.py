"""`make dev`: Procfile.dev's processes under honcho; Ctrl-C stops them quietly, Redis and the simulator last.

honcho stops every process at once: Redis went with the worker, whose scheduler then failed to release its
locks (pages of chained tracebacks), and the simulator with a job still reading from it. Here Redis and
the simulator get SIGTERM only once the processes using them have stopped. Ctrl-C is how the set is
stopped, so honcho's 130 for it becomes 0.

    python -m cli.devset Procfile.dev .env.dev
"""

from __future__ import annotations

import sys

from honcho import command
from honcho.manager import Manager

LAST = frozenset({"redis", "sim"})  # Procfile.dev's processes the others use
INTERRUPTED = 130  # honcho's exit code after SIGINT


class StagedManager(Manager):
    """honcho's Manager, stopping the processes in LAST only once all the others have stopped."""

    _last_sent = False

    def _killall(self, force=False):
        """SIGTERM the running processes not in LAST (all of them once those are gone); SIGKILL any."""
        if force or self._first_stopped():
            self._last_sent = True
            super()._killall(force)
            return
        for name in [n for n, p in self._processes.items() if not _is_last(n) and "returncode" not in p]:
            self._system_print(f"sending SIGTERM to {name} (pid {self._processes[name]['pid']})\n")
            self._procmgr.terminate(self._processes[name]["pid"])

    def _all_stopped(self):
        """honcho's loop asks this after each event: the moment to stop LAST, once the others are gone."""
        if self._terminating and not self._last_sent and self._first_stopped():
            self._killall()
        return super()._all_stopped()

    def _first_stopped(self) -> bool:
        return all("returncode" in p for n, p in self._processes.items() if not _is_last(n))


def _is_last(name: str) -> bool:
    return name.split(".")[0] in LAST


def main(argv: list[str] | None = None) -> int:
    """`honcho start -f PROCFILE -e ENV_FILE` with StagedManager; 0 after Ctrl-C, honcho's code otherwise."""
    procfile, env_file = argv if argv is not None else sys.argv[1:]
    command.Manager = StagedManager  # the name honcho's `start` builds its manager from
    try:
        command.main(["start", "-f", procfile, "-e", env_file])
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    else:
        code = 0
    return 0 if code == INTERRUPTED else code


if __name__ == "__main__":
    sys.exit(main())
