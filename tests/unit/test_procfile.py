"""The Procfile runs what the README names: web, worker, clock, and a release phase: migrations, then a check
of the rules."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def processes() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_processes_are_the_documented_ones():
    assert set(processes()) == {"web", "worker", "clock", "release"}


def test_web_is_gunicorn_on_port_and_worker_is_the_stock_rq_cli():
    procs = processes()
    assert procs["web"].startswith("gunicorn ") and "0.0.0.0:${PORT" in procs["web"]
    assert procs["worker"].startswith("rq worker ") and "--with-scheduler" in procs["worker"]
    assert "HerokuWorker" in _worker_class_bases(procs["worker"])


def test_the_release_phase_migrates_the_database_then_a_bad_rules_file_never_deploys():
    assert processes()["release"] == "releasebot db upgrade && releasebot rules check"


def _worker_class_bases(command: str) -> list[str]:
    import importlib

    path = command.split("--worker-class ", 1)[1].split()[0]
    module, name = path.rsplit(".", 1)
    return [base.__name__ for base in getattr(importlib.import_module(module), name).__mro__]


def test_web_leaves_the_worker_count_to_web_concurrency():
    assert "--workers" not in processes()["web"] and " -w " not in processes()["web"]


def test_worker_and_clock_read_redis_url_after_dotenv_not_from_the_shell():
    for name in ("worker", "clock"):
        line = processes()[name]
        assert "--config worker.rq_config" in line and "REDIS_URL" not in line and "--url" not in line
