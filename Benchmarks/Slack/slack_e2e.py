"""Signed question → chat.postMessage received by the fake Slack, one at a time, each in
its own channel (the client keeps to one post per second per channel, as Slack asks).

Run `ticketpulse serve` with SLACK_SIGNING_SECRET=bench-secret and SLACK_API_URL pointing
at fake_slack.py, over the benchmark store; then:
    python3 slack_e2e.py SERVER_PORT FAKE_PORT [COUNT] [--poll] [-v]
Prints p50/p95/p99 of the time from sending the event to the answer's arrival (the time
the fake Slack received the chat.postMessage).

The client waits for each answer with one held request to the fake (`wait=5`). `--poll`
asks every 0.5 ms instead, as the first version of this script did; on two cores that
polling (a new connection, and a new fake-Slack thread, each time) takes CPU from the
server being measured, so it reads a few milliseconds slower. `-v` prints each
question's median and worst time.
"""
import hashlib
import hmac
import json
import sys
import time
import urllib.request

SECRET = b"bench-secret"
# Asked by UBENCH0 (csm0), whose book is Bench Customers 0–49, as in the Ask benchmark.
QUESTIONS = [
    "show support tickets for Bench Customer 7",
    "open P1s at Bench Customer 12",
    "show me support metrics for Bench Customer 3",
    "what's the support health for Bench Customer 5?",
    "are there any escalated tickets?",
    "which customers have low CSAT scores?",
    "how is CSAT trending for Bench Customer 9?",
    "which tickets are breaching SLA?",
    "what are the top support issues this month?",
    "how are my accounts doing?",
]


RUN = int(time.time())


def signed_event(index):
    ts = "%d.%06d" % (RUN, index)  # unique per run: the fake keys arrivals by thread
    body = json.dumps({
        "token": "x", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "type": "event_callback",
        "event_id": "EvE2E%08d%d" % (index, int(time.time())), "event_time": int(time.time()),
        "event": {"type": "app_mention", "user": "UBENCH0", "text": "<@U0BOT0001> " + QUESTIONS[index % len(QUESTIONS)],
                  "ts": ts, "channel": "C0E2E%d" % index, "event_ts": ts},
        "authorizations": [{"team_id": "T0BENCH", "user_id": "U0BOT0001", "is_bot": True}],
    }).encode()
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return ts, body, {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def main():
    poll = "--poll" in sys.argv
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    server, fake = int(args[0]), int(args[1])
    count = int(args[2]) if len(args) > 2 else 200
    latencies = []
    by_question = {}
    for index in range(count):
        ts, body, headers = signed_event(index)
        started = time.time()
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{server}/slack/events", data=body, headers=headers)).read()
        if not poll:
            arrived = json.load(urllib.request.urlopen(f"http://127.0.0.1:{fake}/arrival?thread_ts={ts}&wait=5"))["arrived"]
            if arrived:
                latencies.append((arrived - started) * 1000)
                by_question.setdefault(index % len(QUESTIONS), []).append(latencies[-1])
            continue
        deadline = started + 5
        while time.time() < deadline:
            arrived = json.load(urllib.request.urlopen(f"http://127.0.0.1:{fake}/arrival?thread_ts={ts}"))["arrived"]
            if arrived:
                latencies.append((arrived - started) * 1000)
                break
            time.sleep(0.0005)
    if "-v" in sys.argv or "--verbose" in sys.argv:
        for question, times in sorted(by_question.items()):
            times.sort()
            print(f"  {times[len(times) // 2]:6.1f} ms median, {times[-1]:6.1f} ms max  {QUESTIONS[question]}")
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"{len(latencies)}/{count} answered ({'polling' if poll else 'waiting'}); p50 {pick(0.50):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms")


if __name__ == "__main__":
    main()
