"""A deadline for reading a request's body, so a client sending it slowly cannot hold a thread for long.

gunicorn's threaded worker gives each request a thread while its body is read, and never times that read
out; this middleware stops reading the socket once the deadline passes (the request then ends as a client
disconnect), and lets everything else through untouched.
"""

from __future__ import annotations

import contextlib
import socket
import threading

BODY_READ_SECONDS = 5.0  # a Bitrix24 event is under 2 KB: it arrives in milliseconds


class BodyDeadline:
    """WSGI middleware: a request still being handled after `seconds` can read no more from its socket."""

    def __init__(self, app, seconds: float = BODY_READ_SECONDS):
        self.app = app
        self.seconds = seconds

    def __call__(self, environ, start_response):
        sock = environ.get("gunicorn.socket")
        if sock is None:  # not under gunicorn (the test client, `flask run`): nothing to guard
            return self.app(environ, start_response)
        timer = threading.Timer(self.seconds, _stop_reading, (sock,))
        timer.daemon = True
        timer.start()
        try:
            return self.app(environ, start_response)
        finally:
            timer.cancel()


def _stop_reading(sock: socket.socket) -> None:
    """End reads on the socket: a blocked read returns end-of-file; the answer can still be written."""
    with contextlib.suppress(OSError):  # already closed: the request is over
        sock.shutdown(socket.SHUT_RD)
