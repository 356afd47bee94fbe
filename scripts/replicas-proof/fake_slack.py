"""A fake Slack Web API for the replicas proof, faithful where exactly-once depends on it.

chat.postMessage keeps every message (channel, ts, thread_ts, text, metadata) and answers
a unique ts; conversations.history / conversations.replies return the kept messages the
way Slack does (newest first for history, parent then replies for a thread, `oldest`,
`limit` with `has_more` and a cursor, metadata only with `include_all_metadata`), so the
server's look-before-posting finds what an earlier attempt posted, and only that. The
methods the server also calls (auth.test, conversations.open, users.info,
users.lookupByEmail, chat.update, chat.postEphemeral, views.publish, views.open) are
answered plausibly from the roster the proof imported.

Also, for the proof only: POST /_fake/user_message keeps a message a person wrote (the
message an app_mention is about, which a thread reply hangs under), GET /_fake/state
returns everything recorded.

    python3 fake_slack.py --port 0 --port-file PATH --token xoxb-… --roster csms.csv [--latency 0.03,0.25]
"""

import argparse
import csv
import json
import os
import random
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER_ID = "U0BOT0001"
SCOPES = "app_mentions:read,channels:history,chat:write,commands,groups:history,im:history,im:read,im:write,users:read,users:read.email"


class Workspace:
    """Everything Slack keeps, behind one lock."""

    def __init__(self, token, people, latency):
        self.token = token
        self.latency = latency  # (min, max) seconds before a post's answer
        self.people = people  # slack id -> {email, name}
        self.lock = threading.Lock()
        self.messages = []  # dicts: channel, ts, thread_ts, text, user, metadata, posted_at, method
        self.by_key = {}  # (channel, ts) -> message
        self.updates = []
        self.calls = {}  # method -> count
        self.errors = {}  # method:error -> count
        self.last_ts = 0.0

    def next_ts(self):
        # Slack's ts is the post's time in microseconds, unique within a channel; unique
        # across the workspace here, which is stricter.
        now = time.time()
        self.last_ts = max(now, self.last_ts + 0.000001)
        return "%.6f" % self.last_ts

    def keep(self, channel, text, thread_ts, metadata, user, blocks):
        ts = self.next_ts()
        message = {
            "channel": channel, "ts": ts, "thread_ts": thread_ts, "text": text, "user": user,
            "metadata": metadata, "blocks": blocks, "posted_at": time.time(),
        }
        self.messages.append(message)
        self.by_key[(channel, ts)] = message
        return message


def slack_message(message, with_metadata):
    """A kept message as conversations.history / replies show it."""
    shown = {"type": "message", "ts": message["ts"], "text": message["text"]}
    if message["user"] == BOT_USER_ID:
        shown["bot_id"] = "B0BOT0001"
        shown["app_id"] = "A0APP00001"
    shown["user"] = message["user"]
    if message["thread_ts"]:
        shown["thread_ts"] = message["thread_ts"]
    if with_metadata and message["metadata"]:
        shown["metadata"] = message["metadata"]
    return shown


