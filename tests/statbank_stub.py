"""A local HTTP server that answers like StatBank's /v1/data, for tests only."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HEADER = "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD"

Reply = tuple[int, str, bytes]  # status, content type, body


def csv_reply(rows: list[tuple[str, str, str]]) -> Reply:
    """rows of (area as '340 Sorø', time as '2024K1', value) → a StatBank CSV reply: BOM, ';', CRLF."""
    lines = [HEADER] + [f"{area};TOT I alt;IALT Alder i alt;TOT I alt;{time};{value}" for area, time, value in rows]
    return 200, "text/csv; charset=utf-8", ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def error_reply(status: int, message: str | None) -> Reply:
    body = json.dumps({"errorTypeCode": "EXTRACT-NOTALLOWED", "message": message}) if message else "Internal error"
    return status, "application/json" if message else "text/plain", body.encode("utf-8")


class StatBankStub:
    """Serves POST requests with `answer(body)`; records every request body; optional delay (bounded).

    A hostile test sets `stream` instead: it gets the handler and writes whatever it likes."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Callable[[dict[str, Any]], Reply] = lambda body: error_reply(500, None)
        self.stream: Callable[[BaseHTTPRequestHandler], None] | None = None
        self.delay = 0.0
        self.stopping = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                time.sleep(min(stub.delay, 5.0))
                # the client may give up waiting, as the timeout tests intend: nothing to do then
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if stub.stream is not None:
                        stub.stream(self)
                        return
                    status, content_type, payload = stub.answer(body)
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/data"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> StatBankStub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
