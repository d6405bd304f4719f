"""Fixtures for the simulator's tests: a real simulator on a free port and a client that talks to it."""

from pathlib import Path

import pytest
import requests

from sim.server import SimServer

DATA = Path(__file__).parents[1] / "data" / "sim"
PORTAL = DATA / "portal.yaml"
FULL_KEY = "vibe_api_full"


class ApiClient:
    """Calls the simulated API the way the bot does: X-Api-Key on every call, paths below the base URL."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def call(self, method: str, path: str, key: str | None = FULL_KEY, headers: dict | None = None, **kwargs):
        """One call; key=None sends no key."""
        headers = {**({"X-Api-Key": key} if key else {}), **(headers or {})}
        return self.session.request(method, self.base_url + path, headers=headers, timeout=10, **kwargs)

    def get(self, path: str, **kwargs):
        """GET."""
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        """POST."""
        return self.call("POST", path, **kwargs)

    def patch(self, path: str, **kwargs):
        """PATCH."""
        return self.call("PATCH", path, **kwargs)

    def data(self, method: str, path: str, **kwargs):
        """The data of a successful answer."""
        answer = self.call(method, path, **kwargs)
        assert answer.ok, answer.text
        return answer.json()["data"]

    @staticmethod
    def error(answer) -> tuple[int, str]:
        """The HTTP status and error code of an error answer."""
        body = answer.json()
        assert body["success"] is False, body
        return answer.status_code, body["error"]["code"]


@pytest.fixture
def sim():
    """A simulator serving the test portal."""
    with SimServer(PORTAL) as server:
        yield server


@pytest.fixture
def api(sim):
    """A client of the simulator's API."""
    client = ApiClient(sim.base_url)
    yield client
    client.session.close()


@pytest.fixture
def start_sim():
    """More simulators: start_sim(scenario=PORTAL, **options) -> (server, client); all stop after the test."""
    opened = []

    def start(scenario=PORTAL, **options):
        server = SimServer(scenario, **options)
        client = ApiClient(server.base_url)
        opened.append((server, client))
        return server, client

    yield start
    for server, client in opened:
        client.session.close()
        server.close()


@pytest.fixture
def sim_data() -> Path:
    """The folder of the simulator's scenario files for tests."""
    return DATA