def page(items, cursor, limit):
    """Slack's cursor pagination: an opaque cursor (here the offset), `has_more`."""
    start = int(cursor) if cursor and cursor.isdigit() else 0
    chosen = items[start:start + limit]
    more = start + limit < len(items)
    answer = {"messages": chosen, "has_more": more}
    answer["response_metadata"] = {"next_cursor": str(start + limit) if more else ""}
    return answer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    workspace: Workspace = None

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # a replica killed mid-request

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The caller was killed while the answer was on its way: what it asked is done.
            self.close_connection = True

    def do_GET(self):
        if self.path == "/_fake/state":
            ws = self.workspace
            with ws.lock:
                state = {"messages": [dict(m, blocks=len(m["blocks"] or [])) for m in ws.messages],
                         "updates": list(ws.updates), "calls": dict(ws.calls), "errors": dict(ws.errors)}
            return self.send_json(200, state)
        self.send_json(404, {"ok": False, "error": "not_found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path == "/_fake/user_message":
            data = json.loads(raw)
            ws = self.workspace
            with ws.lock:
                message = {"channel": data["channel"], "ts": data["ts"], "thread_ts": None, "text": data["text"],
                           "user": data["user"], "metadata": None, "blocks": [], "posted_at": time.time()}
                ws.messages.append(message)
                ws.by_key[(data["channel"], data["ts"])] = message
            return self.send_json(200, {"ok": True})
        if not self.path.startswith("/api/"):
            return self.send_json(404, {"ok": False, "error": "not_found"})
        method = self.path[len("/api/"):].split("?")[0]
        content_type = self.headers.get("Content-Type", "")
        if "application/json" in content_type:
            try:
                args = json.loads(raw or b"{}")
            except ValueError:
                return self.answer(method, {"ok": False, "error": "invalid_json"})
        else:
            args = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode(), keep_blank_values=True).items()}
        auth = self.headers.get("Authorization", "")
        if not auth:
            return self.answer(method, {"ok": False, "error": "not_authed"})
        if auth != "Bearer " + self.workspace.token:
            return self.answer(method, {"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        if handler is None:
            return self.answer(method, {"ok": False, "error": "unknown_method"})
        with self.workspace.lock:
            result = handler(args)
        if method in ("chat.postMessage", "chat.update") and self.workspace.latency:
            # Done, and the answer still on its way back, as over a real network: a replica
            # killed now has posted without knowing it, and whoever takes over must find it.
            time.sleep(random.uniform(*self.workspace.latency))
        headers = {"x-oauth-scopes": SCOPES} if method == "auth.test" else None
        self.answer(method, result, headers)

    def answer(self, method, result, headers=None):
        ws = self.workspace
        with ws.lock:
            ws.calls[method] = ws.calls.get(method, 0) + 1
            if not result.get("ok"):
                key = method + ":" + str(result.get("error"))
                ws.errors[key] = ws.errors.get(key, 0) + 1
        self.send_json(200, result, headers)

    # --- methods (called under the workspace lock) ---

    def m_auth_test(self, args):
        return {"ok": True, "url": "https://proof.slack.com/", "team": "Proof", "user": "ticketpulse",
                "team_id": "T0TEAM0001", "user_id": BOT_USER_ID, "bot_id": "B0BOT0001", "is_enterprise_install": False}

    def m_chat_postMessage(self, args):
        channel, text = args.get("channel"), args.get("text")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not text and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        blocks = args.get("blocks") or []
        if len(blocks) > 50:
            return {"ok": False, "error": "invalid_blocks"}
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        thread_ts = args.get("thread_ts") or None
        message = self.workspace.keep(channel, text or "", thread_ts, metadata, BOT_USER_ID, blocks)
        return {"ok": True, "channel": channel, "ts": message["ts"],
                "message": {"type": "message", "text": message["text"], "user": BOT_USER_ID, "ts": message["ts"]}}

    def m_chat_update(self, args):
        channel, ts = args.get("channel"), args.get("ts")
        message = self.workspace.by_key.get((channel, ts))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        message["text"] = args.get("text", message["text"])
        self.workspace.updates.append({"channel": channel, "ts": ts, "at": time.time()})
        return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}

    def m_chat_postEphemeral(self, args):
        if not args.get("channel") or not args.get("user"):
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "message_ts": self.workspace.next_ts()}

    def m_conversations_history(self, args):
        channel = args.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        limit = max(1, min(int(args.get("limit") or 100), 999))
        with_metadata = args.get("include_all_metadata") in ("true", "1", True)
        # Top-level messages only (a reply is in its thread, not the channel), newest first.
        found = [m for m in self.workspace.messages
                 if m["channel"] == channel and (m["thread_ts"] is None or m["thread_ts"] == m["ts"])
                 and oldest < float(m["ts"]) < latest]
        found.sort(key=lambda m: float(m["ts"]), reverse=True)
        answer = page([slack_message(m, with_metadata) for m in found], args.get("cursor"), limit)
        answer["ok"] = True
        return answer

    def m_conversations_replies(self, args):
        channel, parent_ts = args.get("channel"), args.get("ts")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        parent = self.workspace.by_key.get((channel, parent_ts))
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        oldest = float(args.get("oldest") or 0)
        limit = max(1, min(int(args.get("limit") or 1000), 1000))
        with_metadata = args.get("include_all_metadata") in ("true", "1", True)
        # The parent first, then its replies oldest first; `oldest` bounds the replies.
        replies = [m for m in self.workspace.messages
                   if m["channel"] == channel and m["thread_ts"] == parent_ts and m is not parent and float(m["ts"]) > oldest]
        replies.sort(key=lambda m: float(m["ts"]))
        answer = page([slack_message(m, with_metadata) for m in [parent] + replies], args.get("cursor"), limit)
        answer["ok"] = True
        return answer

    def m_conversations_open(self, args):
        users = args.get("users") or ""
        ids = [u for u in users.split(",") if u]
        if not ids or any(u not in self.workspace.people for u in ids):
            return {"ok": False, "error": "user_not_found"}
        channel = "D0" + ids[0] if len(ids) == 1 else "G0" + "".join(sorted(ids))[:9]
        return {"ok": True, "channel": {"id": channel}}

    def user(self, slack_id):
        person = self.workspace.people[slack_id]
        return {"id": slack_id, "team_id": "T0TEAM0001", "name": person["email"].split("@")[0], "deleted": False,
                "real_name": person["name"], "tz": "Europe/London", "is_bot": False,
                "profile": {"email": person["email"], "real_name": person["name"], "display_name": person["name"]}}

    def m_users_info(self, args):
        if args.get("user") not in self.workspace.people:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": self.user(args["user"])}

    def m_users_lookupByEmail(self, args):
        email = (args.get("email") or "").lower()
        for slack_id, person in self.workspace.people.items():
            if person["email"] == email:
                return {"ok": True, "user": self.user(slack_id)}
        return {"ok": False, "error": "users_not_found"}

    def m_views_publish(self, args):
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict) or "type" not in view:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0VIEW0001"}}

    m_views_open = m_views_publish


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--roster", required=True, help="csms.csv: email,name,slack_user_id,…")
    parser.add_argument("--latency", default="0.03,0.25", help="min,max seconds a post's answer takes (Slack's are about this)")
    options = parser.parse_args()
    people = {}
    with open(options.roster, newline="") as file:
        for row in csv.DictReader(file):
            if row.get("slack_user_id"):
                people[row["slack_user_id"]] = {"email": row["email"].lower(), "name": row["name"]}
    latency = tuple(float(x) for x in options.latency.split(",")) if options.latency else None
    Handler.workspace = Workspace(options.token, people, latency)
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    with open(options.port_file + ".tmp", "w") as file:
        file.write(str(server.server_address[1]))
    os.replace(options.port_file + ".tmp", options.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
