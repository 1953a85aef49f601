"""A real HTTP receiver for the webhook tests: ``http.server.ThreadingHTTPServer`` on 127.0.0.1 in a thread, which
records every request and answers with the statuses it is given in turn (the last one repeats), or hangs until
released; and the signature check a receiver writes from the API docs, with nothing but ``hmac``."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG_BOUND_S = 30  # a hanging answer is released by the test; this only bounds a test that forgets to


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    statuses: list[int]
    hang: bool = False
    requests: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def next_status(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            if receiver.hang:
                receiver.released.wait(HANG_BOUND_S)
            status = receiver.next_status()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
            pass

    return Handler


@contextmanager
def receiving(*statuses: int, hang: bool = False) -> Iterator[Receiver]:
    receiver = Receiver(statuses=list(statuses or (200,)), hang=hang)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/cvplus"
    try:
        yield receiver
    finally:
        receiver.released.set()
        server.shutdown()
        server.server_close()
        thread.join()


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    """What a receiver writes from the docs: HMAC-SHA256 of "<t>.<body>" with the secret, compared in constant time."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])
