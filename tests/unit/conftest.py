import fakeredis
import pytest

from releasebot.rules import load_rules
from tests.fakes import FakeVibe
from web import create_app
from worker.store import ResultStore

TOKEN = "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"


@pytest.fixture
def redis():
    return fakeredis.FakeRedis()


@pytest.fixture
def app(redis):
    return create_app({"BITRIX_APP_TOKEN": f"rotated-out,{TOKEN}"}, connection=redis)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(redis):
    return ResultStore(redis)


@pytest.fixture
def rules():
    return load_rules("rules.yaml")


@pytest.fixture
def api():
    return FakeVibe()
