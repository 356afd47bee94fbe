"""New DMs per person in the first SECONDS of a fake Slack log (fake_slack_log.py's).

A DM is a top-level chat.postMessage to a person's DM channel ("D" + their Slack id);
thread replies and in-place updates are counted beside it, as they do not ring.
Usage: python3 report.py LOG STORE.sqlite SECONDS
"""
import json
import sqlite3
import sys

log, store, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
with sqlite3.connect(store) as db:
    people = {"D" + row[0]: (row[1], row[2]) for row in db.execute("SELECT slack_user_id, email, name FROM csms WHERE slack_user_id IS NOT NULL")}
calls = [json.loads(line) for line in open(log) if line.strip()]
# From serve's first call (its start-up before that is not the window's).
start = calls[0]["at"] if calls else 0
window = [call for call in calls if call["at"] - start <= seconds]
counts = {}
for call in window:
    channel = call.get("channel") or ""
    if channel not in people:
        continue
    row = counts.setdefault(channel, {"dms": 0, "updates": 0, "thread": 0, "first": []})
    if call["method"] == "chat.postMessage" and not call.get("thread_ts"):
        row["dms"] += 1
        row["first"].append("%.1f s: %s" % (call["at"] - start, call["text"][:90]))
    elif call["method"] == "chat.postMessage":
        row["thread"] += 1
    elif call["method"] == "chat.update":
        row["updates"] += 1
print("first %d s: %d Slack calls, %d DMs" % (seconds, len(window), sum(row["dms"] for row in counts.values())))
print("%-26s %4s %8s %7s" % ("person", "DMs", "updates", "thread"))
for channel, (email, name) in sorted(people.items(), key=lambda item: item[1][0]):
    row = counts.get(channel, {"dms": 0, "updates": 0, "thread": 0, "first": []})
    print("%-26s %4d %8d %7d" % (email, row["dms"], row["updates"], row["thread"]))
    for line in row["first"]:
        print("    " + line)
most = max([row["dms"] for row in counts.values()] or [0])
print("most DMs to one person: %d (target: at most 2)" % most)
sys.exit(0 if most <= 2 else 1)
