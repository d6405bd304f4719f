import re
from pathlib import Path

import pytest

from releasebot.errors import ConfigError
from releasebot.settings import Settings


def test_defaults_match_the_documented_ones():
    settings = Settings.from_env({})
    assert settings.redis_url == "redis://localhost:6379/0"
    assert settings.vibe_base_url == "https://vibecode.bitrix24.com/v1"
    assert (settings.rules_file, settings.port) == ("rules.yaml", 5000)


def test_comma_separated_tokens_allow_rotation():
    assert Settings.from_env({"BITRIX_APP_TOKEN": " new , old ,"}).bitrix_app_tokens == ("new", "old")


def test_missing_key_names_the_variable_and_what_to_do():
    with pytest.raises(ConfigError, match=r"VIBE_API_KEY is not set: .*task, tasks and im"):
        Settings.from_env({}).require("VIBE_API_KEY")


def test_bad_port_is_a_clear_error():
    with pytest.raises(ConfigError, match="PORT"):
        Settings.from_env({"PORT": "http"})


def test_secrets_stay_out_of_the_repr():
    settings = Settings.from_env({"VIBE_API_KEY": "vibe_api_SECRET", "BITRIX_APP_TOKEN": "tok_SECRET"})
    assert "SECRET" not in repr(settings)


@pytest.mark.parametrize("text", ["50", "a/b", "0/2", "50/0", "50/-1"])
def test_bad_budget_setting_says_what_is_expected(text):
    with pytest.raises(ConfigError, match="VIBE_RATE_LIMIT"):
        Settings.from_env({"VIBE_RATE_LIMIT": text})


def test_budget_setting_is_read():
    assert Settings.from_env({"VIBE_RATE_LIMIT": "250/5"}).rate_limit == (250, 5.0)


def test_link_settings_have_their_documented_defaults():
    settings = Settings.from_env({})
    assert (settings.read_token, settings.portal_url, settings.public_url) == ("", "", "")
    assert settings.task_url_template == "{portal}/company/personal/user/0/tasks/task/view/{id}/"


def test_portal_and_public_urls_lose_their_trailing_slash():
    settings = Settings.from_env({"PORTAL_URL": "https://example.bitrix24.com/", "PUBLIC_URL": "https://bot.example/"})
    assert (settings.portal_url, settings.public_url) == ("https://example.bitrix24.com", "https://bot.example")


@pytest.mark.parametrize("env, named", [({"PORTAL_URL": "example.bitrix24.com"}, "PORTAL_URL"),
                                        ({"PUBLIC_URL": "ftp://x"}, "PUBLIC_URL"),
                                        ({"TASK_URL_TEMPLATE": "{portal}/tasks/"}, "TASK_URL_TEMPLATE")])
def test_a_malformed_link_setting_names_the_variable(env, named):
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)


def test_the_read_token_is_never_in_the_settings_repr():
    assert "s3cret" not in repr(Settings.from_env({"READ_TOKEN": "s3cret"}))


def test_rq_dashboard_is_an_on_off_switch_with_a_clear_error():
    assert Settings.from_env({}).rq_dashboard is False
    assert Settings.from_env({"RQ_DASHBOARD": "true"}).rq_dashboard is True
    with pytest.raises(ConfigError, match="RQ_DASHBOARD must be 1 or 0"):
        Settings.from_env({"RQ_DASHBOARD": "maybe"})


def test_the_database_is_a_sqlite_file_here_unless_database_url_says_otherwise():
    assert Settings.from_env({}).database_url == "sqlite:///releasebot.db"
    heroku = "postgres://u:secret@ec2.example.com:5432/d1"
    assert Settings.from_env({"DATABASE_URL": heroku}).database_url == heroku
    assert "secret" not in repr(Settings.from_env({"DATABASE_URL": heroku}))


def test_a_database_url_of_another_kind_is_refused_without_echoing_it():
    with pytest.raises(ConfigError, match="DATABASE_URL must be a PostgreSQL URL") as refused:
        Settings.from_env({"DATABASE_URL": "mysql://root:secret@db/releasebot"})
    assert "secret" not in str(refused.value)


def test_on_a_heroku_dyno_the_sqlite_default_is_refused_with_what_to_do():
    with pytest.raises(ConfigError, match="heroku addons:create heroku-postgresql"):
        Settings.from_env({"DYNO": "web.1"})


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["PORTAL_URL", "PUBLIC_URL", "VIBE_BASE_URL"])
def test_a_url_followed_by_a_comment_is_refused_in_one_line(name):
    with pytest.raises(ConfigError, match=f"^{name} must be one address.*comment on its own line$"):
        Settings.from_env({name: "https://example.bitrix24.com     for task links; unset: the auth[domain]"})


@pytest.mark.parametrize("url", ["localhost:6379", "http://localhost:6379/0", "redis://localhost:6379/0 queue"])
def test_redis_url_must_be_a_redis_address(url):
    with pytest.raises(ConfigError, match=r"^REDIS_URL must"):
        Settings.from_env({"REDIS_URL": url})


def test_a_redis_url_refused_is_shown_without_its_password():
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"REDIS_URL": "rediss://:s3cret@host:6380 # heroku"})
    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6390/0", "rediss://:pw@ec2.example.com:6380", "unix:///tmp/r.sock"])
def test_redis_urls_of_every_kind_are_accepted(url):
    assert Settings.from_env({"REDIS_URL": url}).redis_url == url


@pytest.mark.parametrize("name", ["READ_TOKEN", "VIBE_API_KEY", "VIBE_BEARER_TOKEN", "BITRIX_APP_TOKEN"])
def test_a_token_with_a_space_is_refused_without_showing_it(name):
    with pytest.raises(ConfigError, match=f"^{name} has a space inside") as refused:
        Settings.from_env({name: "SECRET when set, pages ask for it"})
    assert "SECRET" not in str(refused.value)


def test_the_example_env_file_holds_only_valid_settings_once_uncommented():
    lines = (ROOT / ".env.example").read_text().splitlines()
    assignments = [line.lstrip("# ") for line in lines if re.match(r"#? ?[A-Z_]+=", line)]
    env = dict(line.split("=", 1) for line in assignments)
    assert {"PORTAL_URL", "READ_TOKEN", "PUBLIC_URL", "VIBE_BEARER_TOKEN"} <= set(env)
    Settings.from_env(env)  # every commented setting, uncommented as it stands, is accepted
