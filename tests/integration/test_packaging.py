"""A non-editable install works: the wheel carries what the processes read at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
import requests

from releasebot.dev.localrun import free_port, start_process

from .conftest import ROOT, TOKEN


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                   check=True, timeout=300)
    return str(next(out.glob("releasebot-*.whl")))


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory):
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", wheel], check=True, timeout=600)
    return venv


def test_the_wheel_carries_the_page_template_and_the_demo_scenario(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "web/templates/releases.html" in names and "releasebot/sim/demo.yaml" in names


def test_a_fresh_non_editable_install_serves_the_release_page(fresh_venv, redis_conn, redis_service, tmp_path):
    redis_conn.sadd("releasebot:releases", "im\t24.500.0")
    redis_conn.sadd("releasebot:release:im:24.500.0", 53)
    port = free_port()
    env = {"PATH": f"{fresh_venv / 'bin'}:/usr/bin:/bin", "REDIS_URL": redis_service.url,
           "BITRIX_APP_TOKEN": TOKEN}
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
