"""Test doubles for the VibeCode client: canned answers, a fake requests transport, a stub HTTP server."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import urllib3
from requests.adapters import BaseAdapter, HTTPAdapter

from releasebot.model import Message

DATA = Path(__file__).parent.parent / "data" / "api"
BASE_URL = "http://vibe.test/v1"
API_KEY = "vibe_api_SECRET0123456789abcdef"


def load(name: str) -> dict:
    """A canned answer body from tests/data/api."""
    return json.loads((DATA / f"{name}.json").read_text())


def _encode(body: object) -> bytes:
    return body.encode() if isinstance(body, str) else b"" if body is None else json.dumps(body).encode()


class FakeTransport(BaseAdapter):
    """A requests adapter that answers from canned responses and records every request it is sent."""

    def __init__(self):
        super().__init__()
        self.sent: list[SimpleNamespace] = []
        self._routes: dict[tuple[str, str], object] = {}

    def answer(self, method: str, path: str, body: object, status: int = 200, headers: dict | None = None):
        """Answer `method path` (path under /v1, no query) with this body, status and headers."""
        self._routes[(method, path)] = lambda request: (status, body, headers or {})

    def route(self, method: str, path: str, handler):
        """Answer `method path` with handler(sent) -> (status, body, headers)."""
        self._routes[(method, path)] = handler

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        sent = SimpleNamespace(
            method=request.method, path=url.path.removeprefix("/v1"), query=dict(parse_qsl(url.query)),
            json=json.loads(request.body) if request.body else None, headers=request.headers,
            timeout=kwargs.get("timeout"))
        self.sent.append(sent)
        status, body, headers = self._routes[(sent.method, sent.path)](sent)
        raw = urllib3.HTTPResponse(body=BytesIO(_encode(body)), status=status, headers=headers,
                                   preload_content=False)
        return HTTPAdapter().build_response(request, raw)

    def close(self):
        pass


@dataclass
class Reply:
    status: int = 200
    body: object = None
    headers: dict = field(default_factory=dict)
    hang: bool = False
    drip: float = 0.0  # seconds between the answer's bytes (status line and headers included)


class StubServer:
    """A real HTTP server on 127.0.0.1 answering a script of replies in order (the last one repeats)."""

    def __init__(self):
        self.script: deque[Reply] = deque()
        self.seen: list[SimpleNamespace] = []
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
        self._server.daemon_threads = True
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def reply(self, status: int = 200, body: object = None, headers: dict | None = None, *, hang=False,
              drip: float = 0.0):
        """Queue the next reply; `hang` never answers (until the test ends), to cause a read timeout; `drip`
        sends it a byte at a time, that many seconds apart. A bytes body is sent as it is."""
        self.script.append(Reply(status, body, headers or {}, hang, drip))

    def take(self, method: str, path: str, headers) -> Reply:
        with self._lock:
            self.seen.append(SimpleNamespace(method=method, path=path, headers=headers, at=time.monotonic()))
            return self.script.popleft() if len(self.script) > 1 else self.script[0]

    def __enter__(self) -> StubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class _StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        reply = self.server.stub.take(self.command, self.path, self.headers)
        if reply.hang:
            self.server.stub.release.wait(10)
            self.close_connection = True
            return
        data = reply.body if isinstance(reply.body, bytes) else _encode(reply.body)
        wfile = self.wfile
        if reply.drip:
            self.wfile = _Dripping(wfile, reply.drip, self.server.stub.release)
            self.close_connection = True
        try:
            self.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            self.wfile = wfile

    do_POST = do_PATCH = do_GET

    def log_message(self, format, *args):
        pass


class _Dripping:
    """A writer sending one byte at a time, `seconds` apart, until the client hangs up or the test ends."""

    def __init__(self, wfile, seconds: float, stop: threading.Event):
        self.wfile, self.seconds, self.stop = wfile, seconds, stop

    def write(self, data: bytes) -> None:
        for byte in data:
            if self.stop.wait(self.seconds):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return

    def flush(self) -> None:
        pass


class FakeScan:
    """The three members read_chat uses of releasebot.extract.ReleaseScan."""

    def __init__(self, max_messages: int):
        self.remaining = max_messages
        self.fed: list[Message] = []

    @property
    def wants_more(self) -> bool:
        return self.remaining > 0

    def feed(self, messages):
        for message in messages:
            if self.remaining and not message.is_system:
                self.fed.append(message)
                self.remaining -= 1
