"""The flood: signed Slack app_mention events and signed P1 webhooks through nginx, with the
senders' retry behaviour, and `kill -9` of a replica that is not the leader (a third in),
then of the leader (two thirds in). Records, for every request, each attempt and when (if
ever) it was acknowledged with a 2xx; and the `leader` lease's holder over time.

    python3 flood.py --base http://127.0.0.1:PORT --replicas r1=PID,r2=PID,r3=PID --db URL … --out flood.json
"""

import argparse
import csv
import hashlib
import hmac
import http.client
import json
import os
import random
import signal
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import store

BOT_USER_ID = "U0BOT0001"
QUESTIONS = [
    "show support tickets for {name}",
    "how is {name} doing",
    "open tickets for {name}",
    "support health for {name}",
]
# Slack waits 3 s for the acknowledgement, then retries: immediately, after 1 min, after
# 5 min. The proof keeps the count and the reasons, with short waits, so the run stays short.
SLACK_TIMEOUT = 3.0
SLACK_BACKOFF = [1.0, 2.0, 4.0]
WEBHOOK_TIMEOUT = 10.0
# Over a second each, so every retry is signed with a new `t` (a byte-for-byte resend is a replay).
WEBHOOK_BACKOFF = [1.2, 2.0, 3.0, 4.0, 5.0, 6.0]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.leader = []  # (at, holder, expires_at) at every change seen
        self.kills = []

    def add(self, record):
        with self.lock:
            self.requests.append(record)


def post(base, path, body, headers, timeout):
    """One HTTP attempt: (status, error)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, None
    except TimeoutError:
        return None, "http_timeout"
    except OSError as error:
        return None, "connection_failed: %s" % error.__class__.__name__
    except http.client.HTTPException as error:
        return None, "connection_failed: %s" % error.__class__.__name__
    finally:
        connection.close()


def deliver(options, path, body, headers, backoff, timeout, record):
    """Sends until a 2xx, waiting `backoff[n]` after the n-th failure; every attempt in
    `record`, with `acked_at` the time of the 2xx (None when the sender gave up).
    `headers(attempt, reason)` signs each attempt anew; `reason` is why the last one failed."""
    record.update(attempts=[], acked_at=None)
    reason = None
    for attempt in range(len(backoff) + 1):
        started = time.time()
        status, error = post(options.base, path, body, headers(attempt, reason), timeout)
        record["attempts"].append({"at": started, "took": time.time() - started, "status": status, "error": error})
        if status is not None and 200 <= status < 300:
            record["acked_at"] = time.time()
            break
        reason = error.split(":")[0] if error else "http_error"
        if attempt < len(backoff):
            time.sleep(backoff[attempt])
    return record


def slack_signature(secret, timestamp, body):
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def webhook_signature(secret, timestamp, body):
    return "t=%s,v1=%s" % (timestamp, hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest())


def ask(options, recorder, number, asker, customer):
    """An app_mention, delivered as Slack delivers events: retried on a non-2xx or no answer."""
    channel = "C0PROOF%03d" % (number % options.channels)
    ts = "%.6f" % time.time()
    text = "<@%s> %s" % (BOT_USER_ID, random.choice(QUESTIONS).format(name=customer["name"]))
    event_id = "Ev%s%05d" % (options.run, number)
    # The person's message is in the channel before Slack tells the app about it.
    urllib.request.urlopen(urllib.request.Request(
        options.fake_slack + "/_fake/user_message", method="POST",
        data=json.dumps({"channel": channel, "ts": ts, "user": asker, "text": text}).encode(),
        headers={"Content-Type": "application/json"}), timeout=5).read()
    envelope = {
        "token": "proof", "team_id": "T0TEAM0001", "api_app_id": "A0APP00001", "type": "event_callback",
        "event_id": event_id, "event_time": int(float(ts)),
        "event": {"type": "app_mention", "user": asker, "text": text, "ts": ts, "channel": channel,
                  "event_ts": ts, "team": "T0TEAM0001"},
        "authorizations": [{"team_id": "T0TEAM0001", "user_id": BOT_USER_ID, "is_bot": True}],
    }
    body = json.dumps(envelope).encode()

    def headers(attempt, reason):
        stamp = str(int(time.time()))
        signed = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                  "X-Slack-Signature": slack_signature(options.signing_secret, stamp, body), "X-Proof-Request": event_id}
        if attempt > 0:
            signed["X-Slack-Retry-Num"] = str(attempt)
            signed["X-Slack-Retry-Reason"] = reason
        return signed

    record = {"kind": "question", "id": event_id, "channel": channel, "thread_ts": ts}
    recorder.add(deliver(options, "/slack/events", body, headers, SLACK_BACKOFF, SLACK_TIMEOUT, record))


def send_ticket(options, recorder, number, customer):
    """A P1 ticket by the generic webhook; the sender retries until it is acknowledged."""
    ticket_id = "PROOF-%s-%05d" % (options.run, number)
    body = json.dumps({
        "ticketId": ticket_id, "customerId": customer["id"], "category": "technical", "severity": "critical",
        "priority": "P1", "subject": "Checkout fails for every user (%d)" % number,
        "createdAt": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": "Proof ticket %d" % number, "requesterEmail": "ops@%s" % customer["domains"].split(";")[0],
    }).encode()

    def headers(attempt, reason):
        stamp = str(int(time.time()))
        return {"Content-Type": "application/json", "X-TicketPulse-Signature": webhook_signature(options.webhook_secret, stamp, body),
                "X-TicketPulse-Delivery": "delivery-" + ticket_id, "X-Proof-Request": ticket_id}

    record = {"kind": "webhook", "id": ticket_id, "customer": customer["id"]}
    recorder.add(deliver(options, "/api/webhooks/support/ticket", body, headers, WEBHOOK_BACKOFF, WEBHOOK_TIMEOUT, record))


def watch_leader(options, recorder, stop):
    """The `leader` lease's holder, polled; a change (or a lapse) is recorded with its time."""
    last = None
    while not stop.is_set():
        lease = store.leader(options.db)
        now = time.time()
        holder = lease[0] if lease and lease[1] > now else None
        if holder != last:
            with recorder.lock:
                recorder.leader.append({"at": now, "holder": holder})
            last = holder
        stop.wait(0.2)


