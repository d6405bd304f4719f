"""Running the system's processes on this machine: Redis, the simulator, web and worker (demo and tests)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

BIN = Path(sys.executable).parent
READY_TIMEOUT = 20.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float = READY_TIMEOUT, what: str = "condition") -> None:
    """Poll `check` until it is true; raise TimeoutError naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def port_open(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:port."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def tool(name: str) -> str:
    """The path of a console script installed beside this Python (the venv's bin), else from PATH."""
    local = BIN / name
    return str(local) if local.exists() else (shutil.which(name) or name)


@dataclass
class Service:
    """One process (or thread) started here, stopped by `stop()`."""

    name: str
    url: str
    process: subprocess.Popen | None = None
    stopper: Callable[[], None] | None = None
    notes: list[str] = field(default_factory=list)
    log: IO | None = None

    def stop(self, grace: float = 10.0) -> None:
        """Ask the process to stop (SIGTERM), then kill it if it does not."""
        if self.stopper is not None:
            self.stopper()
        if self.process is None:
            return
        self._terminate(grace)
        if self.log is not None:
            self.log.close()

    def _terminate(self, grace: float) -> None:
        _signal_group(self.process, signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        # Whatever the process started (a work horse, a scheduler) goes with it.
        _signal_group(self.process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def start_process(name: str, argv: list[str], env: dict, port: int | None = None,
                  log_path: Path | None = None, cwd: Path | None = None) -> Service:
    """Start a process (output to `log_path`) and, when it serves a port, wait until it accepts connections."""
    log = log_path.open("w") if log_path else None
    process = subprocess.Popen(
        argv, env=env, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd
    )
    service = Service(name, f"http://127.0.0.1:{port}" if port else "", process=process, log=log)
    if port is not None:
        try:
            wait_until(lambda: process.poll() is None and port_open(port), what=f"{name} on port {port}")
        except TimeoutError:
            service.stop()
            raise RuntimeError(f"{name} did not start (exit code {process.poll()}): {' '.join(argv)}") from None
    return service


def start_redis(log_path: Path | None = None, port: int | None = None) -> Service:
    """A real redis-server (on `port` or a free one) if one is installed, else an embedded one (fakeredis)."""
    port = port or free_port()
    server = shutil.which("redis-server")
    if server:
        argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        service = start_process("redis-server", argv, dict(os.environ), port, log_path)
        service.url = f"redis://127.0.0.1:{port}/0"
        return service
    return _embedded_redis(port)


def _embedded_redis(port: int) -> Service:
    from cli.embedded_redis import serve_in_thread

    stop = serve_in_thread(port)
    service = Service("embedded Redis (fakeredis)", f"redis://127.0.0.1:{port}/0", stopper=stop)
    service.notes.append("redis-server is not installed: using an embedded Redis (fakeredis) instead; "
                         "install redis-server (apt-get install redis-server) to run against a real one")
    return service
