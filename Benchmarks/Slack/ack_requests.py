"""Writes N signed app_mention requests (unique event ids, signed now) as a Lua table for
ack.lua, so that wrk replays real, distinct, correctly signed events.
Usage: python3 ack_requests.py N [--ignored] > requests.lua   (then run wrk within 5 minutes)

--ignored writes events the server acknowledges without recording or answering them (a
reaction), to measure the request path alone: the difference from the real run is what
recording the event and answering it meanwhile cost the acknowledgement.
"""
import hashlib
import hmac
import json
import sys
import time

SECRET = b"bench-secret"
count = int(sys.argv[1])
ignored = "--ignored" in sys.argv[2:]
stamp = str(int(time.time()))
print("requests = {")
for index in range(count):
    ts = "1763479000.%06d" % index
    body = json.dumps({
        "token": "x", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "type": "event_callback",
        "event_id": "EvACK%08d%s" % (index, stamp), "event_time": int(stamp),
        "event": {"type": "reaction_added" if ignored else "app_mention", "user": "UBENCH0", "text": "<@U0BOT0001> help", "ts": ts,
                  "channel": "C0ACK%d" % index, "event_ts": ts},
        "authorizations": [{"team_id": "T0BENCH", "user_id": "U0BOT0001", "is_bot": True}],
    }, separators=(",", ":"))
    signature = "v0=" + hmac.new(SECRET, b"v0:" + stamp.encode() + b":" + body.encode(), hashlib.sha256).hexdigest()
    print("  {body=%s, sig=%s}," % (json.dumps(body), json.dumps(signature)))
print("}")
print("stamp = %s" % json.dumps(stamp))
