"""A local HTTP sink standing in for the 企业微信 / 钉钉 robots (no network in tests), and robots
configured to post to it."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.penalties.world import world  # noqa: F401  (fixture)


class Sink:
    """Records every POST; answers as told: ``status``, a robot ``errcode``, or after ``delay`` seconds."""

    def __init__(self):
        self.posts: list[dict] = []
        self.status, self.errcode, self.delay = 200, 0, 0.0
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if sink.delay:
                    time.sleep(sink.delay)
                parts = urlsplit(self.path)
                with sink.lock:
                    sink.posts.append({"path": parts.path, "query": parse_qs(parts.query),
                                       "json": json.loads(body), "content_type": self.headers.get("Content-Type")})
                answer = json.dumps({"errcode": sink.errcode, "errmsg": "ok" if not sink.errcode else "bad"}).encode()
                try:
                    self.send_response(sink.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def texts(self, path: str | None = None) -> list[str]:
        return [p["json"]["text"]["content"] for p in self.posts if path is None or p["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sink():
    server = Sink()
    yield server
    server.close()


@pytest.fixture
def robots(app, sink, monkeypatch):
    """The bureau's robot and one for 新华西路 (the world's unit); other units share ``units``."""
    monkeypatch.setitem(app.config, "WEBHOOK_URLS",
                        f"bureau={sink.url}/bureau,xinhuaxilu={sink.url}/xinhuaxilu?key=k1,units={sink.url}/units")
    monkeypatch.setitem(app.config, "WEBHOOK_SECRETS", "")
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 2.0)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_BASE_SECONDS", 60.0)
    monkeypatch.setitem(app.config, "WEBHOOK_MAX_ATTEMPTS", 3)
    return sink
