"""One Redis client class for every process, so that Heroku's self-signed `rediss://` works everywhere."""

from redis import Redis

from infra.connection import CLASS_PATH, ReleasebotRedis, redis_from_url


def pool_options(client: Redis) -> dict:
    return client.connection_pool.connection_kwargs


def test_rediss_accepts_a_self_signed_certificate():
    options = pool_options(ReleasebotRedis.from_url("rediss://:secret@example.com:6380"))
    assert options["ssl_cert_reqs"] is None and options["ssl_check_hostname"] is False


def test_plain_redis_urls_are_left_alone():
    assert "ssl_cert_reqs" not in pool_options(ReleasebotRedis.from_url("redis://localhost:6379/0"))


def test_the_web_and_cli_client_is_the_same_class_with_short_timeouts():
    client = redis_from_url("rediss://example.com:6380")
    assert isinstance(client, ReleasebotRedis) and pool_options(client)["socket_timeout"] == 5.0


def test_the_procfile_names_the_class_rq_is_told_to_use():
    from pathlib import Path

    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    assert procfile.count(f"--connection-class {CLASS_PATH}") == 2
