"""A fake Slack Web API on loopback for the by-hand Slack benchmarks.

Answers every method with ok:true and records, for each chat.postMessage, the time it
arrived and its thread_ts, so that slack_e2e.py can measure question → answer.
GET /stats counts the calls by method (to check that every event was answered).
Usage: python3 fake_slack.py PORT
"""
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARRIVALS = {}  # thread_ts → arrival time (time.monotonic is per process, so wall time)
ARRIVED = threading.Condition()
CALLS = {}  # method → count, under ARRIVED


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle holds the body
        # until the client's delayed ACK (40 ms on Linux) and every call looks 40 ms slow.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/stats"):
            with ARRIVED:
                self._answer(dict(CALLS))
            return
        # /arrival?thread_ts=…[&wait=SECONDS]: when the answer in that thread arrived (or
        # null); with `wait`, the request is held until it arrives or the time is up, so
        # the measuring client does not poll (polling costs CPU the server needs).
        query = dict(part.partition("=")[::2] for part in self.path.partition("?")[2].split("&"))
        thread, wait = query.get("thread_ts"), float(query.get("wait") or 0)
        with ARRIVED:
            ARRIVED.wait_for(lambda: thread in ARRIVALS, timeout=wait)
            arrived = ARRIVALS.get(thread)
        self._answer({"arrived": arrived})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        method = self.path.rsplit("/", 1)[-1]
        with ARRIVED:
            CALLS[method] = CALLS.get(method, 0) + 1
        if method == "chat.postMessage":
            data = json.loads(raw or b"{}")
            with ARRIVED:
                ARRIVALS[data.get("thread_ts")] = time.time()
                ARRIVED.notify_all()
            self._answer({"ok": True, "channel": data.get("channel"), "ts": "%.6f" % time.time()})
        elif method == "conversations.open":
            data = json.loads(raw or b"{}")
            self._answer({"ok": True, "channel": {"id": "D" + str(data.get("users", "0"))}})
        else:
            self._answer({"ok": True})


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
