"""The body deadline's watchdog: a request still running past its deadline stops reading, a finished one never."""

import threading
import time

from web.body_deadline import BodyDeadline


class FakeSocket:
    def __init__(self):
        self.shut = threading.Event()

    def shutdown(self, how):
        self.shut.set()


def serve(middleware: BodyDeadline, sock: FakeSocket, app_wait: threading.Event | None = None) -> None:
    middleware.app = lambda environ, start_response: app_wait.wait(5) if app_wait else None
    middleware({"gunicorn.socket": sock}, None)


def test_a_request_still_reading_past_its_deadline_stops_reading_and_a_finished_one_is_left_alone():
    middleware = BodyDeadline(None, seconds=0.05, check_every=0.01)
    finished, slow, release = FakeSocket(), FakeSocket(), threading.Event()
    serve(middleware, finished)
    worker = threading.Thread(target=serve, args=(middleware, slow, release))
    worker.start()
    try:
        assert slow.shut.wait(2), "the slow request's socket was never shut for reading"
    finally:
        release.set()
        worker.join()
    time.sleep(0.1)  # well past the finished request's deadline
    assert not finished.shut.is_set()


def test_without_gunicorn_nothing_is_watched():
    middleware = BodyDeadline(lambda environ, start_response: "answer", seconds=0.01)
    before = {thread.name for thread in threading.enumerate()}
    assert middleware({}, None) == "answer"
    assert "body-deadline" not in {thread.name for thread in threading.enumerate()} - before
