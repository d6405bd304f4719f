"""One lock for every install: uv.lock agrees with pyproject.toml, and every install path reads it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def uv_lock_check(project: Path) -> subprocess.CompletedProcess:
    if UV is None:
        pytest.fail("uv is not installed: run `make setup` (uv is in the dev group of uv.lock)")
    return subprocess.run([UV, "lock", "--check"], cwd=project, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, UV_PYTHON_DOWNLOADS="never", UV_PYTHON=sys.executable))


def copy_project(tmp_path: Path) -> Path:
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_lock_agrees_with_pyproject(tmp_path):
    result = uv_lock_check(copy_project(tmp_path))
    assert result.returncode == 0, result.stderr


def test_a_dependency_added_without_relocking_fails_the_check(tmp_path):
    project = copy_project(tmp_path)
    text = (project / "pyproject.toml").read_text()
    (project / "pyproject.toml").write_text(text.replace('"pyyaml>=6",', '"pyyaml>=6",\n    "tabulate>=0.9",', 1))
    result = uv_lock_check(project)
    assert result.returncode != 0
    assert "needs to be updated" in result.stderr or "tabulate" in result.stderr, result.stderr


def test_the_lock_holds_every_runtime_dev_and_optional_dependency():
    locked = {package["name"] for package in tomllib.loads((ROOT / "uv.lock").read_text())["package"]}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    wanted += [d for extra in pyproject["project"]["optional-dependencies"].values() for d in extra]
    names = {d.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower() for d in wanted}
    assert names <= locked


def test_every_install_path_reads_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "sync --quiet --locked" in makefile and "pip install --quiet -e" not in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    # Heroku: uv.lock is the only package manager file (test_heroku_files); the README's manual steps use it too.
    readme = (ROOT / "README.md").read_text()
    assert "uv sync --locked" in readme and "make upgrade" in readme
