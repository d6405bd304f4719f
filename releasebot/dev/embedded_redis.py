"""A Redis served from this process (fakeredis), for `releasebot demo` on a machine without redis-server."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fakeredis import TcpFakeServer
from fakeredis._clients._tcp_server import TCPFakeRequestHandler
from redis.exceptions import ResponseError


class Handler(TCPFakeRequestHandler):
    """Mends two fakeredis TCP-server faults RQ trips over (both seen with fakeredis 2.40).

    CLIENT INFO gives addresses as Python tuples, where RQ parses `host:port`; and an error reply
    (such as NOSCRIPT, which redis-py answers by loading the script) makes the server hang up.
    """

    def setup(self) -> None:
        super().setup()
        info = self.current_client.get_socket()._client_info
        for key in ("addr", "laddr"):
            host, port = info[key][:2]
            info[key] = f"{host}:{port}"
        read = self.current_client.read_response

        def read_response(*args, **kwargs):
            try:
                return read(*args, **kwargs)
            except ResponseError as error:
                return error

        self.current_client.read_response = read_response


def serve_in_thread(port: int, host: str = "127.0.0.1") -> Callable[[], None]:
    """Serve Redis on host:port from a background thread; returns the function that stops it."""
    server = TcpFakeServer((host, port), server_type="redis")
    server.RequestHandlerClass = Handler
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
