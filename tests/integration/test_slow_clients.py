"""Slow clients cannot block the webhook: real gunicorn, as configured, with connections trickling a body.
bench/slow_clients_bench.py measures the same against both worker classes."""

import contextlib
import socket
import time

from tests.integration.conftest import TOKEN, post_event
from tests.wire import task_event
from web.body_deadline import BODY_READ_SECONDS

SLOW_CLIENTS = 200  # issue 19: 24 made every real event wait ~13 s under 8 threads a worker


def slow_connection(url: str) -> socket.socket:
    """A connection that sends an event's headers and the first bytes of its body, then waits."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(b"POST /bitrix/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 1000\r\n\r\nevent=ONTASK")
    return sock


def test_a_valid_event_is_answered_at_once_while_slow_clients_hold_connections(web):
    slow = [slow_connection(web.url) for _ in range(SLOW_CLIENTS)]
    try:
        time.sleep(0.5)
        started = time.monotonic()
        answer = post_event(web, task_event(53, TOKEN))
        assert answer.status_code == 200 and time.monotonic() - started < 2
    finally:
        for sock in slow:
            sock.close()


def test_a_body_still_trickling_in_after_the_deadline_is_answered_408(web):
    started = time.monotonic()
    with slow_connection(web.url) as sock:
        sock.settimeout(0.5)
        answer = b""
        while not answer and time.monotonic() - started < BODY_READ_SECONDS + 5:
            sock.sendall(b"U")  # a byte every half second: never idle, never done
            with contextlib.suppress(TimeoutError):
                answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < BODY_READ_SECONDS + 2
