import fakeredis
import pytest

from web import create_app

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
