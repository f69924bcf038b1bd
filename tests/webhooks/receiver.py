"""A real webhook receiver on loopback that checks signatures and keeps each event id once,
as docs/api.md tells receivers to."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time
from dataclasses import dataclass, field


def documented_check(secret: str, header: str, body: bytes, tolerance_s: int = 300) -> bool:
    """The docs' recipe, written out independently of app/webhooks/signing.py."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance_s and hmac.compare_digest(expected, parts["v1"])


@dataclass
class Receiver:
    port: int
    secret: str = ""
    status: int = 200
    hits: list[dict] = field(default_factory=list)  # every request, as received
    acted: list[str] = field(default_factory=list)  # event ids acted upon, each once
    server: http.server.ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.hits.append({"headers": dict(self.headers), "body": body})
                valid = documented_check(receiver.secret, self.headers["Appeal-Desk-Signature"], body)
                status = receiver.status if valid else 400
                if status == 200:
                    event_id = json.loads(body)["event_id"]
                    assert event_id == self.headers["Appeal-Desk-Event-Id"]
                    if event_id not in receiver.acted:  # the idempotency key
                        receiver.acted.append(event_id)
                self.send_response(status)
                if status in (301, 302, 307):
                    self.send_header("Location", "/elsewhere")
                self.end_headers()

            def log_message(self, *_args):  # noqa: ANN002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
