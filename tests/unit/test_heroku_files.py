"""The files Heroku reads on the first push: the buildpack finds the project, the Button knows the add-on,
the formation and every config var."""

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_VARIABLES = {"VIBE_API_KEY", "VIBE_BASE_URL", "VIBE_BEARER_TOKEN", "BITRIX_APP_TOKEN", "RULES_FILE",
                        "VIBE_RATE_LIMIT", "READ_TOKEN", "PORTAL_URL", "TASK_URL_TEMPLATE", "PUBLIC_URL",
                        "LOG_FORMAT", "RQ_DASHBOARD"}


def app_json() -> dict:
    return json.loads((ROOT / "app.json").read_text())


def test_the_python_buildpack_finds_exactly_one_package_manager_file_the_lock():
    # heroku-buildpack-python refuses a build with two ("Multiple Python package manager files were found")
    # and runs `uv sync --locked` when it finds uv.lock, which also needs .python-version.
    found = [name for name in ("requirements.txt", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock")
             if (ROOT / name).exists()]
    assert found == ["uv.lock"] and (ROOT / ".python-version").exists()


def test_python_version_is_pinned_within_what_the_project_requires():
    version = (ROOT / ".python-version").read_text().strip()
    assert re.fullmatch(r"3\.1[1-9]", version)


def test_app_json_runs_web_worker_and_clock_on_heroku_redis_and_heroku_postgres():
    app = app_json()
    assert set(app["formation"]) == {"web", "worker", "clock"}
    assert any(addon["plan"].startswith("heroku-redis") for addon in app["addons"])
    assert any(addon["plan"].startswith("heroku-postgresql") and addon["as"] == "DATABASE" for addon in app["addons"])


def test_app_json_describes_every_config_var_and_marks_the_required_ones():
    env = app_json()["env"]
    assert set(env) == DOCUMENTED_VARIABLES and all(spec["description"] for spec in env.values())
    assert {name for name, spec in env.items() if spec["required"]} == {"VIBE_API_KEY", "BITRIX_APP_TOKEN"}


def test_dependencies_pin_what_the_code_relies_on():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "urllib3>=2.7" in project["dependencies"]
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    assert any(re.fullmatch(r"fakeredis\[lua\]>=[\d.]+", d) for d in dev)
