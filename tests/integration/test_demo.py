"""`releasebot demo` (what `make run` runs): the whole system, a sample event, the posted comment, nothing left."""

import os
import subprocess
from pathlib import Path

import pytest

from cli.localrun import tool

VENV_BIN = str(Path(tool("releasebot")).parent)


def processes_in(folder: Path) -> list[str]:
    """Processes whose working directory is `folder`: the demo's children inherit it."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(proc / "cwd")) == folder:
                found.append((proc / "cmdline").read_text().replace("\0", " "))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("path, redis", [(os.environ["PATH"], "redis-server"),
                                         (VENV_BIN, "embedded Redis (fakeredis)")])
def test_demo_prints_the_comment_and_leaves_no_process_behind(path, redis, tmp_path):
    done = subprocess.run([tool("releasebot"), "demo"], env=dict(os.environ, PATH=path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Redis: {redis}" in done.stdout and "im 24.500.0" in done.stdout.split("comment on task 53")[1]
    assert "the task's tags now: im, im 24.500.0" in done.stdout
    assert processes_in(tmp_path) == []


def test_demo_of_a_task_without_a_release_ends_as_soon_as_the_job_does(tmp_path):
    done = subprocess.run([tool("releasebot"), "demo", "--task", "56"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and "task 56: not_found -- the chat was read and no rule matched" in done.stdout
    assert "no result within" not in done.stdout
