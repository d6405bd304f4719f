import fakeredis
import pytest

from releasebot.rules import load_rules
from store import ResultStore, open_database
from tests.fakes import FakeVibe
from web import create_app

TOKEN = "jvh9y1ulvt2m6k5or90v9mg8nn32ozas"


@pytest.fixture
def redis():
    return fakeredis.FakeRedis()


@pytest.fixture
def engine():
    """A database of the test's own, in memory, migrated from empty."""
    engine = open_database("sqlite://")
    yield engine
    engine.dispose()


@pytest.fixture
def app(redis, engine):
    return create_app({"BITRIX_APP_TOKEN": f"rotated-out,{TOKEN}"}, connection=redis, engine=engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(engine):
    return ResultStore(engine)


@pytest.fixture
def rules():
    return load_rules("rules.yaml")


@pytest.fixture
def api():
    return FakeVibe()
