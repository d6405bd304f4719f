"""The README, followed literally: every shell block marked `<!-- local-run -->` runs, in order and in one shell,
in a fresh clone while `make dev` runs there, and prints what a `<!-- local-run output -->` block after it
shows. A README command that fails, or whose documented output changed, fails this test."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import requests

from cli.localrun import BIN, free_port, wait_until

from .conftest import ROOT

BLOCK = re.compile(r"<!-- local-run -->\n```sh\n(?P<run>.*?)```\n(?:<!-- local-run output -->\n```\n(?P<out>.*?)```)?",
                   re.S)
DEV_PORTS = {"redis": "6390", "sim": "8765", "web": "5000"}  # .env.dev's and the README's


def readme_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Each marked block's commands, and the lines its output must hold (`…` stands for anything)."""
    return [(m["run"], [line for line in (m["out"] or "").splitlines() if line.strip()]) for m in BLOCK.finditer(text)]


def fresh_clone(folder: Path) -> Path:
    """This repository's HEAD cloned, its venv the one already set up (make sees it as up to date)."""
    clone = folder / "releasebot"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    for name in ("pyproject.toml", "uv.lock"):  # older than .venv/.installed: `make dev` installs nothing
        os.utime(clone / name, (0, 0))
    return clone


def on_free_ports(clone: Path) -> dict[str, str]:
    """.env.dev moved to free ports (so the test runs beside anything else), and the port each default became."""
    ports = {name: str(free_port()) for name in DEV_PORTS}
    env_dev = clone / ".env.dev"
    text = env_dev.read_text().replace(DEV_PORTS["redis"], ports["redis"]).replace(DEV_PORTS["sim"], ports["sim"])
    env_dev.write_text(text + "".join(f"DEV_{name.upper()}_PORT={port}\n" for name, port in ports.items()))
    return {DEV_PORTS[name]: port for name, port in ports.items()}


def newcomers_environment() -> dict[str, str]:
    """A shell as a newcomer opens one: the venv not on PATH, none of the bot's settings set."""
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p).resolve() != BIN.resolve())
    settings = ("REDIS_URL", "VIBE_API_KEY", "VIBE_BASE_URL", "BITRIX_APP_TOKEN", "RULES_FILE", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if k not in settings} | {"PATH": path}


def test_the_readmes_local_commands_work_as_written_in_a_fresh_clone(tmp_path):
    clone = fresh_clone(tmp_path)
    moved = on_free_ports(clone)
    blocks = readme_blocks((clone / "README.md").read_text())
    assert len(blocks) >= 5, "the README's local-run markers are gone"
    env = newcomers_environment()
    log = (tmp_path / "make-dev.log").open("w")
    dev = subprocess.Popen(["make", "--no-print-directory", "dev"], cwd=clone, env=env, stdout=log,
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        web = f"http://127.0.0.1:{moved[DEV_PORTS['web']]}"
        wait_until(lambda: requests.get(f"{web}/healthz", timeout=2).json()["status"] == "ok", 60,
                   "make dev to be healthy")
        script = "set -e -o pipefail\n" + "".join(f"echo '@@ block {n}'\n{_on_ports(run, moved)}"
                                                   for n, (run, _) in enumerate(blocks))
        done = subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True, text=True,
                              timeout=300)
    finally:
        os.killpg(dev.pid, signal.SIGINT)
        dev.wait(60)
        log.close()
    outputs = re.split(r"^@@ block \d+\n", done.stdout, flags=re.M)[1:]
    failed = len(outputs) - 1
    assert done.returncode == 0, f"README block {failed} failed:\n{blocks[failed][0]}\n{done.stderr[-3000:]}"
    for (run, expected), output in zip(blocks, outputs, strict=True):
        for line in expected:
            pattern = ".*".join(re.escape(part) for part in line.split("…"))
            assert re.search(pattern, output), f"README block\n{run}\nno longer prints {line!r}; it printed:\n{output}"


def _on_ports(commands: str, moved: dict[str, str]) -> str:
    """A block's commands with the default ports of make dev replaced by the ones this run uses."""
    for default, port in moved.items():
        commands = re.sub(rf"(?<=:){default}\b", port, commands)
    return commands
