"""A tiny threaded HTTP server that records requests and answers from a handler method."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, list[str]] = field(default_factory=dict)


Answer = tuple[int, dict[str, Any]]
# A body sent as it is, not JSON-encoded (e.g. to answer with malformed JSON).
RawAnswer = tuple[int, bytes]


class FakeServer:
    """Subclasses implement ``answer(request) -> (status, json body)``."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self._handle()

            def do_GET(self) -> None:
                self._handle()

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=raw,
                )
                content_type = request.headers.get("content-type", "")
                if "json" in content_type:
                    try:
                        request.json = json.loads(raw or b"null")
                    except ValueError:
                        request.json = None
                elif "x-www-form-urlencoded" in content_type:
                    request.form = parse_qs(raw.decode())
                reply = fake.handle(request)
                if reply is None:
                    self.close_connection = True  # hung up without an answer
                    return
                status, body = reply
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away (a killed worker): nobody to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, request: Recorded) -> Answer:
        raise NotImplementedError

    def handle(self, request: Recorded) -> Answer | RawAnswer | None:
        """Record the request and answer it; None closes the connection without an answer."""
        with self.lock:
            self.requests.append(request)
            return self.answer(request)

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
