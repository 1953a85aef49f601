"""A fake Stripe API on loopback for the browser tests: the live server runs in its own process, so its real `stripe`
library is pointed here (STRIPE_API_BASE) instead of being patched. It answers the Checkout Session create with a
session in Stripe's shape whose URL is this server's SIMULATED checkout page, and records what it was sent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from tests.billing.stripe_fakes import checkout_session_object


class FakeStripe:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep the test output quiet
                pass

            def _send(self, status: int, body: str, content_type: str = "application/json") -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                fake.requests.append(("POST", self.path, form))
                if self.path == "/v1/checkout/sessions":
                    session = checkout_session_object(customer_id=None, subscription_id=None) | {
                        "url": f"{fake.url}/c/pay/cs_SIMULATED",
                        "status": "open",
                        "payment_status": "unpaid",
                    }
                    self._send(200, json.dumps(session))
                else:
                    error = {"error": {"type": "invalid_request_error", "message": f"SIMULATED: no {self.path}"}}
                    self._send(404, json.dumps(error))

            def do_GET(self) -> None:  # noqa: N802
                fake.requests.append(("GET", self.path, {}))
                page = "<!doctype html><title>SIMULATED Stripe Checkout</title><h1>SIMULATED Stripe Checkout</h1>"
                self._send(200, page, "text/html")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeStripe:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
