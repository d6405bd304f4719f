"""A non-editable install works: the wheel carries what the processes read at run time, and the Procfile's
web and worker lines run from it outside the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from cli.localrun import free_port, start_process
from releasebot.model import Release, TaskResult
from tests.wire import task_event

from .conftest import KEY, ROOT, TOKEN, post_event, wait_for_comments
from .test_heroku_tls import procfile


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                   check=True, timeout=300)
    return str(next(out.glob("releasebot-*.whl")))


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory):
    """The wheel installed as a deploy installs it: its dependencies at the versions uv.lock holds, no dev tools."""
    venv = tmp_path_factory.mktemp("venv")
    locked = venv / "locked.txt"
    uv = str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "export", "--quiet", "--locked", "--no-dev", "--no-emit-project", "-o", str(locked)],
                   cwd=ROOT, check=True, timeout=120)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = ["--python", str(venv / "bin" / "python")]
    subprocess.run([uv, "pip", "install", "--quiet", *python, "--require-hashes", "-r", str(locked)], check=True,
                   timeout=600)
    subprocess.run([uv, "pip", "install", "--quiet", *python, "--no-deps", wheel], check=True, timeout=600)
    return venv


def installed_env(venv, **env) -> dict:
    """Only the fresh venv on PATH, so that nothing from the repository's own venv can run."""
    return {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "BITRIX_APP_TOKEN": TOKEN, **env}


def test_the_wheel_carries_the_page_template_the_demo_scenario_and_the_migrations(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    templates = {"web/templates/releases.html", "web/templates/version.html", "web/templates/base.html"}
    migrations = {"store/migrations/env.py", "store/migrations/versions/0001_the_record.py"}
    assert templates | migrations | {"sim/demo.yaml"} <= set(names)


def test_a_fresh_non_editable_install_serves_the_release_page(fresh_venv, redis_service, record, database,
                                                               tmp_path):
    release = Release("im", "24.500.0", "deployed-in", 9123, 1, "2026-06-10T14:51:00+02:00")
    record.save(TaskResult(53, "found", "2026-06-10T14:51:03+00:00", releases=(release,)))
    port = free_port()
    env = installed_env(fresh_venv, REDIS_URL=redis_service.url, DATABASE_URL=database)
    argv = [str(fresh_venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "web:create_app()"]
    # Started outside the repository, so that nothing but the installed wheel can be imported.
    web = start_process("web-wheel", argv, env, port, tmp_path / "web.log", cwd=tmp_path)
    try:
        page = requests.get(f"{web.url}/releases", timeout=10)
        assert page.status_code == 200 and "24.500.0" in page.text
        origin = subprocess.run([str(fresh_venv / "bin" / "python"), "-c", "import web; print(web.__file__)"],
                                capture_output=True, text=True, cwd=tmp_path, check=True).stdout
        assert str(fresh_venv) in origin
    finally:
        web.stop()


def test_the_procfile_web_and_worker_run_from_the_installed_wheel(fresh_venv, redis_conn, redis_service, sim,
                                                                   tmp_path):
    port = free_port()
    env = installed_env(fresh_venv, REDIS_URL=redis_service.url, PORT=str(port), VIBE_BASE_URL=sim.base_url,
                        VIBE_API_KEY=KEY, RULES_FILE=str(ROOT / "rules.yaml"))
    web = start_process("web", ["bash", "-c", procfile()["web"]], env, port, tmp_path / "web.log", cwd=tmp_path)
    worker = start_process("worker", ["bash", "-c", procfile()["worker"]], env, None, tmp_path / "worker.log",
                           cwd=tmp_path)
    try:
        assert post_event(web, task_event(53, TOKEN)).json()["queued"] is True
        assert "im 24.500.0" in wait_for_comments(sim, 53)[0]["text"]
    finally:
        worker.stop()
        web.stop()
    assert "task 53 (event): found im 24.500.0" in (tmp_path / "worker.log").read_text()


def test_gunicorn_outside_the_repository_stops_with_one_line_for_a_missing_variable(fresh_venv, tmp_path):
    argv = [str(fresh_venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{free_port()}", "web:create_app()"]
    done = subprocess.run(argv, env=installed_env(fresh_venv, BITRIX_APP_TOKEN=""), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "releasebot web: BITRIX_APP_TOKEN is not set" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
