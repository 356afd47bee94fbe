"""A fake Slack Web API on loopback that logs every call, for the first-serve measurement.

Answers auth.test, conversations.open (one DM channel per user, "D" + the user id),
chat.postMessage, chat.update, conversations.history / conversations.replies (from what
was posted, with metadata, as Slack returns it), users.info and users.lookupByEmail (from
the store's roster), and ok:true for anything else. Each call is one JSON line in LOG:
{"at": seconds since the fake started, "method", "channel", "thread_ts", "ts", "text"}.
Usage: python3 fake_slack_log.py PORT LOG STORE.sqlite
"""
import json
import sqlite3
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
POSTED = []  # dicts as conversations.history returns them, with "channel"
COUNTER = [0]
START = time.time()


def roster(path):
    with sqlite3.connect(path) as db:
        return {row[0]: row[1] for row in db.execute("SELECT slack_user_id, email FROM csms WHERE slack_user_id IS NOT NULL")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    users = {}  # Slack id → email
    log = None

    def log_message(self, *args):
        pass

    def _answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if "json" in (self.headers.get("Content-Type") or ""):
            return json.loads(raw or "{}")
        return {key: values[0] for key, values in urllib.parse.parse_qs(raw).items()}

    def _user(self, user_id):
        email = self.users.get(user_id)
        if email is None:
            return None
        return {"id": user_id, "name": email.split("@")[0], "tz": "UTC", "profile": {"email": email, "real_name": email}}

    def do_POST(self):
        method = self.path.rstrip("/").rsplit("/", 1)[-1]
        body = self._body()
        with LOCK:
            COUNTER[0] += 1
            ts = "%d.%06d" % (int(START), COUNTER[0])
            entry = {"at": round(time.time() - START, 3), "method": method, "channel": body.get("channel"),
                     "thread_ts": body.get("thread_ts"), "ts": body.get("ts"), "text": (body.get("text") or "")[:200]}
            if method == "chat.postMessage":
                entry["ts"] = ts
                message = {"type": "message", "ts": ts, "text": body.get("text") or "", "channel": body.get("channel")}
                if body.get("thread_ts"):
                    message["thread_ts"] = body["thread_ts"]
                if body.get("metadata"):
                    message["metadata"] = body["metadata"]
                POSTED.append(message)
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()
        if method == "auth.test":
            return self._answer({"ok": True, "user_id": "U0BOT0001", "bot_id": "B0BOT0001", "team_id": "T0DEMO"})
        if method == "conversations.open":
            users = body.get("users") or ""
            return self._answer({"ok": True, "channel": {"id": "D" + users.split(",")[0]}})
        if method == "chat.postMessage":
            return self._answer({"ok": True, "channel": body.get("channel"), "ts": entry["ts"]})
        if method == "chat.update":
            return self._answer({"ok": True, "channel": body.get("channel"), "ts": body.get("ts")})
        if method in ("conversations.history", "conversations.replies"):
            channel, thread = body.get("channel"), body.get("ts")
            with LOCK:
                found = [m for m in POSTED if m["channel"] == channel
                         and (("thread_ts" not in m) if method == "conversations.history" else (m.get("thread_ts") == thread or m["ts"] == thread))]
            return self._answer({"ok": True, "messages": [{k: v for k, v in m.items() if k != "channel"} for m in reversed(found)], "has_more": False})
        if method == "users.info":
            user = self._user(body.get("user"))
            return self._answer({"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"})
        if method == "users.lookupByEmail":
            found = [uid for uid, email in self.users.items() if email.lower() == (body.get("email") or "").lower()]
            return self._answer({"ok": True, "user": self._user(found[0])} if found else {"ok": False, "error": "users_not_found"})
        return self._answer({"ok": True})


if __name__ == "__main__":
    port, log, store = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    Handler.users = roster(store)
    Handler.log = open(log, "w")
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
