"""A PostgreSQL server of its own for tests and benchmarks: Debian's `postgresql` binaries, a cluster made by
initdb in a temporary folder, served by pg_ctl on a free port of 127.0.0.1 (as the `postgres` user when run
as root, since PostgreSQL refuses to run as root), and removed when stopped."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cli.localrun import free_port

INSTALL_HINT = "PostgreSQL is not installed: apt-get install postgresql (.ci/run installs it)"
SUPERUSER = "postgres"
# Enough connections for workers and gunicorn; a throwaway cluster (tests) needs no fsync: a crash loses it
# anyway. A benchmark keeps PostgreSQL's durable defaults, so that a commit costs what it costs in production.
SETTINGS = {"max_connections": "200", "shared_buffers": "128MB"}
THROWAWAY = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def binaries() -> Path:
    """The folder of pg_ctl and initdb (Debian keeps them out of PATH, by major version); the newest one."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError(INSTALL_HINT)


@dataclass
class PostgresServer:
    """A running cluster; `url(name)` addresses one of its databases, `create(name)` makes a new one."""

    folder: Path
    port: int
    bin: Path
    as_user: list[str]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create(self, database: str) -> str:
        """A new, empty database; its URL."""
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-q", "-c",
                  f'CREATE DATABASE "{database}"')
        return self.url(database)

    def stop(self) -> None:
        """Stop the server at once and remove its cluster."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([*self.as_user, str(self.bin / program), *args], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{program} failed: {(done.stderr or done.stdout).strip()[-1000:]}")
        return done


def start_postgres(port: int | None = None, durable: bool = False) -> PostgresServer:
    """initdb into a new temporary folder and start the server on `port` (or a free one); `durable` keeps
    fsync and synchronous commits on."""
    folder = Path(tempfile.mkdtemp(prefix="releasebot-pg-"))
    as_user = ["runuser", "-u", SUPERUSER, "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, SUPERUSER)
    server = PostgresServer(folder, port or free_port(), binaries(), as_user)
    server._run("initdb", "-D", str(folder / "data"), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8" if _has_locale("C.UTF-8") else "--locale=C")
    options = " ".join([f"-p {server.port}", "-c listen_addresses=127.0.0.1", f"-k {folder}",
                        *(f"-c {name}={value}" for name, value in
                          (SETTINGS if durable else SETTINGS | THROWAWAY).items())])
    server._run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-l", str(folder / "server.log"), "-w",
                "-t", "60", "start")
    return server


def _has_locale(name: str) -> bool:
    done = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    return name.lower().replace("-", "") in done.stdout.lower().replace("-", "")
