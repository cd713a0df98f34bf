"""The browser tests' live server, whose requests a database switch waits for.

pytest-django's live server (one per worker, for the whole session) answers each browser connection in a
thread of its own (Django's ``ThreadedWSGIServer``), and such a thread may still be answering a browser's
last request when the test that made it ends. On PostgreSQL that thread holds a connection of its own to
the test's database; on SQLite it uses the test's own in-memory connection. A test's database copy
(tests/template_db.py) is therefore restored or dropped only inside ``REQUESTS.paused()``: it waits until
no request is being answered (each has closed its connections by then: Django closes them when a response
is closed, ``CONN_MAX_AGE`` being 0), and holds any new request at the door until the switch is done,
after which that request is answered from the database the worker is on then.

On SQLite the threads share that one in-memory connection, so the server answers one request at a time
(``Requests.one_at_a_time``): two threads in one SQLite connection deadlock when one runs a query that calls
back into Python (Django's SQLite functions: a date difference in an aggregate) while the other, holding the
GIL, waits for the connection (seen: the crawl's next page and the previous page's to-do badges, a whole
worker stuck for twenty minutes).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from pytest_django.live_server_helper import LiveServer

#: How long a switch waits for the requests being answered before it fails, naming them.
PATIENCE_SECONDS = 60


class Requests:
    """The requests the live server is answering, and the door new ones come through."""

    def __init__(self):
        self._condition = threading.Condition()
        self._running: dict[int, str] = {}
        self._next = 0
        self._pauses = 0
        self.draining = threading.Event()  # set while a pause waits for the running requests
        self.one_at_a_time: threading.Lock | None = None  # set by a server whose threads share one connection

    def wrap(self, app):
        def gated(environ, start_response):
            turn = self.one_at_a_time
            if turn is not None:
                turn.acquire()
            try:
                token = self._enter(f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}")
            except BaseException:
                if turn is not None:
                    turn.release()
                raise

            def done():
                try:
                    self._leave(token)
                finally:
                    if turn is not None:
                        turn.release()

            try:
                result = app(environ, start_response)
            except BaseException:
                done()
                raise
            return _Closing(result, done)

        return gated

    def _enter(self, what: str) -> int:
        with self._condition:
            self._condition.wait_for(lambda: not self._pauses)
            self._next += 1
            self._running[self._next] = what
            return self._next

    def _leave(self, token: int) -> None:
        with self._condition:
            if self._running.pop(token, None) is not None:
                self._condition.notify_all()

    @contextmanager
    def paused(self):
        """No request running while the block runs: wait for those running, hold new ones at the door.
        Pauses nest (a test's teardown is one, its copy's end another inside it)."""
        with self._condition:
            self._pauses += 1
            self.draining.set()
            try:
                drained = self._condition.wait_for(lambda: not self._running, timeout=PATIENCE_SECONDS)
            finally:
                self.draining.clear()
            if not drained:
                self._pauses -= 1
                self._condition.notify_all()
                raise RuntimeError(f"the live server still answers {sorted(self._running.values())} "
                                   f"after {PATIENCE_SECONDS} s: its database cannot be switched")
        try:
            yield
        finally:
            with self._condition:
                self._pauses -= 1
                self._condition.notify_all()


class _Closing:
    """A WSGI response that says when it is closed (the server closes every response, sent or not)."""

    def __init__(self, result, on_close):
        self._result, self._on_close = result, on_close

    def __iter__(self):
        return iter(self._result)

    def close(self):
        try:
            if hasattr(self._result, "close"):
                self._result.close()  # Django's request_finished: the request's connections are closed here
        finally:
            self._on_close()


#: This process's live server's requests (pytest-django starts at most one live server per process).
REQUESTS = Requests()


def _server_class():
    from django.core.servers.basehttp import ThreadedWSGIServer

    class GatedWSGIServer(ThreadedWSGIServer):
        def set_app(self, application):
            super().set_app(REQUESTS.wrap(application))

    return GatedWSGIServer


class GatedLiveServer(LiveServer):
    """pytest-django's ``LiveServer`` whose server counts its requests in ``REQUESTS``."""

    def __init__(self, addr: str):
        from django.test.testcases import LiveServerThread

        super().__init__(addr, start=False)
        plain = self.thread
        thread_class = type("GatedLiveServerThread", (LiveServerThread,), {"server_class": _server_class()})
        self.thread = thread_class(plain.host, plain.static_handler,
                                   connections_override=plain.connections_override, port=plain.port)
        self.thread.daemon = True
        # In-memory SQLite: every request thread is handed the test's own connection (connections_override).
        REQUESTS.one_at_a_time = threading.Lock() if plain.connections_override else None
        self.start()
