"""Running the simulator: `serve()` for `releasebot sim`, `SimServer` for tests and the demo.

`releasebot sim` options and the serve() keywords they become:
  --host HOST               host="127.0.0.1"
  --port N                  port=8765
  --scenario FILE           scenario_path=FILE (YAML or JSON; default sim/demo.yaml)
  --rate-limit BURST/RATE   rate_limit="50/2": the portal's leaky bucket, shared by every key; 429 over it
  --fail-rate F             fail_rate=0.1: that fraction of calls fails with 502/503/504/429/422
  --slow-rate F             slow_rate=0.1: that fraction of calls is answered after --slow-seconds
  --slow-seconds S          slow_seconds=2
  --legacy                  legacy=True: an old portal: chat pages of 50 at most, hasNextPage = page full,
                            and comments not shown in the chat
  --seed N                  seed=N: repeatable fault draws
  --events-url URL          events_url=URL: post ONTASKUPDATE there whenever a task changes (as a portal's
                            outgoing webhook does), signed with --events-token (default: $BITRIX_APP_TOKEN)
Faults can be changed while it runs: POST /_sim/faults (see sim.control).
"""

from __future__ import annotations

import json
import threading

import requests
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from sim.app import CONTROL_PREFIX, create_sim_app
from sim.portal import EventsConfig
from sim.scenario import DEFAULT_AUTHOR_ID, jsonable, read_scenario
from sim.state import SimState

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
POLL_SECONDS = 0.05  # how soon serve_forever notices shutdown(); keeps test servers quick to stop
CONTROL_TIMEOUT_SECONDS = 10


def build_state(scenario=None, legacy: bool = False, **fault_options) -> SimState:
    """A state from a scenario (path, dict or None for the demo), with start-up options on top."""
    state = SimState(scenario)
    if legacy:
        state.set_legacy(True)
    options = {name: value for name, value in fault_options.items() if value is not None}
    if options:
        state.faults.configure(options)
    return state


def bind_server(state: SimState, host: str, port: int, quiet: bool = False) -> BaseWSGIServer:
    """A threaded werkzeug server for the state's app, bound but not yet serving."""
    handler = QuietRequestHandler if quiet else None
    return make_server(host, port, create_sim_app(state), threaded=True, request_handler=handler)


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, scenario_path=None, events_url: str = "",
          events_token: str = "", **fault_options) -> None:
    """Run the simulator in the foreground until interrupted."""
    state = build_state(scenario_path, **fault_options)
    if events_url:
        state.events.config = EventsConfig(url=events_url, application_token=events_token)
    server = bind_server(state, host, port)
    print(f"simulator listening on http://{host}:{server.server_port}{state.portal.prefix}", flush=True)
    if state.events.config:
        print(f"simulator: task changes are posted as ONTASKUPDATE to {state.events.config.url}", flush=True)
    try:
        server.serve_forever(poll_interval=POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        state.close()


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (tests make thousands)."""

    def log_request(self, *args, **kwargs) -> None:
        """Log nothing."""


class SimServer:
    """A real simulator on a free port, served from a background thread; helpers talk to its control API."""

    def __init__(self, scenario=None, port: int = 0, host: str = DEFAULT_HOST, **options):
        self.state = build_state(scenario, **options)
        self._server = bind_server(self.state, host, port, quiet=True)
        root = f"http://{host}:{self._server.server_port}"
        self.base_url = root + self.state.portal.prefix
        self.control_url = root + CONTROL_PREFIX
        self.api_key = self.state.first_key()
        self._http = requests.Session()
        self._thread = threading.Thread(target=self._server.serve_forever, args=(POLL_SECONDS,),
                                        name="sim-server", daemon=True)
        self._thread.start()

    def __enter__(self) -> SimServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._http.close()
        self.state.close()

    def requests(self, path_contains: str | None = None, method: str | None = None) -> list[dict]:
        """The API calls answered so far, oldest first."""
        params = {"path_contains": path_contains, "method": method}
        return self._control("GET", "/requests", params=params)["requests"]

    def task(self, task_id: int) -> dict:
        """Everything about a task: fields, chat, comments."""
        return self._control("GET", f"/tasks/{task_id}")

    def comments(self, task_id: int) -> list[dict]:
        """The task's comments (with isSystem and the id of their chat message)."""
        return self.task(task_id)["comments"]

    def set_faults(self, **options) -> dict:
        """Set faults (faults.py names: rate_limit="5/1", fail_rate=0.5, fail_next=[...], clear=True ...)."""
        return self._control("POST", "/faults", json=options)

    def clear_faults(self) -> dict:
        """No faults any more."""
        return self.set_faults(clear=True)

    def change_task(self, task_id: int, **changes) -> dict:
        """Change or create a task as the control API allows (PATCH fields, messages, members, ...)."""
        return self._control("POST", f"/tasks/{task_id}", json=changes)

    def close_task(self, task_id: int) -> dict:
        """Complete a task (status 5), as a user clicking Complete."""
        return self.change_task(task_id, status=5)

    def add_message(self, task_id: int, text: str, author_id: int = DEFAULT_AUTHOR_ID,
                    system: bool = False) -> dict:
        """Append a message to a task's chat; answers the message."""
        message = {"text": text, "isSystem": system, "authorId": author_id}
        return self.change_task(task_id, messages=[message])["chat"][-1]

    def load_scenario(self, scenario) -> None:
        """Replace the portal with a scenario (a dict or a file)."""
        self._control("POST", "/scenario", data=json.dumps(jsonable(read_scenario(scenario))),
                      headers={"Content-Type": "application/json"})

    def reset(self) -> None:
        """Forget recorded calls."""
        self._control("POST", "/reset")

    def stats(self) -> dict:
        """Counts of calls, faults and events."""
        return self._control("GET", "/stats")

    def events(self) -> list[dict]:
        """Task events posted so far, with the handler's answers."""
        return self._control("GET", "/events")["events"]

    def _control(self, method: str, path: str, **kwargs) -> dict:
        url = self.control_url + path
        answer = self._http.request(method, url, timeout=CONTROL_TIMEOUT_SECONDS, **kwargs)
        if not answer.ok:
            raise requests.HTTPError(f"{method} {path}: {answer.status_code} {answer.text}", response=answer)
        return answer.json()