def kill(recorder, replicas, name, why):
    pid = replicas.pop(name)
    os.kill(pid, signal.SIGKILL)
    with recorder.lock:
        recorder.kills.append({"replica": name, "pid": pid, "at": time.time(), "why": why})
    print("  %s kill -9 %s (pid %d, %s)" % (time.strftime("%H:%M:%S"), name, pid, why), flush=True)


def current_leader(options):
    lease = store.leader(options.db)
    return lease[0] if lease and lease[1] > time.time() else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="nginx, e.g. http://127.0.0.1:8000")
    parser.add_argument("--fake-slack", required=True)
    parser.add_argument("--replicas", required=True, help="r1=PID,r2=PID,r3=PID")
    parser.add_argument("--db", required=True)
    parser.add_argument("--signing-secret", required=True)
    parser.add_argument("--webhook-secret", required=True)
    parser.add_argument("--customers", required=True)
    parser.add_argument("--csms", required=True)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--webhooks", type=int, default=300)
    parser.add_argument("--duration", type=float, default=50)
    parser.add_argument("--channels", type=int, default=40)
    parser.add_argument("--run", default=str(int(time.time()) % 100000))
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    random.seed(int(options.run))

    replicas = {name: int(pid) for name, pid in (part.split("=") for part in options.replicas.split(","))}
    with open(options.csms, newline="") as file:
        slack_ids = {row["email"]: row["slack_user_id"] for row in csv.DictReader(file)}
    with open(options.customers, newline="") as file:
        customers = list(csv.DictReader(file))

    # Both kinds spread evenly over the duration, interleaved, each with a little jitter.
    plan = [(options.duration * (i + random.random()) / options.questions, "question", i) for i in range(options.questions)]
    plan += [(options.duration * (i + random.random()) / options.webhooks, "webhook", i) for i in range(options.webhooks)]
    plan.sort()

    recorder = Recorder()
    stop = threading.Event()
    watcher = threading.Thread(target=watch_leader, args=(options, recorder, stop), daemon=True)
    watcher.start()
    kills = [(options.duration / 3, "follower"), (options.duration * 2 / 3, "leader")]
    started = time.time()
    print("  %s flood: %d questions, %d P1 webhooks over %.0f s through %s" % (
        time.strftime("%H:%M:%S"), options.questions, options.webhooks, options.duration, options.base), flush=True)
    with ThreadPoolExecutor(max_workers=96) as pool:
        for offset, kind, number in plan:
            while kills and offset >= kills[0][0]:
                _, which = kills.pop(0)
                leader = current_leader(options)
                waited = time.time() + 15
                while leader is None and time.time() < waited:
                    time.sleep(0.2)
                    leader = current_leader(options)
                if which == "follower":
                    name = next(n for n in sorted(replicas) if n != leader)
                    kill(recorder, replicas, name, "not the leader (leader: %s)" % leader)
                else:
                    kill(recorder, replicas, leader, "the leader")
            delay = started + offset - time.time()
            if delay > 0:
                time.sleep(delay)
            if kind == "question":
                customer = random.choice(customers)
                pool.submit(ask, options, recorder, number, slack_ids[customer["csm_email"]], customer)
            else:
                pool.submit(send_ticket, options, recorder, number, random.choice(customers))
    ended = time.time()
    print("  %s flood sent; every sender has its answer or gave up" % time.strftime("%H:%M:%S"), flush=True)
    # The new leader is seen by the watcher; keep it running a little in case it is late.
    deadline = time.time() + 20
    while time.time() < deadline:
        with recorder.lock:
            killed = [k["replica"] for k in recorder.kills]
            if recorder.leader and recorder.leader[-1]["holder"] not in (None, *killed):
                break
        time.sleep(0.5)
    stop.set()
    watcher.join()
    with open(options.out, "w") as file:
        json.dump({"started": started, "ended": ended, "requests": recorder.requests, "kills": recorder.kills,
                   "leader": recorder.leader, "survivors": sorted(replicas)}, file)


if __name__ == "__main__":
    main()
