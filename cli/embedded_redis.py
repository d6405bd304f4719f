"""A Redis served from this process (fakeredis), for `releasebot demo` on a machine without redis-server."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fakeredis import TcpFakeServer


def serve_in_thread(port: int, host: str = "127.0.0.1") -> Callable[[], None]:
    """Serve Redis on host:port from a background thread; returns the function that stops it."""
    server = TcpFakeServer((host, port), server_type="redis")
    # A client that keeps its connection open (a process still shutting down) must not keep this process
    # from stopping: its handler thread is a daemon, and closing the server does not wait for it.
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop
