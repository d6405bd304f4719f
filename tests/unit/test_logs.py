"""Every process logs one line per event, as logfmt-style text or JSON, and never a secret."""

import json
import logging
import logging.config

import pytest

from releasebot.errors import ConfigError
from releasebot.logs import JsonFormatter, TextFormatter, logging_config, redact, secrets_in

KEY = "vibe_api_0123456789abcdef"


def record(msg: str, *args, **extra) -> logging.LogRecord:
    rec = logging.LogRecord("worker.jobs", logging.INFO, __file__, 1, msg, args, None)
    rec.__dict__.update(extra)
    return rec


def test_text_lines_are_logfmt_with_the_extra_fields_after_the_message():
    line = TextFormatter().format(record("task %s (%s): found %s", 53, "event", "im 24.500.0",
                                         task=53, outcome="found", releases="im 24.500.0"))
    assert line.startswith("time=") and "level=info logger=worker.jobs" in line
    assert line.endswith('msg="task 53 (event): found im 24.500.0" task=53 outcome=found releases="im 24.500.0"')


def test_terminal_colours_never_reach_a_line():
    line = TextFormatter().format(record('\x1b[32m"GET /v1/tasks/53 HTTP/1.1" 200 -\x1b[0m'))
    assert "\x1b" not in line and 'msg="\\"GET /v1/tasks/53 HTTP/1.1\\" 200 -"' in line


def test_gunicorns_info_lines_are_labelled_gunicorn_not_error():
    rec = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1, "Booting worker with pid: 7", (), None)
    assert " level=info logger=gunicorn msg=" in TextFormatter().format(rec)


def test_a_multi_line_message_stays_on_one_line():
    line = TextFormatter().format(record("rules.yaml:4: bad\nrules.yaml:9: worse"))
    assert "\n" not in line and 'msg="rules.yaml:4: bad\\nrules.yaml:9: worse"' in line


def test_json_lines_carry_the_same_fields():
    line = JsonFormatter().format(record("task %s: not_found", 56, task=56, outcome="not_found"))
    fields = json.loads(line)
    assert fields["msg"] == "task 56: not_found" and fields["task"] == 56 and fields["level"] == "info"


def test_secrets_from_the_environment_never_reach_a_line():
    env = {"VIBE_API_KEY": KEY, "BITRIX_APP_TOKEN": "old-token-1,new-token-2", "READ_TOKEN": "x",
           "REDIS_URL": "rediss://:p4ssw0rd-long@ec2.example.com:6380"}
    secrets = secrets_in(env)
    line = TextFormatter(secrets).format(record("sent %s with new-token-2", KEY, url=env["REDIS_URL"]))
    assert KEY not in line and "new-token-2" not in line and "p4ssw0rd-long" not in line
    assert "[redacted]" in line and "x" not in secrets  # a one-letter value is no secret


def test_a_password_inside_any_url_is_removed_even_when_unknown():
    assert redact("redis://user:hunter2@host:6379/0", ()) == "redis://user:[redacted]@host:6379/0"


def test_log_format_must_be_text_or_json():
    with pytest.raises(ConfigError, match="LOG_FORMAT must be text or json"):
        logging_config({"LOG_FORMAT": "xml"})


def test_the_config_sends_rq_and_gunicorn_through_the_one_formatter(capsys):
    logging.config.dictConfig(logging_config({"LOG_FORMAT": "json"}))
    try:
        logging.getLogger("rq.worker").info("Job OK (%s)", "task-53")
        fields = json.loads(capsys.readouterr().out.strip())
        assert fields["logger"] == "rq.worker" and fields["msg"] == "Job OK (task-53)"
    finally:
        root = logging.getLogger()
        for handler in root.handlers[:]:
            root.removeHandler(handler)
