"""Fixtures for the VibeCode client tests: a client on a fake transport, a stub HTTP server."""

from __future__ import annotations

import pytest
import requests

from tests.client.vibe_fakes import API_KEY, BASE_URL, FakeTransport, StubServer
from worker.vibecode.client import VibeClient, default_retry


@pytest.fixture
def fake() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def client(fake):
    session = requests.Session()
    session.mount("http://vibe.test/", fake)
    with VibeClient(BASE_URL, API_KEY, session=session) as vibe:
        yield vibe


@pytest.fixture
def stub():
    with StubServer() as server:
        yield server


@pytest.fixture
def stub_client(stub):
    """Build clients against the stub (retries without backoff unless given); all closed at the end."""
    made = []

    def make(**kw) -> VibeClient:
        kw.setdefault("retries", default_retry(backoff_factor=0))
        kw.setdefault("timeout", (1, 2))
        made.append(VibeClient(kw.pop("base_url", stub.base_url), API_KEY, **kw))
        return made[-1]

    yield make
    for vibe in made:
        vibe.close()
